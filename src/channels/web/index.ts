// Web channel: the chat a person types into from a page or a terminal (channel "web"): what the
// flow preview (src/operators/preview) and the terminal chat (src/cli/chat.ts) share.
export { readChatState, toConversationView } from "./chat-state.ts";
export type { ChatState, ConversationView, EscalationView } from "./chat-state.ts";
export { readTranscript, toTranscript } from "./transcript.ts";
export type { TranscriptEntry } from "./transcript.ts";
export { toInboundEvent, toInboundMessage } from "./inbound.ts";
export type { WebInput } from "./inbound.ts";
export { listPatients, PATIENT_LIST_LIMIT } from "./list-patients.ts";
export type { PatientListItem } from "./list-patients.ts";
export { linkWebIdentity, findWebIdentity, PREVIEW_CHAT_PREFIX, CLI_CHAT_PREFIX } from "./web-identity.ts";
export type { WebIdentity } from "./web-identity.ts";
export { resetChat } from "./reset-chat.ts";
