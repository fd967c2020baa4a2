// Bot API failures (grammY's GrammyError/HttpError, Telegraf's TelegramError, raw network errors)
// → SendResult failures, so the outbox dispatcher can decide between waiting and giving up.
// Errors are recognised by shape, not class, so this file loads neither library.
import type { SendResult } from "../types.ts";

export type SendFailure = Extract<SendResult, { ok: false }>;

interface ApiFailure {
  code: number;
  description: string;
  retryAfterSeconds?: number;
}

export function classifySendError(error: unknown): SendFailure {
  const api = apiFailure(error);
  if (!api) {
    // No answer from Telegram (grammY's HttpError, ECONNRESET, ETIMEDOUT, "fetch failed", a timeout):
    // we do not know whether the message arrived, and a later attempt may well succeed.
    return { ok: false, reason: "network", permanent: false, error: `network: ${describeNetworkError(error)}` };
  }
  const text = redactToken(`${api.code} ${api.description}`.trim());
  if (api.code === 429) {
    const retryAfterMs = api.retryAfterSeconds !== undefined ? api.retryAfterSeconds * 1000 : undefined;
    return { ok: false, reason: "rate_limited", permanent: false, ...(retryAfterMs !== undefined && { retryAfterMs }), error: text };
  }
  if (api.code >= 500) return { ok: false, reason: "server", permanent: false, error: text };
  // Blocked by the user, user deactivated, bot kicked: only the patient can undo it.
  if (api.code === 403) return { ok: false, reason: "blocked", permanent: true, error: text };
  // A wrong token (401/404) is the bot's setup, not this message: keep the message for after the fix.
  if (api.code === 401 || api.code === 404) return { ok: false, reason: "server", permanent: false, error: text };
  // "chat not found", "message text is empty", "BUTTON_DATA_INVALID": sending again cannot help.
  return { ok: false, reason: "bad_request", permanent: true, error: text };
}

/**
 * Answers to acknowledging a button press that mean "nothing to do": the keyboard is already gone,
 * the query expired, or the message is too old to edit. Not worth more than a debug line.
 */
export function isIgnorableAcknowledgeError(error: unknown): boolean {
  const api = apiFailure(error);
  return api?.code === 400 && /message is not modified|query is too old|query id is invalid|message to edit not found|message can't be edited/i.test(api.description);
}

/** One line for logs and SendResult.error, with any bot token removed. */
export function describeError(error: unknown): string {
  const api = apiFailure(error);
  if (api) return redactToken(`${api.code} ${api.description}`);
  if (error instanceof Error) return redactToken(`${error.name}: ${error.message}`);
  return redactToken(String(error));
}

/** Bot tokens show up in request URLs inside fetch errors; they are credentials. */
export function redactToken(text: string): string {
  // In a URL (".../bot<id>:<secret>/method") any length; bare, only token-shaped (secrets are ~35 chars).
  return text.replace(/\/bot\d+:[^/\s]+/g, "/bot<token>").replace(/\b\d{3,}:[A-Za-z0-9_-]{20,}/g, "<token>");
}

function apiFailure(error: unknown): ApiFailure | undefined {
  if (!isObject(error)) return undefined;
  // grammY's GrammyError carries the Bot API answer on itself...
  // ...Telegraf's TelegramError under `response` (its `code` getter mirrors error_code).
  const body = typeof error.error_code === "number" ? error : isObject(error.response) && typeof error.response.error_code === "number" ? error.response : undefined;
  if (!body) return undefined;
  const description = typeof body.description === "string" ? body.description : "";
  const retryAfterSeconds = retryAfterOf(body.parameters) ?? retryAfterIn(description);
  return { code: body.error_code as number, description, ...(retryAfterSeconds !== undefined && { retryAfterSeconds }) };
}

function retryAfterOf(parameters: unknown): number | undefined {
  const value = isObject(parameters) ? parameters.retry_after : undefined;
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

// "Too Many Requests: retry after 7", for answers that lost their parameters on the way.
function retryAfterIn(description: string): number | undefined {
  const match = /retry after (\d+)/i.exec(description);
  return match?.[1] !== undefined ? Number(match[1]) : undefined;
}

// grammY's HttpError keeps the fetch failure in `error`; standard errors use `cause`.
function causeOf(error: Record<string, unknown>): unknown {
  return error.error ?? error.cause;
}

/** "Network request for 'sendMessage' failed! (FetchError: ... ECONNREFUSED)": wrapper and root cause. */
function describeNetworkError(error: unknown): string {
  const parts = [describeError(error)];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && isObject(current) && causeOf(current) instanceof Error; depth++) {
    current = causeOf(current);
    parts.push(describeError(current));
  }
  return parts.length > 1 ? `${parts[0]} (${parts.at(-1)})` : parts[0] ?? "";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
