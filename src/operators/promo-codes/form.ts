// The console's promo code form, turned into the MIS API's input and checked with the same schema
// (promoCodeInputSchema); the errors come back per field in the manager's language.
import { DateTime } from "luxon";
import { z } from "zod";
import { promoCodeInputSchema } from "../../domain/loyalty/promo/index.ts";
import type { PromoCodeInput } from "../../domain/loyalty/promo/index.ts";
import { dottedPath, issueMessageIn } from "../../i18n/zod.ts";
import type { ConsoleLang } from "../i18n.ts";

/** What the page posts: form fields as typed (numbers may come as text, dates as YYYY-MM-DD). */
const formShape = z.record(z.string(), z.unknown());

/** "" and missing are "not given"; a number typed as text is that number (else left for the schema to refuse). */
function numberOf(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const text = value.trim().replace(/\s+/g, "");
  if (text === "") return undefined;
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

/** A day of the form in the clinic's zone: "from" is its first moment, "until" the first moment after it. */
function dayOf(value: unknown, timezone: string, edge: "start" | "after"): unknown {
  if (typeof value !== "string") return value ?? null;
  const text = value.trim();
  if (text === "") return null;
  const day = DateTime.fromISO(text, { zone: timezone });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || !day.isValid) return text;
  return (edge === "start" ? day.startOf("day") : day.startOf("day").plus({ days: 1 })).toUTC().toISO();
}

function servicesOf(value: unknown): unknown {
  if (typeof value !== "string") return value;
  return value.split(/[,;\n]/).map((s) => s.trim()).filter((s) => s !== "");
}

export type FormResult = { ok: true; input: PromoCodeInput } | { ok: false; fields: Record<string, string> };

export function readPromoForm(body: unknown, timezone: string, lang: ConsoleLang): FormResult {
  const form = formShape.safeParse(body ?? {});
  const f = form.success ? form.data : {};
  const totalLimit = numberOf(f.totalLimit);
  const candidate = {
    code: f.code,
    reward: f.reward,
    value: numberOf(f.value),
    perPatient: numberOf(f.perPatient),
    totalLimit: totalLimit === undefined ? null : totalLimit,
    startsAt: dayOf(f.startsAt, timezone, "start"),
    endsAt: dayOf(f.endsAt, timezone, "after"),
    services: servicesOf(f.services),
    description: f.description,
  };
  const parsed = promoCodeInputSchema.safeParse(
    Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined)),
    { reportInput: true },
  );
  if (parsed.success) return { ok: true, input: parsed.data };
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) fields[dottedPath(issue.path.slice(0, 1)) || "code"] ??= issueMessageIn(issue, lang);
  return { ok: false, fields };
}
