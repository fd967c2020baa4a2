// Patient message texts: templates/<locale>/<key>.hbs rendered with Handlebars.
export { checkTemplates, referencedVariables } from "./check.ts";
export {
  TEMPLATE_HELPERS,
  TemplateHelperError,
  createTemplateEnvironment,
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatPoints,
  formatTime,
  formatWeekday,
  pluralWord,
} from "./helpers.ts";
export type { TemplateEnvironment } from "./helpers.ts";
export { TEMPLATE_KEY, TemplateRenderError, compileTemplate, explainRenderError, formatProblem, loadTemplates } from "./store.ts";
export type { LoadTemplatesOptions, TemplateProblem, TemplateSource, TemplateStore } from "./store.ts";
export { DEFAULT_LOCALE, SAMPLE_WARD, TEMPLATE_LOCALES, isTemplateLocale, sampleView } from "./view.ts";
export type { DeepPartial, TemplateLocale, TemplateView } from "./view.ts";
