// What the preview shows of a chat: transcript, the flow it is in (state, context, timers), escalations.
import type { WebChatDeps } from "./deps.ts";
import { describeSnapshot } from "../../flows/runtime/inspect.ts";
import { readTranscript } from "./transcript.ts";
import type { TranscriptEntry } from "./transcript.ts";

export interface ConversationView {
  id: number;
  flowId: string;
  flowVersion: number;
  status: "bot" | "operator" | "closed";
  state: string;
  context: Record<string, unknown>;
  timers: { event: string; dueAt: string }[];
}

export interface EscalationView {
  id: number;
  reason: string;
  priority: string;
  status: string;
  slaDueAt: string;
}

export interface ChatState {
  transcript: TranscriptEntry[];
  conversation: ConversationView | null;
  escalations: EscalationView[];
}

type ConversationRow = { id: number; flowId: string; flowVersion: number; status: ConversationView["status"]; snapshot: unknown };

export function toConversationView(row: ConversationRow): ConversationView {
  const base = { id: row.id, flowId: row.flowId, flowVersion: row.flowVersion, status: row.status };
  return { ...base, ...(describeSnapshot(row.snapshot) ?? { state: "?", context: {}, timers: [] }) };
}

/**
 * The chat's latest conversation, open or not; a closed one whose messages were all reset away
 * is history, not what the preview is showing.
 */
async function latestConversation(carebot: Pick<WebChatDeps, "db">, identityId: number): Promise<ConversationView | null> {
  const prisma = carebot.db.prisma;
  const row = await prisma.conversation.findFirst({
    where: { identityId },
    orderBy: { id: "desc" },
    select: { id: true, flowId: true, flowVersion: true, status: true, snapshot: true },
  });
  if (!row) return null;
  if (row.status === "closed" && (await prisma.message.count({ where: { conversationId: row.id } })) === 0) return null;
  return toConversationView(row);
}

export async function readChatState(carebot: Pick<WebChatDeps, "db">, identityId: number): Promise<ChatState> {
  const [transcript, conversation, escalations] = await Promise.all([
    readTranscript(carebot, identityId),
    latestConversation(carebot, identityId),
    carebot.db.prisma.escalation.findMany({
      where: { identityId, status: { in: ["open", "taken"] } },
      orderBy: { id: "asc" },
      select: { id: true, reason: true, priority: true, status: true, slaDueAt: true },
    }),
  ]);
  return {
    transcript,
    conversation,
    escalations: escalations.map((e) => ({ ...e, slaDueAt: e.slaDueAt.toISOString() })),
  };
}
