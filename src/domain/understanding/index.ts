export { normalizeWords, tokenize } from "./normalize.ts";
export { CLEAR, EXPECTATIONS, FREE_TEXT_INTENTS, INTENTS, understand } from "./understand.ts";
export type { Expectation, Intent, Reading } from "./understand.ts";
export { defaultReader, loadWordAdditions, Reader, LANGUAGES } from "./reader.ts";
export type { WordListProblem } from "./reader.ts";
export type { Language } from "./stem.ts";
