// A flow file replaced by a broken one while patients use it (hot reload, src/flows/service.ts),
// around a running CareBot (`carebot start` in its own process): the last good version keeps
// serving, the broken file is reported in the log, and the fixed file is picked up again.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT } from "../support/cli.ts";
import { afterEach, describe, expect, it } from "vitest";
import { TEST_PROVIDER } from "../support/db.ts";
import { linkedUsers, messageCount, startScenario } from "./support/scenario.ts";
import type { Cleanup } from "./support/scenario.ts";
import { waitUntil } from "./support/wait.ts";

const cleanups: Cleanup[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => {});
});

describe(`a flow file replaced by a broken one while patients use it (on ${TEST_PROVIDER})`, () => {
  it("keeps serving the last good version, reports the broken file, and picks up the fixed one", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "carebot-flows-"));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const flowsDir = path.join(dir, "flows");
    const templatesDir = path.join(dir, "templates");
    cpSync(path.join(ROOT, "flows"), flowsDir, { recursive: true });
    cpSync(path.join(ROOT, "templates"), templatesDir, { recursive: true });
    const { api, carebot, db } = await startScenario(cleanups, { env: { FLOWS_DIR: flowsDir, TEMPLATES_DIR: templatesDir } });
    const users = await linkedUsers(db, 6, 730_000);
    const menuFile = path.join(flowsDir, "main-menu.json");
    const good = readFileSync(menuFile, "utf8");
    let sentSoFar = 0;
    const round = async (what: string) => {
      for (const u of users) api.sendText(u, "меню");
      sentSoFar++;
      await waitUntil(() => users.every((u) => messageCount(api, u) === sentSoFar), 30_000, `${what}: a reply to every patient`);
      return users.map((u) => api.messagesTo(u.id).at(-1)!.text);
    };

    const before = await round("before the edit");
    writeFileSync(menuFile, good.replace('"initial": "menu"', '"initial": "menu",\n  "states": { "broken": ').slice(0, -10)); // cut mid-object: bad JSON
    await waitUntil(() => carebot.log().some((l) => /flow edit refused/.test(String(l.msg))), 15_000, "the broken file in the log");
    const whileBroken = await round("while the file is broken");
    // The fix uses a new text: in both languages, as the validator insists.
    writeFileSync(path.join(templatesDir, "ru", "menu.prompt-v2.hbs"), "Меню обновлено. Чем мы можем помочь? Выберите, пожалуйста:");
    writeFileSync(path.join(templatesDir, "en", "menu.prompt-v2.hbs"), "The menu is new. How can we help? Please choose:");
    writeFileSync(menuFile, good.replace('"template": "menu.prompt"', '"template": "menu.prompt-v2"').replace('"version": 1', '"version": 2'));
    const refusals = carebot.log().filter((l) => /flow edit refused/.test(String(l.msg)));
    await waitUntil(() => carebot.log().some((l) => /flows and templates reloaded/.test(String(l.msg))), 15_000, () => `the fixed file reloaded; log: ${JSON.stringify(carebot.log().slice(-5))}`);
    const after = await round("after the fix");

    console.log(`hot reload: refused ${refusals.length}× (${String((refusals[0] as { problem?: string } | undefined)?.problem).slice(0, 120)})`);
    expect(whileBroken).toEqual(before);
    expect(String((refusals[0] as { problem?: string }).problem)).toContain("main-menu.json");
    expect(after).toEqual(users.map(() => "Меню обновлено. Чем мы можем помочь? Выберите, пожалуйста:"));
    expect(carebot.child.exitCode).toBeNull();
  }, 110_000);
});
