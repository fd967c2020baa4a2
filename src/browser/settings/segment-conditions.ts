// The segment builder's rows, apart from the DOM: which conditions exist (one row each, for the
// keys segments support), which rows a stored segment shows, and the keys a row's inputs give.
import { numberOrText, splitList } from "./dom.ts";

export type CondId = "lastVisitOlderThanMonths" | "lastVisitBefore" | "serviceCategoryAny" | "age" | "birthdayWithinDays" | "balanceAtLeast" | "tagsAny" | "sourceIn" | "openFollowUp";

/** number / date / list (comma-separated) take one text; range takes two (from, to); yesno "true" or "false". */
export type CondInput = "number" | "date" | "list" | "range" | "yesno";

export const CONDITIONS: readonly { id: CondId; keys: readonly string[]; input: CondInput }[] = [
  { id: "lastVisitOlderThanMonths", keys: ["lastVisitOlderThanMonths"], input: "number" },
  { id: "lastVisitBefore", keys: ["lastVisitBefore"], input: "date" },
  { id: "serviceCategoryAny", keys: ["serviceCategoryAny"], input: "list" },
  { id: "age", keys: ["ageMin", "ageMax"], input: "range" },
  { id: "birthdayWithinDays", keys: ["birthdayWithinDays"], input: "number" },
  { id: "balanceAtLeast", keys: ["balanceAtLeast"], input: "number" },
  { id: "tagsAny", keys: ["tagsAny"], input: "list" },
  { id: "sourceIn", keys: ["sourceIn"], input: "list" },
  { id: "openFollowUp", keys: ["openFollowUp"], input: "yesno" },
];

export const conditionOf = (id: CondId) => CONDITIONS.find((c) => c.id === id)!;

/** The rows a segment shows: one per condition it sets, in the builder's order. */
export function rowsOf(segment: Record<string, unknown>): CondId[] {
  return CONDITIONS.filter((c) => c.keys.some((k) => segment[k] !== undefined)).map((c) => c.id);
}

/** A row's inputs as shown: the texts of its fields (two for a range). */
export function rowTexts(id: CondId, segment: Record<string, unknown>): string[] {
  const c = conditionOf(id);
  const text = (v: unknown) => (v === undefined || v === null ? "" : Array.isArray(v) ? v.join(", ") : String(v));
  if (c.input === "yesno") return [segment[id] === false ? "false" : "true"];
  return c.keys.map((k) => text(segment[k]));
}

/** The segment keys a row gives from its inputs' texts (an empty bound of a range is left out). */
export function rowValue(id: CondId, texts: string[]): Record<string, unknown> {
  const c = conditionOf(id);
  switch (c.input) {
    case "range": {
      const out: Record<string, unknown> = {};
      c.keys.forEach((k, i) => {
        const v = numberOrText(texts[i] ?? "");
        if (v !== null) out[k] = v;
      });
      return out;
    }
    case "yesno":
      return { [id]: texts[0] !== "false" };
    case "list":
      return { [id]: splitList(texts[0] ?? "") };
    case "date":
      return { [id]: (texts[0] ?? "").trim() };
    case "number":
      // Empty goes to the server as "", which names the field rather than dropping the condition.
      return { [id]: numberOrText(texts[0] ?? "") ?? "" };
  }
}
