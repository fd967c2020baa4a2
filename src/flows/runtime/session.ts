import { z } from "zod";
import { StoredFormat } from "../../util/versioned/stored-format.ts";

// What a conversation row keeps between messages (its `snapshot` column): XState's persisted
// snapshot plus what the runtime itself needs. A stored format (src/util/versioned): `v` is its
// version; a change of this shape adds an upgrade step below and a fixture in
// test/fixtures/formats/session/.

const timerSchema = z.object({
  /** XState's id of the delayed event (xstate.after.<ms>.<flow>.<state>), used to cancel it. */
  id: z.string(),
  event: z.string(),
  dueAt: z.iso.datetime(),
});
export type PersistedTimer = z.infer<typeof timerSchema>;

const optionSchema = z.object({ value: z.union([z.string(), z.number()]), label: z.string() });

/** The session format's version, written into every session (`v`). */
export const SESSION_VERSION = 1;

export const sessionSchema = z.object({
  v: z.literal(SESSION_VERSION),
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

/**
 * The session's upgrade chain. Version 1 is the shape the runtime shipped with, and it has not
 * changed since (git log -p src/flows/runtime/session.ts): no step yet.
 */
export const sessionFormat = new StoredFormat({ name: "session", field: "v", schema: sessionSchema, steps: [] });
if (sessionFormat.current !== SESSION_VERSION) throw new Error("SESSION_VERSION must be the session format's last version");

/**
 * Sessions already read, by the stored document they were read from: a message reads its
 * conversation's snapshot twice (the router for the options shown, the runtime to go on), and
 * each is the same parsed column value. A fresh read of the row is a new object and is read
 * afresh. What a read returns is never changed in place (steps write a new session).
 */
const alreadyRead = new WeakMap<object, Session>();

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
const hasKeys = (value: Record<string, unknown>, count: number) => Object.keys(value).length === count;
/** A time exactly as Date#toISOString writes it (what the runtime stores), which z.iso.datetime() takes. */
const isStoredTime = (value: unknown) => typeof value === "string" && value.length === 24 && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value;

/**
 * The session exactly as this CareBot writes it (current version, every field present, no other
 * field), checked by hand: sessionSchema would pass it unchanged, and zod's parse of the whole
 * machine record on every message cost more than the step's own logic. Anything else (an older
 * version, a field missing or extra, a copy edited by hand) goes through the format: undefined.
 */
function asWritten(raw: unknown): Session | undefined {
  if (!isPlainObject(raw) || !hasKeys(raw, 6) || raw.v !== SESSION_VERSION || typeof raw.definitionKey !== "string" || !isPlainObject(raw.machine)) return undefined;
  const { timers, invalid, options } = raw;
  const timersOk = Array.isArray(timers) && timers.every((t) => isPlainObject(t) && hasKeys(t, 3) && typeof t.id === "string" && typeof t.event === "string" && isStoredTime(t.dueAt));
  const invalidOk = invalid === null || (isPlainObject(invalid) && hasKeys(invalid, 2) && typeof invalid.state === "string" && Number.isSafeInteger(invalid.count));
  const optionsOk =
    options === null ||
    (Array.isArray(options) &&
      options.every((o) => isPlainObject(o) && hasKeys(o, 2) && (typeof o.value === "string" || (typeof o.value === "number" && Number.isFinite(o.value))) && typeof o.label === "string"));
  return timersOk && invalidOk && optionsOk ? (raw as Session) : undefined;
}

/** A stored session, upgraded to the current version; throws when it cannot be read. */
export function readSession(raw: unknown): Session {
  const known = typeof raw === "object" && raw !== null ? alreadyRead.get(raw) : undefined;
  if (known) return known;
  const session = asWritten(raw) ?? sessionFormat.read(raw);
  if (typeof raw === "object" && raw !== null) alreadyRead.set(raw, session);
  return session;
}

/** A stored session, or null when it cannot be read (broken, or written by a newer CareBot). */
export function tryReadSession(raw: unknown): Session | null {
  const known = typeof raw === "object" && raw !== null ? alreadyRead.get(raw) : undefined;
  if (known) return known;
  const session = asWritten(raw) ?? (() => {
    const result = sessionFormat.safeRead(raw);
    return result.success ? result.data : undefined;
  })();
  if (!session) return null;
  if (typeof raw === "object" && raw !== null) alreadyRead.set(raw, session);
  return session;
}

/** The earliest pending timer: the conversation row's timerDueAt, which the scheduler polls. */
export function nextTimer(timers: PersistedTimer[]): PersistedTimer | null {
  return timers.reduce<PersistedTimer | null>((min, t) => (!min || t.dueAt < min.dueAt ? t : min), null);
}
