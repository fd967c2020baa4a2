// Findings of the fuzz test that needed a fix outside the channel adapter, each pinned as a
// small, deterministic test. Mark a new, still open one `it.fails`, with the fix described beside it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedTarget, TEST_PROVIDER } from "../support/db.ts";
import type { TestDatabase } from "../support/db.ts";
import { fakeUser, startFakeBotApi } from "../support/fake-bot-api/index.ts";
import type { FakeBotApi } from "../support/fake-bot-api/index.ts";
import { startInProcess, TOKEN } from "./support/service.ts";
import type { InProcessCareBot } from "./support/service.ts";
import { waitUntil } from "./support/wait.ts";

describe(`fuzz findings (on ${TEST_PROVIDER})`, () => {
  let target: TestDatabase;
  let api: FakeBotApi;
  let carebot: InProcessCareBot;
  beforeAll(async () => {
    target = await createMigratedTarget();
    api = await startFakeBotApi({ token: TOKEN });
    carebot = await startInProcess(target, api);
  });
  afterAll(async () => {
    await carebot?.stop();
    await api?.close();
    await target?.drop();
  });

  // Found by the fuzz run: linkReferee threw for a newcomer's own contact whose number does not
  // parse (Telegram clients let people share any contact card of their own), and the patient got
  // the flow-error apology and an escalation. referral-arrival.json now takes only an own contact
  // with a usable number (contactIsOwn, validPhone) and asks again otherwise.
  it("a newcomer's own contact with an unusable number is asked again, not escalated as a flow error", async () => {
    const referrer = await carebot.service.db.prisma.patient.findFirstOrThrow({ orderBy: { id: "asc" } });
    const newcomer = fakeUser(760_001, { firstName: "Новенький", languageCode: "ru" });
    api.sendCommand(newcomer, "/start", `ref_${referrer.referralCode}`);
    await api.waitForMessages(newcomer.id, 1, 10_000);
    const before = api.messagesTo(newcomer.id).length;
    api.sendContact(newcomer, { phone: "12" });
    await waitUntil(() => api.messagesTo(newcomer.id).length > before, 10_000, "an answer to the contact");
    expect(carebot.log.lines.filter((l) => /flow step failed/.test(String(l.msg)))).toEqual([]);
  });
});
