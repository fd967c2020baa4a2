// The consents CareBot keeps apart (docs/consents.md says what each one means).
export const CONSENT_KINDS = ["personal_data", "care_messages", "advertising", "medical"] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];

/** Where a consent or its withdrawal came from. */
export const CONSENT_SOURCES = ["chat", "mis", "import", "paper", "console"] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/** One consent as it stands: given or withdrawn, when, where, and the text it was given on. */
export interface ConsentState {
  granted: boolean;
  at: Date;
  source: ConsentSource;
  textVersion: string;
  note: string | null;
}

/** Each kind's state in force; null where the patient never gave nor withdrew it. */
export type ConsentStates = Record<ConsentKind, ConsentState | null>;

export const NO_CONSENTS: ConsentStates = { personal_data: null, care_messages: null, advertising: null, medical: null };
