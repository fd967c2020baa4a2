// Classification of the errors both client libraries really throw (the integration tests
// produce them over HTTP too; here every branch is pinned down cheaply).
import { GrammyError, HttpError } from "grammy";
import { TelegramError } from "telegraf";
import { describe, expect, it } from "vitest";
import { classifySendError, describeError, isIgnorableAcknowledgeError, redactToken } from "../../../src/channels/telegram/errors.ts";

const grammy = (error_code: number, description: string, parameters?: object) =>
  new GrammyError("Call to 'sendMessage' failed!", { ok: false, error_code, description, ...(parameters && { parameters }) }, "sendMessage", {});
const telegraf = (error_code: number, description: string, parameters?: object) =>
  new TelegramError({ error_code, description, ...(parameters && { parameters }) });
const systemError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe("classifySendError", () => {
  for (const [library, make] of [["grammY", grammy], ["Telegraf", telegraf]] as const) {
    it(`reads ${library}'s Bot API errors`, () => {
      expect(classifySendError(make(429, "Too Many Requests: retry after 7", { retry_after: 7 }))).toEqual({
        ok: false, reason: "rate_limited", permanent: false, retryAfterMs: 7000, error: "429 Too Many Requests: retry after 7",
      });
      expect(classifySendError(make(429, "Too Many Requests: retry after 3"))).toMatchObject({ retryAfterMs: 3000 });
      expect(classifySendError(make(429, "Too Many Requests"))).not.toHaveProperty("retryAfterMs");
      expect(classifySendError(make(500, "Internal Server Error"))).toMatchObject({ reason: "server", permanent: false });
      expect(classifySendError(make(502, "Bad Gateway"))).toMatchObject({ reason: "server", permanent: false });
      expect(classifySendError(make(403, "Forbidden: bot was blocked by the user"))).toEqual({
        ok: false, reason: "blocked", permanent: true, error: "403 Forbidden: bot was blocked by the user",
      });
      expect(classifySendError(make(403, "Forbidden: user is deactivated"))).toMatchObject({ reason: "blocked", permanent: true });
      expect(classifySendError(make(400, "Bad Request: chat not found"))).toMatchObject({ reason: "bad_request", permanent: true });
      expect(classifySendError(make(400, "Bad Request: message text is empty"))).toMatchObject({ reason: "bad_request", permanent: true });
      // A wrong token is the bot's setup, not the message: retryable once fixed.
      expect(classifySendError(make(401, "Unauthorized"))).toMatchObject({ reason: "server", permanent: false });
    });
  }

  it("treats every failure to get an answer as network", () => {
    const refused = systemError("ECONNREFUSED", "request to http://127.0.0.1:9/bot123456:SECRET_TOKEN/sendMessage failed, reason: connect ECONNREFUSED");
    const wrapped = new HttpError("Network request for 'sendMessage' failed!", refused);
    const result = classifySendError(wrapped);
    expect(result).toMatchObject({ ok: false, reason: "network", permanent: false });
    expect(result.error).toContain("Network request for 'sendMessage' failed!");
    expect(result.error).toContain("ECONNREFUSED");
    expect(result.error).not.toContain("SECRET_TOKEN");
    for (const error of [systemError("ECONNRESET", "socket hang up"), systemError("ETIMEDOUT", "connect ETIMEDOUT"), new TypeError("fetch failed")]) {
      expect(classifySendError(error)).toMatchObject({ reason: "network", permanent: false });
    }
  });
});

describe("helpers", () => {
  it("recognises the acknowledgement answers that need no action", () => {
    expect(isIgnorableAcknowledgeError(grammy(400, "Bad Request: message is not modified: specified new message content..."))).toBe(true);
    expect(isIgnorableAcknowledgeError(telegraf(400, "Bad Request: query is too old and response timeout expired or query ID is invalid"))).toBe(true);
    expect(isIgnorableAcknowledgeError(grammy(403, "Forbidden: bot was blocked by the user"))).toBe(false);
    expect(isIgnorableAcknowledgeError(new Error("message is not modified"))).toBe(false);
  });

  it("never lets a bot token into a log line", () => {
    expect(redactToken("GET /bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe")).toBe("GET /bot<token>/getMe");
    expect(redactToken("token 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw leaked")).toBe("token <token> leaked");
    expect(describeError(new Error("request to https://api.telegram.org/bot42:abcdEFGH/sendMessage failed"))).toBe(
      "Error: request to https://api.telegram.org/bot<token>/sendMessage failed",
    );
    expect(redactToken("visit at 10:30")).toBe("visit at 10:30");
  });
});
