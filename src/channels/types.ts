// CareBot's normalized messages, gathered for the channel adapters that translate to and from
// them. Each lives with the part that owns it: what a flow hears and says in src/flows/events.ts,
// the sending port in src/outbox/channel-sender.ts, the router's inbound message in
// src/conversations/inbound-message.ts. Inner parts import those, never this file.
export { INBOUND_EVENT_TYPES } from "../flows/events.ts";
export type { InboundEvent, InboundEventType, MediaKind, OutboundLink, OutboundMessage, OutboundOption, WhatsAppMessageKind } from "../flows/events.ts";
export type { ChannelName, ChannelSender, SendContext, SendResult } from "../outbox/channel-sender.ts";
export type { InboundHandler, InboundMessage } from "../conversations/inbound-message.ts";
