// What a WhatsApp message carries for the Cloud API's 24-hour window: its kind (the text key) and,
// when the clinic set one for that kind (settings.whatsappTemplates), the approved template with
// its parameters rendered now, from the same view as the message's text.
import type { WhatsAppMessageKind } from "../events.ts";
import type { WhatsAppTemplate } from "../../domain/clinic/settings.ts";
import { compileTemplate, createTemplateEnvironment, explainRenderError } from "../templates/index.ts";
import type { TemplateView } from "../templates/index.ts";

const env = createTemplateEnvironment();
// A clinic has a handful of parameters; each source compiles once per process.
const compiled = new Map<string, ReturnType<typeof compileTemplate<TemplateView>>>();

function compile(source: string) {
  let template = compiled.get(source);
  if (!template) {
    template = compileTemplate<TemplateView>(env, source);
    compiled.set(source, template);
  }
  return template;
}

/** One parameter's text, or why it could not be filled in for this view. */
export function renderTemplateParam(source: string, view: TemplateView): { text: string } | { error: string } {
  const template = compile(source);
  if ("error" in template) return { error: template.error };
  try {
    // WhatsApp refuses an empty parameter and a parameter with new lines or tabs.
    const text = template.run(view, { data: { locale: view.locale, timezone: view.timezone } }).replace(/\s+/g, " ").trim();
    return text ? { text } : { error: "renders to an empty text" };
  } catch (error) {
    return { error: explainRenderError(error, template.ast, view).reason };
  }
}

/**
 * The kind and, when configured, the template. A parameter that fails leaves the template out
 * (outside the window the message is then skipped, with the reason) and is reported to `warn`.
 */
export function whatsappKindOf(
  kind: string,
  templates: Readonly<Record<string, WhatsAppTemplate>>,
  view: TemplateView,
  warn: (problem: string) => void,
): WhatsAppMessageKind {
  const template = templates[kind];
  if (!template) return { kind };
  const params: string[] = [];
  for (const [i, source] of template.params.entries()) {
    const rendered = renderTemplateParam(source, view);
    if ("error" in rendered) {
      warn(`whatsappTemplates.${kind}.params.${i}: ${rendered.error}`);
      return { kind };
    }
    params.push(rendered.text);
  }
  return { kind, template: { name: template.name, language: template.language, params } };
}
