// MAX Bot API failures (the client's MaxError: HTTP status + {code, message}, or a network error)
// → SendResult failures, so the outbox dispatcher can decide between waiting and giving up.
// Recognised by shape, so this file does not load the client library.
import type { SendResult } from "../types.ts";

export type MaxSendFailure = Extract<SendResult, { ok: false }>;

interface MaxApiFailure {
  status: number;
  code: string;
  message: string;
}

export function classifyMaxError(error: unknown): MaxSendFailure {
  const api = maxApiFailure(error);
  if (!api) return { ok: false, reason: "network", permanent: false, error: `network: ${describeMaxError(error)}` };
  const text = `${api.status} ${api.code}: ${api.message}`.trim();
  // MAX sends no retry-after: the dispatcher's own wait applies.
  if (api.status === 429) return { ok: false, reason: "rate_limited", permanent: false, error: text };
  if (api.status >= 500) return { ok: false, reason: "server", permanent: false, error: text };
  // The patient blocked the bot or left the dialog: only the patient can undo it.
  if (api.status === 403 || /chat\.denied|blocked|dialog\.(suspended|removed)/i.test(`${api.code} ${api.message}`)) {
    return { ok: false, reason: "blocked", permanent: true, error: text };
  }
  // A wrong or revoked token is the bot's setup, not this message: keep it for after the fix.
  if (api.status === 401) return { ok: false, reason: "server", permanent: false, error: text };
  // "chat.not.found", a bad keyboard, an empty text: sending again cannot help.
  return { ok: false, reason: "bad_request", permanent: true, error: text };
}

/** One line for logs and SendResult.error (the token is a header, never in a message). */
export function describeMaxError(error: unknown): string {
  const api = maxApiFailure(error);
  if (api) return `${api.status} ${api.code}: ${api.message}`;
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.name}: ${error.message} (${cause.message})` : `${error.name}: ${error.message}`;
  }
  return String(error);
}

export function maxApiFailure(error: unknown): MaxApiFailure | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { status, response } = error as { status?: unknown; response?: unknown };
  if (typeof status !== "number" || typeof response !== "object" || response === null) return undefined;
  const body = response as { code?: unknown; message?: unknown };
  return { status, code: typeof body.code === "string" ? body.code : "", message: typeof body.message === "string" ? body.message : "" };
}
