import { z } from "zod";
import { flowSchema } from "./schema.ts";

/**
 * The JSON Schema shipped as flows/flow.schema.json (every flow's "$schema"), so a clinic's
 * editor autocompletes fields and underlines unknown actions and guards. Generated from the
 * zod schema and the registry: `carebot flows schema` writes it, a test keeps it current.
 */
export function flowJsonSchema(actionNames: string[], guardNames: string[]): Record<string, unknown> {
  const schema = z.toJSONSchema(flowSchema, { io: "input", target: "draft-7", unrepresentable: "any" }) as Record<string, any>;
  const defs = schema.definitions ?? schema.$defs;
  if (!defs?.action || !defs?.guard) throw new Error("the flow schema lost its action/guard definitions");
  defs.action.properties.type = { type: "string", enum: [...actionNames].sort() };
  defs.guard.properties.type = { type: "string", enum: [...guardNames].sort() };
  return { title: "CareBot flow", ...schema };
}
