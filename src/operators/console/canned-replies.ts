// Canned replies: the clinic's ready answers (settings.cannedReplies, Handlebars), rendered for the
// patient of one conversation so the operator starts from a personal text and edits it if needed.
// They use the flows' helpers ({{points}}, {{money}}, {{date}}, {{plural}}…) and strict variables.
import type { Db } from "../../db/client.ts";
import { bonusSummary, EMPTY_BONUS } from "../../domain/bonus/summary.ts";
import { parseClinicSettings } from "../../domain/clinic/settings.ts";
import { firstNameOf } from "../../domain/names/names.ts";
import { createTemplateEnvironment, TEMPLATE_HELPERS } from "../../flows/templates/index.ts";
import type { TemplateLocale } from "../../flows/templates/index.ts";

/** The variables a canned reply can use (the README lists the same). */
export const CANNED_REPLY_VARIABLES = [
  "patient.firstName",
  "patient.fullName",
  "bonus.balance",
  "bonus.expiringTotal",
  "bonus.nextExpiry",
  "clinic.name",
  "clinic.phone",
  "clinic.address",
  "clinic.reviewUrl",
  "operator.name",
] as const;

export interface CannedReplyView {
  patient: { firstName: string; fullName: string };
  bonus: { balance: number; expiringTotal: number; nextExpiry: Date | null };
  clinic: { name: string; phone: string; address: string; reviewUrl: string };
  operator: { name: string };
}

export interface RenderedCannedReply {
  id: string;
  title: string;
  /** Null when the template failed for this patient; `error` says why. */
  text: string | null;
  error?: string;
}

// Same compile rules as the flows' texts: an unknown variable or helper is an error, not "".
const COMPILE_OPTIONS = {
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: Object.fromEntries(TEMPLATE_HELPERS.map((name) => [name, true])),
  noEscape: true,
  data: true,
} as const;

const env = createTemplateEnvironment();

/** Renders one reply; never throws: a broken template becomes an error naming the reply. */
export function renderCannedReply(reply: { id: string; title: string; text: string }, view: CannedReplyView, settings: { locale: TemplateLocale; timezone: string }): RenderedCannedReply {
  try {
    const run = env.compile<CannedReplyView>(reply.text, COMPILE_OPTIONS);
    return { id: reply.id, title: reply.title, text: run(view, { data: settings }).trim() };
  } catch (error) {
    return { id: reply.id, title: reply.title, text: null, error: `canned reply "${reply.id}": ${explain(error, reply.text)}` };
  }
}

function explain(error: unknown, source: string): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(/ - \d+:\d+$/, "");
  const strict = /^"(.*)" not defined in /.exec(message);
  if (strict) return `unknown variable "${pathAt(source, error) ?? strict[1]}" (known: ${CANNED_REPLY_VARIABLES.join(", ")})`;
  const helper = /unknown helper (\S+)/.exec(message);
  if (helper) return `unknown helper "${helper[1]}"`;
  return message.split("\n")[0] ?? message;
}

/** Handlebars' strict mode names only the last segment ("frstName"): find the whole path it was in. */
function pathAt(source: string, error: unknown): string | undefined {
  const { lineNumber, column } = error as { lineNumber?: number; column?: number };
  if (lineNumber === undefined || column === undefined) return undefined;
  let found: string | undefined;
  const walk = (node: unknown): void => {
    if (found || node === null || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(walk);
    const n = node as { type?: string; original?: string; loc?: { start: { line: number; column: number } } };
    if (n.type === "PathExpression" && n.loc?.start.line === lineNumber && n.loc.start.column === column) found = n.original;
    for (const [key, value] of Object.entries(node)) if (key !== "loc") walk(value);
  };
  walk(env.parse(source));
  return found;
}

/**
 * The clinic's canned replies rendered for a conversation's patient (an unlinked chat gets empty
 * names and a zero balance), or null when the conversation is not this clinic's.
 */
export async function cannedRepliesFor(db: Db, clinicId: number, conversationId: number, operatorName: string, now: Date): Promise<RenderedCannedReply[] | null> {
  const conversation = await db.conversation.findFirst({ where: { id: conversationId, clinicId }, include: { identity: { select: { patientId: true, locale: true } } } });
  if (!conversation) return null;
  const clinic = await db.clinic.findUniqueOrThrow({ where: { id: clinicId }, select: { name: true, timezone: true, settings: true } });
  const settings = parseClinicSettings(clinic.settings);
  if (settings.cannedReplies.length === 0) return [];
  const patientId = conversation.patientId ?? conversation.identity.patientId;
  const patient = patientId === null ? null : await db.patient.findFirst({ where: { id: patientId, clinicId }, select: { id: true, fullName: true, firstName: true, locale: true, timezone: true } });
  const bonus = patient ? await bonusSummary(db, patient.id, now) : EMPTY_BONUS;
  const view: CannedReplyView = {
    patient: { firstName: patient ? firstNameOf(patient) : "", fullName: patient?.fullName ?? "" },
    bonus: { balance: bonus.balance, expiringTotal: bonus.expiringTotal, nextExpiry: bonus.nextExpiry },
    clinic: { name: clinic.name, phone: settings.phone, address: settings.address, reviewUrl: settings.reviewUrl ?? "" },
    operator: { name: operatorName },
  };
  // Numbers and dates as the patient reads them: their language and their time zone.
  const locale: TemplateLocale = (patient?.locale ?? conversation.identity.locale ?? "ru").toLowerCase().startsWith("en") ? "en" : "ru";
  const timezone = patient?.timezone ?? clinic.timezone;
  return settings.cannedReplies.map((reply) => renderCannedReply(reply, view, { locale, timezone }));
}
