// Sends one outbox message through the Cloud API, minding the 24-hour service window: inside it
// the message as it is (buttons, list, text); outside it, or when Graph says the window closed
// (131047), the approved template the clinic set for the message's kind, or nothing (skipped,
// with the reason) when there is none.
import type { Clock } from "../../util/clock.ts";
import type { ChannelLogger } from "../logger.ts";
import type { OutboundMessage, SendContext, SendResult } from "../types.ts";
import { phoneOfChat } from "../whatsapp/inbound.ts";
import { classifyGraphFailure, WINDOW_CLOSED_CODE } from "./errors.ts";
import type { GraphApi } from "./graph-api.ts";
import { renderCloudMessages, templateMessage } from "./render.ts";
import { cloudTextsFor } from "./texts.ts";
import { insideServiceWindow } from "./window.ts";

export function createCloudSender(api: GraphApi, clock: Clock, logger: ChannelLogger) {
  async function sendTemplate(to: string, message: OutboundMessage, why: string): Promise<SendResult> {
    const kind = message.whatsapp?.kind;
    const template = message.whatsapp?.template;
    if (!template) {
      const named = kind ? `"${kind}"` : "this message (it names no kind: an operator's or system message)";
      return { ok: false, reason: "window_closed", permanent: true, error: `${why}, and settings.whatsappTemplates has no template for ${named}` };
    }
    const sent = await api.sendMessage(to, templateMessage(template));
    if (sent.ok) return { ok: true, externalMessageId: sent.id };
    return classifyGraphFailure(sent);
  }

  return async function send(chatId: string, message: OutboundMessage, context: SendContext = {}): Promise<SendResult> {
    const phone = phoneOfChat(chatId);
    if (!phone) return { ok: false, reason: "bad_request", permanent: true, error: `not a WhatsApp number chat id: "${chatId}"` };
    const to = phone.slice(1);
    const last = context.lastInboundAt ?? null;
    if (!insideServiceWindow(last, clock.now())) {
      return sendTemplate(to, message, `outside WhatsApp's 24-hour window (the patient last wrote ${last ? last.toISOString() : "never"})`);
    }
    const parts = renderCloudMessages(message, cloudTextsFor(message.text));
    let id: string | undefined;
    for (const [i, part] of parts.entries()) {
      const sent = await api.sendMessage(to, part);
      if (sent.ok) {
        id = sent.id;
        continue;
      }
      // Graph counts the window by its own clock: trust it over ours.
      if ("code" in sent && sent.code === WINDOW_CLOSED_CODE && i === 0) return sendTemplate(to, message, "WhatsApp says the 24-hour window has closed (131047)");
      // A later part failing leaves the first ones sent; a retry repeats them (rare: long texts with options).
      if (i > 0) logger.warn({ chatId, part: i, error: sent.message }, "whatsapp cloud: a message's later part failed");
      return classifyGraphFailure(sent);
    }
    return id ? { ok: true, externalMessageId: id } : { ok: false, reason: "bad_request", permanent: true, error: "the message is empty" };
  };
}
