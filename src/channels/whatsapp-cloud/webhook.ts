// The Cloud API's webhook on CareBot's HTTP server: GET answers Meta's subscription check
// (hub.verify_token), POST takes updates whose X-Hub-Signature-256 matches the raw body. A body
// with a bad or missing signature is refused (401) before anything is read or stored.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { ChannelLogger } from "../logger.ts";
import type { InboundHandler } from "../types.ts";
import { inboundOfWebhook, webhookSchema } from "./inbound.ts";
import { isSignedBy, SIGNATURE_HEADER } from "./signature.ts";

export const WHATSAPP_WEBHOOK_PATH = "/whatsapp/webhook";

export interface CloudWebhookOptions {
  appSecret: string;
  verifyToken: string;
  phoneNumberId: string;
  logger: ChannelLogger;
  onInbound: InboundHandler;
}

const verifyQuery = z.object({ "hub.mode": z.string(), "hub.verify_token": z.string(), "hub.challenge": z.string() });

/** Registers the routes in their own scope (loaded when the server starts listening). */
export function registerCloudWebhook(http: FastifyInstance, options: CloudWebhookOptions): void {
  // Its own scope: here JSON arrives as bytes, because the signature is over the bytes.
  void http.register(async (scope) => {
    scope.removeContentTypeParser("application/json");
    scope.addContentTypeParser("application/json", { parseAs: "buffer" }, (_request, body, done) => done(null, body));

    scope.get(WHATSAPP_WEBHOOK_PATH, async (request, reply) => {
      const query = verifyQuery.safeParse(request.query);
      if (!query.success || query.data["hub.mode"] !== "subscribe" || query.data["hub.verify_token"] !== options.verifyToken) {
        return reply.code(403).send({ error: "hub.mode must be subscribe and hub.verify_token must be WHATSAPP_VERIFY_TOKEN" });
      }
      return reply.type("text/plain").send(query.data["hub.challenge"]);
    });

    scope.post(WHATSAPP_WEBHOOK_PATH, async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const header = request.headers[SIGNATURE_HEADER];
      if (!isSignedBy(options.appSecret, raw, typeof header === "string" ? header : undefined)) {
        options.logger.warn({ ip: request.ip }, "whatsapp cloud: webhook with a bad or missing X-Hub-Signature-256 refused");
        return reply.code(401).send({ error: "X-Hub-Signature-256 does not match the body signed with WHATSAPP_APP_SECRET" });
      }
      let json: unknown;
      try {
        json = JSON.parse(raw.toString("utf8"));
      } catch {
        return reply.code(400).send({ error: "the body is not JSON" });
      }
      const parsed = webhookSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        options.logger.warn({ path: issue.path.join("."), error: issue.message }, "whatsapp cloud: webhook body not understood");
        return reply.code(400).send({ error: `${issue.path.join(".") || "body"}: ${issue.message}` });
      }
      const { messages, statuses } = inboundOfWebhook(parsed.data, options.phoneNumberId);
      for (const status of statuses) {
        if (status.status === "failed") {
          options.logger.warn({ messageId: status.id, errors: status.errors }, "whatsapp cloud: WhatsApp could not deliver a message");
        }
      }
      // In order: a patient's quick messages reach the flow as written. A failure answers 500 so
      // Meta delivers again (each message is processed once: its dedupe key).
      for (const message of messages) await options.onInbound(message);
      return reply.code(200).send({ ok: true });
    });
  });
}
