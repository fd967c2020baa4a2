// The console's promo code form, turned into the MIS API's input and checked with the same schema
// (promoCodeInputSchema); the errors come back per field in the manager's language.
import { DateTime } from "luxon";
import { z } from "zod";
import { promoCodeInputSchema } from "../../domain/loyalty/promo/index.ts";
import type { PromoCodeInput } from "../../domain/loyalty/promo/index.ts";
import { dottedPath, issueMessageIn } from "../../i18n/zod.ts";
import type { ConsoleLang } from "../i18n.ts";
import { PROMO_TEXT } from "./texts.ts";

/** What the page posts: form fields as typed (numbers may come as text, dates as YYYY-MM-DD). */
const formShape = z.record(z.string(), z.unknown());

/** "" and missing are "not given"; a number typed as text is that number (else left for the schema to refuse). */
function numberOf(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const text = value.trim().replace(/\s+/g, "");
  if (text === "") return undefined;
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

const BAD_DAY = Symbol("bad day");

/**
 * A day of the form (ДД.ММ.ГГГГ as a Russian manager types it, or ГГГГ-ММ-ДД) in the clinic's zone:
 * "from" is its first moment, "until" the first moment after it, as ISO date-times for the schema.
 */
function dayOf(value: unknown, timezone: string, edge: "start" | "after"): string | null | typeof BAD_DAY {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") return BAD_DAY;
  const text = value.trim();
  if (text === "") return null;
  const day = /^\d{1,2}\.\d{1,2}\.\d{4}$/.test(text) ? DateTime.fromFormat(text, "d.M.yyyy", { zone: timezone }) : /^\d{4}-\d{2}-\d{2}$/.test(text) ? DateTime.fromISO(text, { zone: timezone }) : null;
  if (!day?.isValid) return BAD_DAY;
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
  const startsAt = dayOf(f.startsAt, timezone, "start");
  const endsAt = dayOf(f.endsAt, timezone, "after");
  const dayErrors: Record<string, string> = {};
  if (startsAt === BAD_DAY) dayErrors.startsAt = PROMO_TEXT[lang].dateFormat;
  if (endsAt === BAD_DAY) dayErrors.endsAt = PROMO_TEXT[lang].dateFormat;
  const totalLimit = numberOf(f.totalLimit);
  const candidate = {
    code: f.code,
    reward: f.reward,
    value: numberOf(f.value),
    perPatient: numberOf(f.perPatient),
    totalLimit: totalLimit === undefined ? null : totalLimit,
    startsAt: startsAt === BAD_DAY ? null : startsAt,
    endsAt: endsAt === BAD_DAY ? null : endsAt,
    services: servicesOf(f.services),
    description: f.description,
  };
  const parsed = promoCodeInputSchema.safeParse(
    Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined)),
    { reportInput: true },
  );
  if (parsed.success && Object.keys(dayErrors).length === 0) return { ok: true, input: parsed.data };
  const fields: Record<string, string> = { ...dayErrors };
  if (parsed.success) return { ok: false, fields };
  for (const issue of parsed.error.issues) fields[dottedPath(issue.path.slice(0, 1)) || "code"] ??= issueMessageIn(issue, lang);
  return { ok: false, fields };
}
