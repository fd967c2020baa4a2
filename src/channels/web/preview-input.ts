// The preview API's bodies and queries, and one line naming what is wrong with a bad one.
import { z } from "zod";
import type { WebInput } from "./inbound.ts";

const required = (kind: string) => (issue: { input: unknown }) => (issue.input === undefined ? "is required" : `must be ${kind}`);

const chatId = z.string({ error: required("text") }).trim().min(1, "must not be empty").max(200, "is too long (200 characters at most)");
const object = <T extends z.ZodRawShape>(shape: T) => z.object(shape, { error: "must be a JSON object" });

export const patientsQuery = object({
  q: z.string({ error: "must be text (one q)" }).max(100, "is too long (100 characters at most)").optional(),
});

export const sessionBody = object({
  patientId: z.number({ error: required("a patient id (a number)") }).int("must be a whole number").positive("must be positive"),
});

export const chatBody = object({ chatId });
export const stateQuery = chatBody;

export const startBody = object({
  chatId,
  flowId: z.string({ error: required("text") }).trim().min(1, "must not be empty"),
  /** A draft version of the flow (the console's "try the draft"): the sandbox runs it instead of the live one. */
  draft: z.number({ error: "must be a version number" }).int("must be a whole number").positive("must be positive").optional(),
});

export const sendBody = object({
  chatId,
  text: z.string({ error: "must be text" }).max(4096, "is too long (4096 characters at most)").optional(),
  choice: z.union([z.string().min(1).max(200), z.number().finite()], { error: "must be an option's value (text or a number)" }).optional(),
  contact: z.literal(true, { error: "must be true" }).optional(),
})
  .superRefine((body, ctx) => {
    const given = (["text", "choice", "contact"] as const).filter((k) => body[k] !== undefined);
    if (given.length === 0) ctx.addIssue({ code: "custom", path: ["text"], message: "is required (or choice, or contact)" });
    else if (given.length > 1) ctx.addIssue({ code: "custom", path: [given[1]!], message: `cannot come with ${given[0]}: send one at a time` });
    else if (body.text !== undefined && body.text.trim() === "") ctx.addIssue({ code: "custom", path: ["text"], message: "must not be empty" });
  });

/** What the patient does, from a valid send body; a shared contact carries the patient's phone. */
export function webInputOf(body: z.infer<typeof sendBody>, phone: string | null): WebInput {
  if (body.text !== undefined) return { text: body.text };
  if (body.choice !== undefined) return { choice: body.choice };
  return { contact: { phone: phone ?? "" } };
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses with a schema; a failure becomes `"<field>: <what is wrong>"` for its first problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): Parsed<z.infer<S>> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "body";
  return { ok: false, error: `${field}: ${issue.message}` };
}
