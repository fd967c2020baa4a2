// The editor's live rendering: a text as it stands in the editor, checked with the validator's
// rules and rendered for one of the clinic's patients (their name, balance, last visit) or, with
// no patient, for the sample patient the validator uses. Nothing is written.
import type { OperatorConsoleDeps } from "../deps.ts";
import { parseClinicSettings } from "../../domain/clinic/settings.ts";
import { clinicTextFields } from "../../domain/clinic/text-fields.ts";
import { checkText, flowsUsing, lineOfVariable, withText, type TextProblem } from "../../flows/loader/check-text.ts";
import { sampleResults } from "../../flows/loader/load-flows.ts";
import { buildView, loadFacts, type ChatTarget } from "../../flows/runtime/facts.ts";
import { EMPTY_LAYER } from "../../flows/templates/overlay.ts";
import { TemplateRenderError } from "../../flows/templates/store.ts";
import { sampleView, type TemplateLocale, type TemplateView } from "../../flows/templates/view.ts";

export interface TextPreview {
  /** The message as the patient would read it; null when it cannot be rendered. */
  text: string | null;
  problems: TextProblem[];
}

/** What a visit tells a flow's context, for the context names a flow declares. */
const VISIT_CONTEXT = ["doctor", "service", "serviceCategory"] as const;

/** null: no such patient in this clinic. */
export async function previewText(
  deps: Pick<OperatorConsoleDeps, "clock" | "db" | "flows">,
  input: { clinicId: number; key: string; locale: TemplateLocale; source: string; patientId: number | null },
): Promise<TextPreview | null> {
  const catalog = deps.flows.catalog();
  const problems = checkText(catalog, input.key, input.locale, input.source);
  const flow = flowsUsing(catalog, input.key)[0];
  const context: Record<string, unknown> = { ...(flow?.context ?? {}) };
  const result = sampleResults(catalog.registry);
  let view: TemplateView;
  if (input.patientId === null) {
    view = sampleView({ locale: input.locale, context, result });
  } else {
    const db = deps.db.prisma;
    const patient = await db.patient.findFirst({ where: { id: input.patientId, clinicId: input.clinicId } });
    if (!patient) return null;
    const clinic = await db.clinic.findUniqueOrThrow({ where: { id: input.clinicId } });
    const visit = await db.visit.findFirst({ where: { patientId: patient.id }, orderBy: { startsAt: "desc" } });
    for (const name of VISIT_CONTEXT) if (visit && name in context) context[name] = visit[name];
    const settings = parseClinicSettings(clinic.settings);
    const target: ChatTarget = {
      clinic: { id: clinic.id, name: clinic.name, timezone: clinic.timezone, locale: clinic.locale, settings, fields: clinicTextFields(clinic.name, settings), texts: EMPTY_LAYER },
      identity: { id: 0, channel: "web", locale: input.locale },
      patient,
    };
    const facts = await loadFacts(db, deps.db.provider, target, deps.clock.now(), catalog.reader);
    view = { ...buildView(target, facts, context, result), locale: input.locale };
  }
  const { store, problems: compileProblems } = withText(catalog.templates, input.key, input.locale, input.source);
  if (compileProblems.length > 0) return { text: null, problems };
  try {
    return { text: store.render(input.key, view), problems };
  } catch (error) {
    if (!(error instanceof TemplateRenderError)) throw error;
    const known = problems.some((p) => p.message === error.reason);
    return { text: null, problems: known ? problems : [...problems, { line: lineOfVariable(input.source, error.reason), message: error.reason }] };
  }
}
