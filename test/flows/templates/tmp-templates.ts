import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { loadTemplates, sampleView } from "../../../src/flows/templates/index.ts";
import type { DeepPartial, TemplateView } from "../../../src/flows/templates/index.ts";

const created: string[] = [];
afterAll(() => {
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Writes files under <tmp>/carebot-tpl-*\/templates (paths like "ru/nps.ask.hbs") and loads them
 * with the temp folder as root, so problems name files "templates/ru/nps.ask.hbs" as in the repo.
 */
export function tmpTemplates(files: Record<string, string>) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "carebot-tpl-"));
  created.push(root);
  const dir = path.join(root, "templates");
  fs.mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    // "de/" makes an empty folder.
    fs.mkdirSync(name.endsWith("/") ? file : path.dirname(file), { recursive: true });
    if (!name.endsWith("/")) fs.writeFileSync(file, text, "utf8");
  }
  return { root, dir, ...loadTemplates(dir, { root }) };
}

/** Intl puts (narrow) no-break spaces in numbers and before "₽": compare with plain spaces. */
export const plain = (text: string): string => text.replace(/[\u00a0\u202f]/g, " ");

export const view = (overrides: DeepPartial<TemplateView> = {}): TemplateView => sampleView(overrides);
