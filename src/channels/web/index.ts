// Web channel: the flow preview page and API, and the helpers the terminal chat shares with it.
export { registerPreviewRoutes } from "./preview-routes.ts";
export { previewPage } from "./preview-page.ts";
export type { PreviewPageOptions } from "./preview-page.ts";
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
export { skipWaiting } from "./skip-waiting.ts";
export { PreviewSandboxes, OPEN_SANDBOX_LIMIT } from "./sandbox/preview-sandboxes.ts";
export { copyPatientFacts } from "./sandbox/copy-patient-facts.ts";
