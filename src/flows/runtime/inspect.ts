// What a conversation's stored snapshot says, for those who show it or test it (the preview, the
// terminal chat): the runtime's public reading of its own format, so nobody else parses it.
import type { Prisma } from "../../db/client.ts";
import { nextTimer, readSession } from "./session.ts";

export interface SnapshotView {
  /** The state the machine is in ("ask", or the JSON of a nested state). */
  state: string;
  context: Record<string, unknown>;
  /** Pending flow timers, earliest first. */
  timers: { event: string; dueAt: string }[];
}

/** The snapshot's state, context and timers; null when it does not read as a snapshot. */
export function describeSnapshot(snapshot: unknown): SnapshotView | null {
  let session;
  try {
    session = readSession(snapshot);
  } catch {
    return null;
  }
  const value = session.machine.value;
  const context = session.machine.context;
  return {
    state: typeof value === "string" ? value : JSON.stringify(value ?? null),
    context: context && typeof context === "object" ? (context as Record<string, unknown>) : {},
    timers: session.timers.map((t) => ({ event: t.event, dueAt: t.dueAt })).sort((a, b) => a.dueAt.localeCompare(b.dueAt)),
  };
}

/**
 * The snapshot with its timers brought forward so that the earliest is due at `now` (the others
 * keep their distance from it), and the row's next-timer columns to write with it. "due" when the
 * earliest is due already, null when there is no timer.
 */
export function timersBroughtForward(
  snapshot: unknown,
  now: Date,
): { snapshot: Prisma.InputJsonValue; timerDueAt: Date; timerEvent: string } | "due" | null {
  const session = readSession(snapshot);
  const first = nextTimer(session.timers);
  if (!first) return null;
  const shift = new Date(first.dueAt).getTime() - now.getTime();
  if (shift <= 0) return "due";
  const timers = session.timers.map((t) => ({ ...t, dueAt: new Date(new Date(t.dueAt).getTime() - shift).toISOString() }));
  const next = nextTimer(timers)!;
  return { snapshot: { ...session, timers } as unknown as Prisma.InputJsonValue, timerDueAt: new Date(next.dueAt), timerEvent: next.event };
}
