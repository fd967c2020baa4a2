// What a flow hears and what it says, in CareBot's own terms: channel adapters translate their
// messenger's updates into these events and render these messages their own way.

export type MediaKind = "sticker" | "photo" | "voice" | "video" | "document" | "location" | "other";

/** The events a flow can react to (a flow file's `on` keys). */
export type InboundEvent =
  | { type: "START"; payload?: string }
  | { type: "TEXT"; text: string }
  | { type: "CHOICE"; value: string }
  | { type: "NUMBER"; value: number }
  | { type: "CONTACT"; phone: string; own: boolean }
  | { type: "MEDIA"; kind: MediaKind }
  | { type: "TIMEOUT" }
  | { type: "RESUME" }
  /** Internal: an action's outcome reported back to its flow (never from a channel). */
  | { type: "RESULT"; value: string };

export const INBOUND_EVENT_TYPES = ["START", "TEXT", "CHOICE", "NUMBER", "CONTACT", "MEDIA", "TIMEOUT", "RESUME", "RESULT"] as const;
export type InboundEventType = (typeof INBOUND_EVENT_TYPES)[number];

export interface OutboundOption {
  /** Sent back as CHOICE {value} (a string) or NUMBER {value} (a number) when picked. */
  value: string | number;
  label: string;
}

/** A button that opens a web page (a review site through CareBot's counting redirect). */
export interface OutboundLink {
  label: string;
  url: string;
}

/** One message to a patient, before a channel renders it its own way. */
export interface OutboundMessage {
  text: string;
  options?: OutboundOption[];
  /** Link buttons where the messenger has them (Telegram, MAX), lines of the text elsewhere. */
  links?: OutboundLink[];
  /** Ask for the patient's phone with the messenger's own contact button. */
  requestContact?: boolean;
  /** WhatsApp chats only: what the Cloud API needs outside its 24-hour window (whatsapp-cloud/). */
  whatsapp?: WhatsAppMessageKind;
}

/** The message's kind (its text key) and the approved template the clinic set for that kind, if any. */
export interface WhatsAppMessageKind {
  kind: string;
  template?: { name: string; language: string; params: string[] };
}
