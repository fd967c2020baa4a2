// Canned replies: the clinic's ready answers (settings.cannedReplies, Handlebars), rendered for the
// patient of one conversation so the operator starts from a personal text and edits it if needed.
// They use the flows' helpers ({{points}}, {{money}}, {{date}}, {{plural}}…) and strict variables.
import type { Db } from "../../db/client.ts";
import { bonusSummary, EMPTY_BONUS } from "../../domain/bonus/summary.ts";
import { parseClinicSettings } from "../../domain/clinic/settings.ts";
import type { ClinicSettings } from "../../domain/clinic/settings.ts";
import { firstNameOf } from "../../domain/names/names.ts";
import { compileTemplate, createTemplateEnvironment, explainRenderError } from "../../flows/templates/index.ts";
import type { TemplateLocale } from "../../flows/templates/index.ts";
import type { ConsoleLang, Dictionary } from "../i18n.ts";
import { fill, textsOf } from "../../i18n/lang.ts";
import { clinicTextFields } from "../../domain/clinic/text-fields.ts";
import type { ClinicTextFields } from "../../domain/clinic/text-fields.ts";

/** The variables a canned reply can use (the README lists the same). */
export const CANNED_REPLY_VARIABLES = [
  "patient.firstName",
  "patient.fullName",
  "bonus.balance",
  "bonus.expiringTotal",
  "bonus.nextExpiry",
  "clinic.name",
  "clinic.brand",
  "clinic.phone",
  "clinic.address",
  "clinic.reviewUrl",
  "operator.name",
] as const;

export interface CannedReplyView {
  patient: { firstName: string; fullName: string };
  bonus: { balance: number; expiringTotal: number; nextExpiry: Date | null };
  clinic: ClinicTextFields;
  operator: { name: string };
}

export interface RenderedCannedReply {
  id: string;
  title: string;
  /** Null when the template failed for this patient; `error` says so to the operator, `detail` to whoever fixes it. */
  text: string | null;
  error?: string;
  detail?: string;
}

const env = createTemplateEnvironment();

/** What went wrong, in terms the operator's message is built from. */
interface CannedProblem {
  kind: "unknown-variable" | "not-text" | "other";
  /** The variable or expression to blame, when known. */
  variable?: string;
  /** One technical line for the settings' editor (English, like every settings problem). */
  reason: string;
}

/**
 * Renders one reply; never throws: a broken template becomes a clear message naming the reply.
 * Texts compile as the flows' do (strict variables, known helpers, every printed value checked),
 * so an object such as {{patient}} or {{#each this}}{{this}}{{/each}} fails instead of printing "[object Object]".
 */
export function renderCannedReply(
  reply: { id: string; title: string; text: string },
  view: CannedReplyView,
  settings: { locale: TemplateLocale; timezone: string },
  lang: ConsoleLang = "ru",
): RenderedCannedReply {
  const result = tryCannedReply(reply.text, view, settings);
  if ("text" in result) return { id: reply.id, title: reply.title, text: result.text };
  return { id: reply.id, title: reply.title, text: null, error: operatorMessage(reply.title, result, lang), detail: `canned reply "${reply.id}": ${result.reason}` };
}

/** The text for this view, or what is wrong with the template. */
export function tryCannedReply(source: string, view: CannedReplyView, settings: { locale: TemplateLocale; timezone: string }): { text: string } | CannedProblem {
  const compiled = compileTemplate<CannedReplyView>(env, source);
  if ("error" in compiled) return { kind: "other", reason: compiled.error };
  try {
    return { text: compiled.run(view, { data: settings }).trim() };
  } catch (error) {
    const { reason, variable } = explainRenderError(error, compiled.ast, view);
    if (reason.startsWith("unknown variable")) {
      return { kind: "unknown-variable", variable, reason: `${reason} (known: ${CANNED_REPLY_VARIABLES.join(", ")})` };
    }
    const printed = /^"(.*)" is (an object|a list)/.exec(reason);
    if (printed) return { kind: "not-text", variable: variable ?? printed[1], reason };
    return { kind: "other", variable, reason };
  }
}

