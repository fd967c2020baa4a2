import { DEFAULT_LANG, LANGS } from "../../i18n/lang.ts";
import type { Lang } from "../../i18n/lang.ts";

/** Locales the clinic writes texts in: CareBot's languages. `ru` is the default and every key must exist in it. */
export const TEMPLATE_LOCALES = LANGS;
export type TemplateLocale = Lang;
export const DEFAULT_LOCALE: TemplateLocale = DEFAULT_LANG;

export function isTemplateLocale(value: unknown): value is TemplateLocale {
  return typeof value === "string" && (TEMPLATE_LOCALES as readonly string[]).includes(value);
}

/** Everything a patient message template can see. Top-level names are the template variables. */
export interface TemplateView {
  locale: TemplateLocale;
  /** IANA zone of the patient: dates are shown in it. */
  timezone: string;
  /** `firstName` is "" when the patient has not told us their name; `gender` is "male", "female" or "" when the name does not say. */
  patient: { firstName: string; fullName: string; gender: string; linked: boolean };
  /**
   * `name` as the clinic writes it, `brand` its own name for «клиники «{{clinic.brand}}»», `phone`
   * formatted («+7 495 123-45-67»); `bonusSharePercent`: how much of a bill points may pay (50 for half).
   */
  clinic: { name: string; brand: string; phone: string; address: string; reviewUrl: string; bonusSharePercent: number };
  bonus: {
    balance: number;
    expiringTotal: number;
    nextExpiry: Date | null;
    expiringSoon: { amount: number; expiresAt: Date }[];
  };
  /**
   * The ward a message in their guardian's chat is about («Напоминаем о приёме {{ward.genitive}}»,
   * «{{ward.name}} записан», «ждём {{ward.accusative}}»); every field "" in a patient's own chat, so
   * templates test `{{#if ward.name}}`. `gender` as in `patient`. `medical`: the ward's service or
   * procedure may be named to the guardian (their medical consent is given, docs/consents.md), so
   * texts about a ward write `{{#if ward.medical}}{{context.service}}{{/if}}`.
   */
  ward: { name: string; genitive: string; dative: string; accusative: string; gender: string; medical: boolean };
  /** The conversation's flow context. */
  context: Record<string, unknown>;
  /** Values produced earlier in the same step (e.g. `result.escalation.dueAt`). */
  result: Record<string, unknown>;
}

/** The view's `ward` in a patient's own chat. */
export const NO_WARD: TemplateView["ward"] = { name: "", genitive: "", dative: "", accusative: "", gender: "", medical: false };

/** The view's `ward` in a guardian's chat about their son, as the texts are checked with it. */
export const SAMPLE_WARD: TemplateView["ward"] = { name: "Миша", genitive: "Миши", dative: "Мише", accusative: "Мишу", gender: "male", medical: true };

/** Objects merge key by key; dates, arrays and primitives replace the sample's value. */
export type DeepPartial<T> = T extends Date | readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/**
 * A complete, realistic view. Template validation renders every text with it, so every
 * field has a value a real patient could have (fixed dates keep the output deterministic).
 */
export function sampleView(overrides: DeepPartial<TemplateView> = {}): TemplateView {
  const expiresAt = new Date("2026-11-24T07:00:00.000Z"); // 10:00 in Moscow
  const base: TemplateView = {
    locale: "ru",
    timezone: "Europe/Moscow",
    patient: { firstName: "Анна", fullName: "Анна Петрова", gender: "female", linked: true },
    clinic: {
      name: "Клиника «Здоровье»",
      brand: "Здоровье",
      phone: "+7 495 123-45-67",
      address: "Москва, ул. Примерная, 1",
      reviewUrl: "https://example.com/review",
      bonusSharePercent: 50,
    },
    bonus: {
      balance: 1500,
      expiringTotal: 300,
      nextExpiry: expiresAt,
      expiringSoon: [{ amount: 300, expiresAt }],
    },
    ward: NO_WARD,
    context: {},
    result: {},
  };
  return deepMerge(base, overrides) as TemplateView;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

// Copies as it merges so two sample views never share a mutable object.
function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined) return clone(base);
  if (isPlainObject(base) && isPlainObject(override)) {
    const out: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(base), ...Object.keys(override)])) {
      out[key] = deepMerge(base[key], override[key]);
    }
    return out;
  }
  return clone(override);
}

function clone(value: unknown): unknown {
  if (value instanceof Date) return new Date(value.getTime());
  if (Array.isArray(value)) return value.map(clone);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]));
  return value;
}
