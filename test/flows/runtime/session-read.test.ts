import { describe, expect, it } from "vitest";
import { readSession, sessionFormat, tryReadSession } from "../../../src/flows/runtime/session.ts";

// A session as this CareBot writes it is taken without zod's parse (session.ts, asWritten); what
// reading gives must stay what the format's schema gives, for it and for every near miss.

const written = () => ({
  v: 1,
  definitionKey: "nps@3#70ce32391727",
  machine: { status: "active", value: "comment", historyValue: {}, context: { score: 9 }, children: {} },
  timers: [{ id: "xstate.after.600000.nps.comment", event: "xstate.after.600000.nps.comment", dueAt: "2026-12-04T16:40:41.123Z" }],
  invalid: { state: "comment", count: 1 },
  options: [
    { value: "skip", label: "Пропустить" },
    { value: 10, label: "10" },
  ],
});

const variants: [string, (s: any) => unknown][] = [
  ["as written", (s) => s],
  ["no timers, options or invalid answers", (s) => ({ ...s, timers: [], invalid: null, options: null })],
  ["a field left out (the schema's default)", ({ options: _o, ...s }) => s],
  ["a field of its own (the schema drops it)", (s) => ({ ...s, note: "x" })],
  ["a timer with a field of its own", (s) => ({ ...s, timers: [{ ...s.timers[0], extra: 1 }] })],
  ["a timer due at a time with an offset", (s) => ({ ...s, timers: [{ ...s.timers[0], dueAt: "2026-12-04T16:40:41+03:00" }] })],
  ["a timer due at a time without milliseconds", (s) => ({ ...s, timers: [{ ...s.timers[0], dueAt: "2026-12-04T16:40:41Z" }] })],
  ["a timer due at no time", (s) => ({ ...s, timers: [{ ...s.timers[0], dueAt: "2026-02-30T16:40:41.123Z" }] })],
  ["a count that is no whole number", (s) => ({ ...s, invalid: { state: "comment", count: 1.5 } })],
  ["an option without a label", (s) => ({ ...s, options: [{ value: "skip" }] })],
  ["an option valued true", (s) => ({ ...s, options: [{ value: true, label: "Да" }] })],
  ["a machine that is a list", (s) => ({ ...s, machine: [] })],
  ["a newer version", (s) => ({ ...s, v: 2 })],
  ["no version", ({ v: _v, ...s }) => s],
  ["no definition key", (s) => ({ ...s, definitionKey: 7 })],
];

describe("reading a stored session", () => {
  for (const [name, change] of variants) {
    it(`gives what the format's schema gives: ${name}`, () => {
      const byFormat = sessionFormat.safeRead(change(written()));
      const read = tryReadSession(change(written()));
      expect(read).toEqual(byFormat.success ? byFormat.data : null);
      if (byFormat.success) expect(readSession(change(written()))).toEqual(byFormat.data);
      else expect(() => readSession(change(written()))).toThrow();
    });
  }

  it("reads the same stored document once", () => {
    const stored = written();
    expect(tryReadSession(stored)).toBe(readSession(stored));
    expect(readSession(written())).not.toBe(readSession(stored));
  });
});
