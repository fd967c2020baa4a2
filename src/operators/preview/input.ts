// The preview API's bodies and queries, and one line naming what is wrong with a bad one, in the
// language of the console that calls it (the preview page is a console page: consoleLang).
import { z } from "zod";
import { fill, LANGS, textsOf } from "../../i18n/lang.ts";
import type { Dictionary, Lang } from "../../i18n/lang.ts";
import type { WebInput } from "../../channels/web/inbound.ts";

const TEXT: Dictionary<
  | "required" | "text" | "oneQ" | "patientId" | "wholeNumber" | "positive" | "notEmpty" | "tooLong" | "object" | "version"
  | "choice" | "true" | "textOrChoice" | "oneAtATime" | "body"
> = {
  ru: {
    required: "нужно указать",
    text: "нужен текст",
    oneQ: "нужен один текст (один q)",
    patientId: "нужен номер пациента (число)",
    wholeNumber: "нужно целое число",
    positive: "нужно число больше нуля",
    notEmpty: "не может быть пустым",
    tooLong: "слишком длинно (не больше {max} символов)",
    object: "нужен объект JSON",
    version: "нужен номер версии",
    choice: "нужно значение одного из вариантов (текст или число)",
    true: "должно быть true",
    textOrChoice: "нужно указать (или choice, или contact)",
    oneAtATime: "нельзя вместе с {other}: отправляйте что-то одно",
    body: "запрос",
  },
  en: {
    required: "is required",
    text: "must be text",
    oneQ: "must be text (one q)",
    patientId: "must be a patient id (a number)",
    wholeNumber: "must be a whole number",
    positive: "must be positive",
    notEmpty: "must not be empty",
    tooLong: "is too long ({max} characters at most)",
    object: "must be a JSON object",
    version: "must be a version number",
    choice: "must be an option's value (text or a number)",
    true: "must be true",
    textOrChoice: "is required (or choice, or contact)",
    oneAtATime: "cannot come with {other}: send one at a time",
    body: "body",
  },
};

/** The preview's schemas with their messages in one language. */
function schemasIn(lang: Lang) {
  const t = textsOf(TEXT, lang);
  // A missing field is "required"; one of the wrong type is told what it must be.
  const required = (mustBe: string) => (issue: { input: unknown }) => (issue.input === undefined ? t.required : mustBe);
  const tooLong = (max: number) => fill(t.tooLong, { max });
  const chatId = z.string({ error: required(t.text) }).trim().min(1, t.notEmpty).max(200, tooLong(200));
  const object = <T extends z.ZodRawShape>(shape: T) => z.object(shape, { error: t.object });
  const chatBody = object({ chatId });
  return {
    patientsQuery: object({ q: z.string({ error: t.oneQ }).max(100, tooLong(100)).optional() }),
    sessionBody: object({ patientId: z.number({ error: required(t.patientId) }).int(t.wholeNumber).positive(t.positive) }),
    chatBody,
    stateQuery: chatBody,
    startBody: object({
      chatId,
      flowId: z.string({ error: required(t.text) }).trim().min(1, t.notEmpty),
      /** A draft version of the flow (the console's "try the draft"): the sandbox runs it instead of the live one. */
      draft: z.number({ error: t.version }).int(t.wholeNumber).positive(t.positive).optional(),
    }),
    sendBody: object({
      chatId,
      text: z.string({ error: t.text }).max(4096, tooLong(4096)).optional(),
      choice: z.union([z.string().min(1).max(200), z.number().finite()], { error: t.choice }).optional(),
      contact: z.literal(true, { error: t.true }).optional(),
    }).superRefine((body, ctx) => {
      const given = (["text", "choice", "contact"] as const).filter((k) => body[k] !== undefined);
      if (given.length === 0) ctx.addIssue({ code: "custom", path: ["text"], message: t.textOrChoice });
      else if (given.length > 1) ctx.addIssue({ code: "custom", path: [given[1]!], message: fill(t.oneAtATime, { other: given[0]! }) });
      else if (body.text !== undefined && body.text.trim() === "") ctx.addIssue({ code: "custom", path: ["text"], message: t.notEmpty });
    }),
  };
}

/** The schemas in each language, made once. */
export const PREVIEW_INPUT: Record<Lang, ReturnType<typeof schemasIn>> = Object.fromEntries(LANGS.map((lang) => [lang, schemasIn(lang)])) as Record<Lang, ReturnType<typeof schemasIn>>;

type SendBody = z.infer<ReturnType<typeof schemasIn>["sendBody"]>;

/** What the patient does, from a valid send body; a shared contact carries the patient's phone. */
export function webInputOf(body: SendBody, phone: string | null): WebInput {
  if (body.text !== undefined) return { text: body.text };
  if (body.choice !== undefined) return { choice: body.choice };
  return { contact: { phone: phone ?? "" } };
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses with a schema; a failure becomes `"<field>: <what is wrong>"` for its first problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, lang: Lang = "en"): Parsed<z.infer<S>> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.map(String).join(".") : textsOf(TEXT, lang).body;
  return { ok: false, error: `${field}: ${issue.message}` };
}
