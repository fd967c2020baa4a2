// CareBot's WhatsApp channel on the official WhatsApp Cloud API (Meta's Graph API): outbound
// through POST /{phone-number-id}/messages, inbound through the signed webhook. It only
// translates; the 24-hour window is kept by the sender from the chat's last inbound time.
import type { FastifyInstance } from "fastify";
import type { Clock } from "../../util/clock.ts";
import type { ChannelLogger } from "../logger.ts";
import { silentLogger } from "../logger.ts";
import type { ChannelSender, InboundHandler } from "../types.ts";
import { createGraphApi } from "./graph-api.ts";
import { createCloudSender } from "./sender.ts";
import { registerCloudWebhook } from "./webhook.ts";

export interface WhatsAppCloudOptions {
  graphUrl: string;
  token: string;
  phoneNumberId: string;
  appSecret: string;
  verifyToken: string;
  clock: Clock;
  onInbound: InboundHandler;
  logger?: ChannelLogger;
}

export interface WhatsAppCloudChannel {
  readonly sender: ChannelSender;
  /** Mounts GET/POST /whatsapp/webhook on the service's HTTP server (before it listens). */
  register(http: FastifyInstance): void;
}

export function createWhatsAppCloudChannel(options: WhatsAppCloudOptions): WhatsAppCloudChannel {
  const logger = options.logger ?? silentLogger;
  const api = createGraphApi({ graphUrl: options.graphUrl, token: options.token, phoneNumberId: options.phoneNumberId });
  const send = createCloudSender(api, options.clock, logger);
  return {
    sender: { channel: "whatsapp", send },
    register: (http) =>
      registerCloudWebhook(http, { appSecret: options.appSecret, verifyToken: options.verifyToken, phoneNumberId: options.phoneNumberId, logger, onInbound: options.onInbound }),
  };
}
