// A chat's Message rows → what a person reads: every line with its text, buttons and time.
import type { WebChatDeps } from "./deps.ts";
import type { InboundEvent, OutboundMessage, OutboundOption } from "../types.ts";

export interface TranscriptEntry {
  id: number;
  direction: "inbound" | "outbound" | "note";
  text: string;
  options?: OutboundOption[];
  requestContact?: boolean;
  /** Written by an operator rather than by a flow. */
  operator?: boolean;
  at: string;
}

interface MessageRow {
  id: number;
  direction: "inbound" | "outbound" | "note";
  text: string | null;
  payload: unknown;
  operatorId: number | null;
  createdAt: Date;
}

const MEDIA_LABELS: Record<string, string> = {
  sticker: "[стикер]",
  photo: "[фото]",
  voice: "[голосовое сообщение]",
  video: "[видео]",
  document: "[файл]",
  location: "[геопозиция]",
  other: "[вложение]",
};

/** How a pressed button or a shared contact reads in the transcript: the button's own label. */
function inboundText(event: InboundEvent | null, shown: OutboundOption[]): string {
  if (!event) return "";
  switch (event.type) {
    case "TEXT":
      return event.text;
    case "START":
      return `/start${event.payload ? ` ${event.payload}` : ""}`;
    case "CHOICE":
    case "NUMBER":
      return shown.find((o) => o.value === event.value)?.label ?? String(event.value);
    case "CONTACT":
      return `[номер телефона ${event.phone}]`;
    case "MEDIA":
      return MEDIA_LABELS[event.kind] ?? "[вложение]";
    default:
      return `[${event.type}]`;
  }
}

const asObject = (v: unknown): Record<string, unknown> | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

export function toTranscript(rows: MessageRow[]): TranscriptEntry[] {
  let shown: OutboundOption[] = [];
  return rows.map((row) => {
    const payload = asObject(row.payload);
    const base = { id: row.id, direction: row.direction, at: row.createdAt.toISOString(), ...(row.operatorId !== null ? { operator: true } : {}) };
    if (row.direction === "inbound") {
      const event = payload && typeof payload.type === "string" ? (payload as unknown as InboundEvent) : null;
      return { ...base, text: row.text ?? inboundText(event, shown) };
    }
    const message = (payload ?? {}) as Partial<OutboundMessage>;
    const options = Array.isArray(message.options) && message.options.length > 0 ? message.options : undefined;
    if (options) shown = options;
    return {
      ...base,
      text: row.text ?? (typeof message.text === "string" ? message.text : ""),
      ...(options ? { options } : {}),
      ...(message.requestContact ? { requestContact: true } : {}),
    };
  });
}

/** The chat's transcript in order; `afterId` reads only what came since (the terminal chat). */
export async function readTranscript(carebot: Pick<WebChatDeps, "db">, identityId: number, afterId = 0): Promise<TranscriptEntry[]> {
  const rows = await carebot.db.prisma.message.findMany({
    where: { identityId, ...(afterId > 0 ? { id: { gt: afterId } } : {}) },
    orderBy: { id: "asc" },
    select: { id: true, direction: true, text: true, payload: true, operatorId: true, createdAt: true },
  });
  return toTranscript(rows);
}
