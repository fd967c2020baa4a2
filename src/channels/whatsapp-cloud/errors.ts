// Graph API errors → what the dispatcher does (Cloud API error codes, developers.facebook.com
// "WhatsApp error codes"). 131047 (outside the 24-hour window) is handled by the sender itself.
import type { SendResult } from "../types.ts";
import type { GraphSendResult } from "./graph-api.ts";

export type CloudFailure = Extract<SendResult, { ok: false }>;

/** Re-engagement message: more than 24 hours since the patient's last message. */
export const WINDOW_CLOSED_CODE = 131047;

// Waits Graph does not state: throughput limit (130429) passes in seconds; the pair rate limit
// (131056, too many messages to one person) and the spam limit (131048) need longer.
const RATE_LIMITED: Readonly<Record<number, number>> = { 130429: 5_000, 131056: 60_000, 131048: 10 * 60_000, 80007: 60_000, 4: 60_000 };
// The recipient cannot receive messages from this number (not on WhatsApp, or undeliverable for good).
const UNREACHABLE = new Set([131026, 131045, 133010]);
// The message itself is wrong (bad parameter, unsupported type, unknown or mismatched template): no retry helps.
const BAD_MESSAGE = new Set([100, 131008, 131009, 131051, 131052, 131053, 132000, 132001, 132005, 132007, 132012, 132015, 132016]);

export function classifyGraphFailure(failure: Exclude<GraphSendResult, { ok: true }>): CloudFailure {
  const error = failure.message;
  if ("network" in failure) return { ok: false, reason: "network", permanent: false, error };
  const code = failure.code;
  if (code !== undefined && RATE_LIMITED[code] !== undefined) return { ok: false, reason: "rate_limited", permanent: false, retryAfterMs: RATE_LIMITED[code], error };
  if (failure.status === 429) return { ok: false, reason: "rate_limited", permanent: false, retryAfterMs: 60_000, error };
  if (code !== undefined && UNREACHABLE.has(code)) return { ok: false, reason: "blocked", permanent: true, error };
  if (code !== undefined && BAD_MESSAGE.has(code)) return { ok: false, reason: "bad_request", permanent: true, error };
  // 5xx, 131000 (something went wrong), 131016 (service unavailable), and token or permission
  // problems (0, 10, 190, 200): not this message's fault; retried with backoff while someone fixes it.
  return { ok: false, reason: "server", permanent: false, error };
}
