// POST /max/webhook: MAX posts one Update per request with the subscription's secret in
// X-Max-Bot-Api-Secret. A wrong or missing secret is refused before the body is read as an update.
import { timingSafeEqual } from "node:crypto";
import type { Update } from "@maxhub/max-bot-api/types";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { ChannelLogger } from "../logger.ts";
import { describeMaxError } from "./errors.ts";

export const MAX_SECRET_HEADER = "x-max-bot-api-secret";

export type MaxFastifyWebhook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

// Only what routing needs; inbound.ts reads the rest defensively.
const updateShape = z.object({ update_type: z.string().min(1), timestamp: z.number() }).loose();

export function maxFastifyWebhook(secret: string, handle: (update: Update) => Promise<void>, logger: ChannelLogger): MaxFastifyWebhook {
  return async (request, reply) => {
    if (!secretMatches(request.headers[MAX_SECRET_HEADER], secret)) {
      logger.warn({ ip: request.ip }, "max: webhook call with a wrong or missing secret refused");
      await reply.code(401).send({ ok: false, error: `the ${MAX_SECRET_HEADER} header is missing or wrong` });
      return;
    }
    const parsed = updateShape.safeParse(request.body);
    if (!parsed.success) {
      await reply.code(400).send({ ok: false, error: "the body is not a MAX update: it needs update_type (text) and timestamp (number)" });
      return;
    }
    try {
      await handle(parsed.data as unknown as Update);
    } catch (error) {
      // 5xx: MAX delivers the update again later; its dedupe key keeps a second run harmless.
      logger.error({ error: describeMaxError(error), updateType: parsed.data.update_type }, "max: a webhook update could not be handled now");
      await reply.code(500).send({ ok: false });
      return;
    }
    await reply.code(200).send({ ok: true });
  };
}

function secretMatches(header: unknown, secret: string): boolean {
  if (typeof header !== "string") return false;
  const got = Buffer.from(header);
  const want = Buffer.from(secret);
  return got.length === want.length && timingSafeEqual(got, want);
}
