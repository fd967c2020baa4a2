import type { Tx } from "../../db/client.ts";
import type { Provider } from "../../db/kysely/index.ts";
import { EMPTY_BONUS, bonusSummaryIn } from "../../domain/bonus/summary.ts";
import type { ClinicSettings } from "../../domain/clinic/settings.ts";
import type { ClinicTextFields } from "../../domain/clinic/text-fields.ts";
import type { Branch } from "../../domain/branches/branch.ts";
import { withBranch } from "../../domain/branches/text-fields.ts";
import type { Facts } from "../registry/types.ts";
import type { TemplateStore, TemplateView } from "../templates/index.ts";
import { NO_WARD } from "../templates/view.ts";
import { overlayTemplates, type TextLayer } from "../templates/overlay.ts";
import type { FlowCatalog } from "../loader/catalog.ts";
import type { Expectation, Reader, Reading } from "../../domain/understanding/index.ts";
import { firstNameOf, genderOf } from "../../domain/names/names.ts";
import { wardName } from "../../domain/families/ward-name.ts";

/** The chat a step runs for: its clinic, its channel identity and, once linked, its patient. */
export interface ChatTarget {
  /** `texts`: the clinic's own published texts, which win over the shipped files. */
  clinic: {
    id: number;
    name: string;
    timezone: string;
    locale: string;
    settings: ClinicSettings;
    /** Name, brand, phone, address, review link as the texts show them (clinicTextFields; the clinic source makes them once per version). */
    fields: ClinicTextFields;
    texts: TextLayer;
    /** Whether the clinic lists branches (false: no message asks which branch it is about); unknown: asked. */
    hasBranches?: boolean;
  };
  identity: { id: number; channel: string; locale: string | null };
  patient: { id: number; fullName: string; firstName?: string | null; locale: string | null; timezone: string | null; optedOutAt: Date | null } | null;
  /**
   * Set when the conversation is about a ward in their guardian's chat (src/conversations/about-ward.ts):
   * `patient` is the ward, and the texts address the guardian about them by name (view.ward).
   */
  guardian?: {
    id: number;
    fullName: string;
    firstName: string | null;
    /** The ward's medical consent lets their service or procedure be named to the guardian (docs/consents.md). */
    mayNameProcedure: boolean;
  } | null;
}

/** The texts a chat's messages are rendered from: the clinic's own over the catalog's files. */
export function templatesFor(catalog: FlowCatalog, target: ChatTarget): TemplateStore {
  return overlayTemplates(catalog.templates, target.clinic.texts);
}

export function localeOf(target: ChatTarget): "ru" | "en" {
  const locale = target.patient?.locale ?? target.identity.locale ?? target.clinic.locale;
  return locale?.toLowerCase().startsWith("en") ? "en" : "ru";
}

export function timezoneOf(target: ChatTarget): string {
  return target.patient?.timezone ?? target.clinic.timezone;
}

/**
 * Readings already made for a chat target, by reader: a target lives for one message, and the
 * router (the options shown, a wish to stop, free text) and the step's guards read the same
 * text. A reading depends only on the text, the language and what is expected.
 */
const readings = new WeakMap<ChatTarget, WeakMap<Reader, Map<string, Reading>>>();

/** Reading in the chat's language; one message reads the same text once however many guards ask. */
export function readerFor(reader: Reader, target: ChatTarget): Facts["read"] {
  let byReader = readings.get(target);
  if (!byReader) readings.set(target, (byReader = new WeakMap()));
  let seen = byReader.get(reader);
  if (!seen) byReader.set(reader, (seen = new Map()));
  return (text: string, expecting: Expectation) => {
    const language = localeOf(target);
    const key = `${language}\u0000${expecting}\u0000${text}`;
    let reading = seen.get(key);
    if (!reading) {
      reading = reader.read(text, language, expecting);
      seen.set(key, reading);
    }
    return reading;
  };
}

export async function loadFacts(tx: Tx, provider: Provider, target: ChatTarget, now: Date, reader: Reader): Promise<Facts> {
  const patient = target.patient;
  return {
    read: readerFor(reader, target),
    now,
    patient: patient
      ? { id: patient.id, fullName: patient.fullName, firstName: firstNameOf(patient), optedOut: patient.optedOutAt !== null }
      : null,
    // One statement (not the three of bonusSummary): this runs on every message of a linked patient.
    bonus: patient ? await bonusSummaryIn(tx, provider, patient.id, now) : EMPTY_BONUS,
  };
}

/** `branch`: the branch the conversation is about (its visit's, appointment's or the patient's), whose address and phone the texts give. */
export function buildView(target: ChatTarget, facts: Facts, context: Record<string, unknown>, result: Record<string, unknown>, branch: Branch | null = null): TemplateView {
  const settings = target.clinic.settings;
  return {
    locale: localeOf(target),
    timezone: timezoneOf(target),
    patient: facts.patient
      ? { firstName: facts.patient.firstName, fullName: facts.patient.fullName, gender: genderOf(facts.patient.fullName) ?? "", linked: true }
      : { firstName: "", fullName: "", gender: "", linked: false },
    clinic: {
      ...withBranch(target.clinic.fields, branch),
      bonusSharePercent: Math.round(settings.bonus.maxBillShare * 100),
    },
    bonus: facts.bonus,
    // «Напоминаем о приёме {{ward.genitive}}»: the ward's name in each case; empty in a patient's own chat.
    ward: target.guardian && facts.patient ? { ...wardName(facts.patient), medical: target.guardian.mayNameProcedure } : NO_WARD,
    context,
    result,
  };
}
