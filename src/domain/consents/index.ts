export { CONSENT_KINDS, CONSENT_SOURCES, NO_CONSENTS } from "./kinds.ts";
export type { ConsentKind, ConsentSource, ConsentState, ConsentStates } from "./kinds.ts";
export { recordConsent } from "./record.ts";
export type { ConsentChange } from "./record.ts";
export { consentHistory, currentConsents } from "./current.ts";
export { SKIP_REASONS, whyNotSend } from "./sending-rules.ts";
export type { ConsentsInForce } from "./sending-rules.ts";
export { textVersionOf } from "./text-version.ts";
export { mayNameProcedure } from "./medical.ts";
