// What every part of the settings page's script shares: the page data, a problem, and a field
// (a plain input or one of the forms) that fills from the document and collects back into it.
import type { SettingsPageData } from "../../operators/settings/page.ts";
import type { ScriptText } from "../../operators/settings/page-text.ts";

export type { SettingsPageData, ScriptText };

/** A problem of the document at a dotted path ("segments.0.ageMin"), as the server names it. */
export interface Problem {
  path: string;
  message: string;
}

export interface Field {
  path: string;
  /** The element errors point at (an input, or a form's group). */
  root: HTMLElement;
  set(value: unknown): void;
  /** The value for the document; undefined leaves the key out. Problems found in the page go to `problems`. */
  get(problems: Problem[]): unknown;
}

export interface Ctx {
  T: ScriptText;
  lang: "ru" | "en";
  /** Something in a form changed (the page marks itself unsaved). */
  changed(): void;
  /** POST JSON to the settings API with the CSRF token: status and parsed body. */
  post(url: string, body: unknown): Promise<{ status: number; body: any }>;
}