// `{field}` is "{{patient.firstName}}"-style, filled in by operatorMessage.
const MESSAGES: Dictionary<"intro" | "unknownVariable" | "unknownSomeVariable" | "notText" | "someField" | "outro"> = {
  ru: {
    intro: "Шаблон «{title}» не удалось подставить для этого пациента",
    unknownVariable: ": в нём неизвестное поле {field}",
    unknownSomeVariable: ": в нём неизвестное поле",
    notText: ": {field} — не текст (нужно конкретное поле, например {{patient.firstName}})",
    someField: "одно из полей",
    outro: ". Напишите ответ сами; администратор может исправить шаблон в настройках клиники.",
  },
  en: {
    intro: 'The canned reply "{title}" could not be filled in for this patient',
    unknownVariable: ": it uses an unknown field {field}",
    unknownSomeVariable: ": it uses an unknown field",
    notText: ": {field} is not text (use a single field such as {{patient.firstName}})",
    someField: "a field",
    outro: ". Write the answer yourself; an admin can fix the reply in the clinic's settings.",
  },
};

/** What the operator reads in the console: what happened and what to do, never a JavaScript error. */
function operatorMessage(title: string, problem: CannedProblem, lang: ConsoleLang): string {
  const t = textsOf(MESSAGES, lang);
  const field = problem.variable ? `{{${problem.variable}}}` : "";
  const middle =
    problem.kind === "unknown-variable"
      ? field ? fill(t.unknownVariable, { field }) : t.unknownSomeVariable
      : problem.kind === "not-text"
        ? fill(t.notText, { field: field || t.someField })
        : "";
  return `${fill(t.intro, { title })}${middle}${t.outro}`;
}

/** How the settings explain a reply that does not render; `{reason}` is the template engine's own line. */
const PROBLEM_TEXT: Dictionary<"problem" | "notText" | "emptyPatient"> = {
  ru: {
    problem: "шаблон не подставляется ({reason}){hint}",
    notText: "; выводите одно поле, например {{patient.firstName}}",
    emptyPatient: " — для чата без пациента или пациента без баллов оберните поле в {{#if}}",
  },
  en: {
    problem: "{reason}{hint}",
    notText: "; print one field, such as {{patient.firstName}}",
    emptyPatient: " (for a chat not linked to a patient, or a patient with no points: guard it with {{#if}})",
  },
};

/**
 * Trial renders for a settings document about to be saved: once for a patient with every field
 * filled and once for an unlinked chat (empty names, no points, no expiry), so a reply that could
 * fail or print an object for some patient is refused with its place instead of failing on an operator.
 */
export function cannedReplyProblems(settings: ClinicSettings, lang: ConsoleLang = "ru"): { path: string; message: string }[] {
  const t = textsOf(PROBLEM_TEXT, lang);
  const full: CannedReplyView = {
    patient: { firstName: "Анна", fullName: "Петрова Анна Сергеевна" },
    bonus: { balance: 1500, expiringTotal: 300, nextExpiry: new Date("2030-01-31T00:00:00Z") },
    clinic: clinicTextFields("Клиника «Здоровье»", settings),
    operator: { name: "Ольга" },
  };
  const empty: CannedReplyView = { ...full, patient: { firstName: "", fullName: "" }, bonus: { balance: 0, expiringTotal: 0, nextExpiry: null } };
  const problems: { path: string; message: string }[] = [];
  settings.cannedReplies.forEach((reply, i) => {
    for (const view of [full, empty]) {
      const result = tryCannedReply(reply.text, view, { locale: "ru", timezone: "Europe/Moscow" });
      if ("text" in result) continue;
      const hint = result.kind === "not-text" ? t.notText : view === empty ? t.emptyPatient : "";
      problems.push({ path: `cannedReplies.${i}.text`, message: fill(t.problem, { reason: result.reason, hint }) });
      break;
    }
  });
  return problems;
}

/**
 * The clinic's canned replies rendered for a conversation's patient (an unlinked chat gets empty
 * names and a zero balance), or null when the conversation is not this clinic's.
 */
export async function cannedRepliesFor(db: Db, clinicId: number, conversationId: number, operatorName: string, now: Date, lang: ConsoleLang = "ru"): Promise<RenderedCannedReply[] | null> {
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
    clinic: clinicTextFields(clinic.name, settings),
    operator: { name: operatorName },
  };
  // Numbers and dates as the patient reads them: their language and their time zone.
  const locale: TemplateLocale = (patient?.locale ?? conversation.identity.locale ?? "ru").toLowerCase().startsWith("en") ? "en" : "ru";
  const timezone = patient?.timezone ?? clinic.timezone;
  return settings.cannedReplies.map((reply) => renderCannedReply(reply, view, { locale, timezone }, lang));
}
