// HTTP entry points for webhook mode. grammY's webhookCallback already compares
// X-Telegram-Bot-Api-Secret-Token in constant time and answers 401 on a missing or wrong one.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Bot } from "grammy";
import { webhookCallback } from "grammy";
import { describeError } from "./errors.ts";
import type { TelegramLogger } from "./logger.ts";

export type NodeWebhookHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
export type FastifyWebhookHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

// Telegram's own rule for secret_token; checked early so a bad config fails at startup, not at setWebhook.
const SECRET = /^[A-Za-z0-9_-]{1,256}$/;

export function assertWebhookSecret(secret: string): void {
  if (!SECRET.test(secret)) throw new Error("Telegram webhook secret must be 1-256 characters of A-Z, a-z, 0-9, _ and -");
}

/**
 * For Fastify 5: mount with `app.post(path, handler)`; Fastify parses the JSON body.
 * A handler that outlives grammY's 10 s webhook timeout fails the request, so Telegram redelivers
 * the update (the dedupe key makes that harmless) instead of it being lost with the process.
 */
export function fastifyWebhook(bot: Bot, secret: string): FastifyWebhookHandler {
  const callback = webhookCallback(bot, "fastify", { secretToken: secret });
  return async (request, reply) => {
    await callback(request, reply);
  };
}

/** For a plain node:http server; a body that is not JSON gets 400 instead of an unhandled rejection. */
export function nodeWebhook(bot: Bot, secret: string, logger: TelegramLogger): NodeWebhookHandler {
  const callback = webhookCallback(bot, "http", { secretToken: secret });
  return async (req, res) => {
    try {
      await callback(req, res);
    } catch (error) {
      logger.warn({ error: describeError(error) }, "telegram: webhook request failed");
      if (!res.headersSent) res.writeHead(error instanceof SyntaxError ? 400 : 500);
      if (!res.writableEnded) res.end();
    }
  };
}
