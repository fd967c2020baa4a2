// HTTP entry points for webhook mode. grammY's webhookCallback already compares
// X-Telegram-Bot-Api-Secret-Token in constant time and answers 401 on a missing or wrong one.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Bot } from "grammy";
import { webhookCallback } from "grammy";
import type { Update } from "grammy/types";
import { describeError } from "./errors.ts";
import type { TelegramLogger } from "./logger.ts";
import type { UpdateFailures } from "./update-failures.ts";

export type NodeWebhookHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
export type FastifyWebhookHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export interface WebhookFailureHandling {
  logger: TelegramLogger;
  failures: UpdateFailures;
  /** Logs a poison update and apologises in its chat. */
  giveUp(update: Update, error: unknown): Promise<void>;
}

// Telegram's own rule for secret_token; checked early so a bad config fails at startup, not at setWebhook.
const SECRET = /^[A-Za-z0-9_-]{1,256}$/;

export function assertWebhookSecret(secret: string): void {
  if (!SECRET.test(secret)) throw new Error("Telegram webhook secret must be 1-256 characters of A-Z, a-z, 0-9, _ and -");
}

/**
 * What the answer to Telegram should be after handling failed: 500 makes Telegram deliver the
 * update again (the database is away; the router's dedupe key makes a repeat harmless), 200 ends
 * a poison update's deliveries once it has been logged and answered.
 */
async function answerFailure(body: unknown, error: unknown, handling: WebhookFailureHandling): Promise<number> {
  const update = typeof body === "object" && body !== null && typeof (body as Update).update_id === "number" ? (body as Update) : undefined;
  if (!update) {
    handling.logger.warn({ error: describeError(error) }, "telegram: webhook body is not an update");
    return 400;
  }
  if (handling.failures.decide(update.update_id, error) === "retry") {
    handling.logger.warn(
      { updateId: update.update_id, attempt: handling.failures.attempts(update.update_id), error: describeError(error) },
      "telegram: an update could not be handled now; Telegram will deliver it again",
    );
    return 500;
  }
  await handling.giveUp(update, error);
  return 200;
}

/**
 * For Fastify 5: mount with `app.post(path, handler)`; Fastify parses the JSON body.
 * A handler that outlives grammY's 10 s webhook timeout fails the request, so Telegram redelivers
 * the update (the dedupe key makes that harmless) instead of it being lost with the process.
 */
export function fastifyWebhook(bot: Bot, secret: string, handling: WebhookFailureHandling): FastifyWebhookHandler {
  const callback = webhookCallback(bot, "fastify", { secretToken: secret });
  return async (request, reply) => {
    try {
      await callback(request, reply);
      forgetDelivered(request.body, handling);
    } catch (error) {
      const status = await answerFailure(request.body, error, handling);
      if (!reply.sent) await reply.code(status).send(status === 200 ? undefined : { ok: false });
    }
  };
}

/** For a plain node:http server; a body that is not JSON gets 400 instead of an unhandled rejection. */
export function nodeWebhook(bot: Bot, secret: string, handling: WebhookFailureHandling): NodeWebhookHandler {
  const callback = webhookCallback(bot, nodeHttpAdapter as never, { secretToken: secret }) as unknown as (
    req: IncomingMessage,
    res: ServerResponse,
    seen: { body?: unknown },
  ) => Promise<void>;
  return async (req, res) => {
    const seen: { body?: unknown } = {};
    try {
      await callback(req, res, seen);
      forgetDelivered(seen.body, handling);
    } catch (error) {
      if (error instanceof SyntaxError) {
        handling.logger.warn({ error: describeError(error) }, "telegram: webhook request failed");
        if (!res.headersSent) res.writeHead(400);
      } else {
        const status = await answerFailure(seen.body, error, handling);
        if (!res.headersSent) res.writeHead(status);
      }
      if (!res.writableEnded) res.end();
    }
  };
}

/** grammY's node:http adapter (not exported by grammY), keeping the parsed update for failures. */
function nodeHttpAdapter(req: IncomingMessage, res: ServerResponse, seen: { body?: unknown }) {
  const header = req.headers["x-telegram-bot-api-secret-token"];
  return {
    update: new Promise<Update>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req
        .on("data", (chunk: Buffer) => chunks.push(chunk))
        .once("end", () => {
          try {
            seen.body = JSON.parse(Buffer.concat(chunks).toString("utf-8"));
            resolve(seen.body as Update);
          } catch (error) {
            reject(error);
          }
        })
        .once("error", reject);
    }),
    header: Array.isArray(header) ? header[0] : header,
    end: () => res.end(),
    respond: (json: string) => res.writeHead(200, { "Content-Type": "application/json" }).end(json),
    unauthorized: () => res.writeHead(401).end('"unauthorized"'),
  };
}

function forgetDelivered(body: unknown, handling: WebhookFailureHandling): void {
  const id = (body as { update_id?: unknown } | undefined)?.update_id;
  if (typeof id === "number") handling.failures.forget(id);
}
