// What the queue page's server hands its script (src/operators/console/page.ts → pageData), and
// the shapes of the console API's answers the script reads.
export type { ConsolePageData } from "../../operators/console/page-texts.ts";

export interface QueueItem {
  id: number;
  conversationId: number | null;
  patientName: string;
  priority: string;
  reason: string;
  status: string;
  overdue: boolean;
  summary: string | null;
  slaDueAt: string;
  channel: string | null;
  takenBy: { id: number; name: string } | null;
}

export interface TranscriptLine {
  id: number;
  direction: "inbound" | "outbound" | "note";
  text: string | null;
  at: string;
  operator: string | null;
}

export interface ConversationView {
  conversation: { id: number; identityId: number; status: string; channel: string; holder: { id: number; name: string } | null };
  escalations: { id: number; reason: string; slaDueAt: string }[];
  transcript: TranscriptLine[];
  patient: {
    id: number;
    fullName: string;
    phone: string | null;
    consentAt: string | null;
    optedOutAt: string | null;
    bonus: { balance: number; expiringTotal: number };
    visits: { startsAt: string; service: string; doctor: string }[];
    followUps: { dueAt: string; service: string; missedAt: string | null }[];
    nps: { score: number; createdAt: string; comment: string | null }[];
    chats: { channel: string; unreachableAt: string | null }[];
  } | null;
}

export interface CannedReply {
  title: string;
  text: string | null;
  error?: string;
}
