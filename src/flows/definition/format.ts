import { StoredFormat } from "../../util/versioned/stored-format.ts";
import type { UpgradeStep } from "../../util/versioned/stored-format.ts";
import { FLOW_FORMAT_VERSION, flowSchema } from "./schema.ts";

// The flow format's upgrade chain. A flow definition is stored and read back in three places
// (flows/*.json, the clinic's published versions, and the copy each conversation keeps so it
// finishes on the version it started on), so a change of the format must not make any of them
// unreadable: it adds a step here and a fixture in test/fixtures/formats/flow/.

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const SECOND = 1_000;

/** 5400000 → "PT1H30M", 86400000 → "P1D", 1500 → "PT1.5S": the same delay as an ISO-8601 duration. */
export function isoDelay(ms: number): string {
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  const seconds = (ms % MINUTE) / SECOND;
  const time = `${hours ? `${hours}H` : ""}${minutes ? `${minutes}M` : ""}${seconds ? `${seconds}S` : ""}`;
  if (!days && !time) return "PT0S";
  return `P${days ? `${days}D` : ""}${time ? `T${time}` : ""}`;
}

/**
 * 1 → 2: a delay in `after` is an ISO-8601 duration ("PT30M", "P1D"). The first flows could also
 * say milliseconds ("1800000"); the console's editor, the diagram and the version comparison all
 * speak durations, so the milliseconds become the same duration. XState's timers keep their ids
 * (the machine turns every delay into milliseconds), so a conversation waiting on one still wakes.
 */
const delaysAsDurations: UpgradeStep = (doc) => {
  const states = doc.states;
  if (typeof states !== "object" || states === null || Array.isArray(states)) return doc;
  const upgraded = Object.fromEntries(
    Object.entries(states).map(([name, state]) => {
      const after = (state as { after?: unknown } | null)?.after;
      if (typeof after !== "object" || after === null || Array.isArray(after)) return [name, state];
      const renamed = Object.entries(after).map(([delay, to]) => [/^\d+$/.test(delay) ? isoDelay(Number(delay)) : delay, to]);
      return [name, { ...(state as object), after: Object.fromEntries(renamed) }];
    }),
  );
  return { ...doc, states: upgraded };
};

export const flowFormat = new StoredFormat({ name: "flow definition", field: "formatVersion", schema: flowSchema, steps: [delaysAsDurations] });
if (flowFormat.current !== FLOW_FORMAT_VERSION) throw new Error("FLOW_FORMAT_VERSION must be the flow format's last version");
