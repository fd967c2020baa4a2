import { z } from "zod";
import { defineAction } from "../types.ts";

export const templateKey = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "a template key looks like nps.ask");

/** A button or menu line: what the patient sees (a template) and what comes back. */
const optionValue = z.union([
  z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "an option value is up to 40 lowercase letters, digits, - or _"),
  z.number().int().min(-999999).max(999999),
]);
export const optionSchema = z.union([
  z.object({ value: optionValue, label: templateKey }).strict(),
  /** A label that reads the same in every language (a score "0".."10"). */
  z.object({ value: optionValue, text: z.string().min(1).max(20) }).strict(),
]);

export const sayShape = {
  template: templateKey,
  options: z.array(optionSchema).max(12, "at most 12 options fit a messenger's keyboard").optional(),
  /** Show the main menu's entries (every flow with triggers.menu) as options. */
  menu: z.boolean().optional(),
  /** Ask for the patient's phone with the messenger's contact button. */
  requestContact: z.boolean().optional(),
};

export const oneKindOfOptions = (p: { menu?: boolean; options?: unknown[] }) => !(p.menu && p.options);
export const oneKindMessage = { message: "use either options or menu, not both" };

export const sayParams = z.object(sayShape).strict().refine(oneKindOfOptions, oneKindMessage);

export type SayParams = z.output<typeof sayParams>;

export const sayTemplates = (p: Pick<SayParams, "template" | "options">) => [
  p.template,
  ...(p.options ?? []).flatMap((o) => ("label" in o ? [o.label] : [])),
];

export const say = defineAction({
  description: "Sends a message from a template, optionally with options (buttons) or a contact button.",
  params: sayParams,
  templates: sayTemplates,
  run: (ctx, p) => ctx.say({ template: p.template, options: p.menu ? "menu" : p.options, requestContact: p.requestContact }),
});
