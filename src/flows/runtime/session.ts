import { z } from "zod";

// What a conversation row keeps between messages (its `snapshot` column): XState's persisted
// snapshot plus what the runtime itself needs. Versioned: a future shape adds a reader for v1.

const timerSchema = z.object({
  /** XState's id of the delayed event (xstate.after.<ms>.<flow>.<state>), used to cancel it. */
  id: z.string(),
  event: z.string(),
  dueAt: z.iso.datetime(),
});
export type PersistedTimer = z.infer<typeof timerSchema>;

const optionSchema = z.object({ value: z.union([z.string(), z.number()]), label: z.string() });

export const sessionSchema = z.object({
  v: z.literal(1),
  /** Identity of the definition the conversation runs on (see definitionKey). */
  definitionKey: z.string(),
  machine: z.record(z.string(), z.unknown()),
  timers: z.array(timerSchema).default([]),
  /** Unexpected answers in a row in the current state. */
  invalid: z.object({ state: z.string(), count: z.number().int() }).nullable().default(null),
  /** The options last shown, so a typed "2" or "Да" can stand for pressing a button. */
  options: z.array(optionSchema).nullable().default(null),
});
export type Session = z.infer<typeof sessionSchema>;

export function readSession(raw: unknown): Session {
  return sessionSchema.parse(raw);
}

/** The earliest pending timer: the conversation row's timerDueAt, which the scheduler polls. */
export function nextTimer(timers: PersistedTimer[]): PersistedTimer | null {
  return timers.reduce<PersistedTimer | null>((min, t) => (!min || t.dueAt < min.dueAt ? t : min), null);
}
