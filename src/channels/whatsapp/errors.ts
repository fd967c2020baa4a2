// whatsapp-web.js / puppeteer failures → SendResult failures, so the outbox dispatcher can decide
// between waiting and giving up. Recognised by name and message (the library also throws plain
// strings), so this file loads neither library.
import type { SendResult } from "../types.ts";

export type SendFailure = Extract<SendResult, { ok: false }>;

/** The dispatcher retries later: the session may come back (QR scanned, reconnect done). */
export const NOT_READY: SendFailure = { ok: false, reason: "network", permanent: false, error: "WhatsApp session is not ready" };

// The browser or its page went away mid-call: the session has to be started again.
const SESSION_CLOSED =
  /session closed|target closed|targetcloseerror|browser has disconnected|connection closed|execution context was destroyed|frame was detached|detached frame|page has been closed/i;
// WhatsApp Web rejects the recipient itself: no later attempt can reach it.
const BAD_RECIPIENT = /invalid wid|wid error|no lid for user|not a whatsapp user|not registered on whatsapp|not on whatsapp/i;
// The DevTools link to the browser failed, no answer in time, or the machine is offline.
const NETWORK = /protocolerror|protocol error|timeout|timed out|net::err_|econnreset|econnrefused|etimedout|enotfound|eai_again|socket hang up/i;

export function classifySendError(error: unknown): SendFailure {
  const text = describeError(error);
  if (BAD_RECIPIENT.test(text)) return { ok: false, reason: "bad_request", permanent: true, error: text };
  if (isSessionClosedError(error) || NETWORK.test(text)) return { ok: false, reason: "network", permanent: false, error: text };
  // Anything else is WhatsApp Web misbehaving (its internals change without notice): not this message's fault.
  return { ok: false, reason: "server", permanent: false, error: text };
}

/** The browser or page behind the client is gone: the channel must reconnect before sending again. */
export function isSessionClosedError(error: unknown): boolean {
  return SESSION_CLOSED.test(describeError(error));
}

/** One line for logs and SendResult.error. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.split("\n")[0] ?? error.name;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
