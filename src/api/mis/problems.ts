// How the MIS API answers what it cannot do: { error } and, for a bad body, which fields are wrong.
import type { z } from "zod";

export class ApiProblem extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly fields?: Record<string, string>,
    /** More of the answer beside `error` (a refusal's `reason`). */
    readonly extra?: Record<string, string>,
  ) {
    super(message);
  }
}

/** 422 with one message per field: `{ error: "validation failed", fields: { "followUp.dueAt": "…" } }`. */
export class ValidationFailed extends ApiProblem {
  constructor(fields: Record<string, string>) {
    super(422, "validation failed", fields);
  }
}

export const notFound = (message: string) => new ApiProblem(404, message);

/** The first problem of each field, by its dotted path ("slots.2.endsAt"); "body" for the whole. */
export function fieldsOf(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join(".") : "body";
    fields[key] ??= issue.message;
  }
  return fields;
}

/** Parses a body or query with a schema, or throws a 422 naming every wrong field. */
export function parseOr422<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationFailed(fieldsOf(result.error));
  return result.data;
}
