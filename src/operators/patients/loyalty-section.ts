// The patient card's loyalty box: the status level in force, promo codes used, certificates held.
import type { LoyaltySummary } from "../../domain/loyalty/summary.ts";
import { html, type SafeHtml } from "../../web-assets/html.ts";
import type { ConsoleLang, Dictionary } from "../i18n.ts";
import type { CardFormats } from "./format.ts";

export const LOYALTY_TEXT: Dictionary<
  "title" | "level" | "noLevel" | "holds" | "lowering" | "paid" | "promo" | "certificates" | "none" | "balanceOf" | "until" | "expired" | "rate" | "rewardPoints" | "rewardDiscount" | "rewardPartial"
> = {
  ru: {
    title: "Лояльность",
    level: "Статус",
    noLevel: "без статуса",
    holds: "действует до {date}",
    lowering: "станет ниже после предупреждения от {date}",
    paid: "Оплачено за период",
    promo: "Промокоды",
    certificates: "Сертификаты",
    none: "нет",
    balanceOf: "{balance} из {initial}",
    until: "до {date}",
    expired: "истёк",
    rate: "{percent} % баллами, оплата баллами до {share} % счёта",
    rewardPoints: "{value} баллов",
    rewardDiscount: "скидка {value} %",
    rewardPartial: "оплата {value} ₽",
  },
  en: {
    title: "Loyalty",
    level: "Status",
    noLevel: "no status",
    holds: "holds until {date}",
    lowering: "to be lowered, notice given {date}",
    paid: "Paid over the period",
    promo: "Promo codes",
    certificates: "Certificates",
    none: "none",
    balanceOf: "{balance} of {initial}",
    until: "until {date}",
    expired: "expired",
    rate: "{percent}% in points, points pay up to {share}% of a bill",
    rewardPoints: "{value} points",
    rewardDiscount: "{value}% off",
    rewardPartial: "{value} ₽ paid",
  },
};

const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ""));
const rub = (kopecks: number, lang: ConsoleLang) => `${Math.floor(kopecks / 100).toLocaleString(lang === "ru" ? "ru-RU" : "en-GB")} ₽`;

export function loyaltySection(lang: ConsoleLang, summary: LoyaltySummary, f: CardFormats): SafeHtml {
  const t = LOYALTY_TEXT[lang];
  const level = summary.level;
  const reward = (p: { reward: string; value: number }) =>
    fill(p.reward === "points" ? t.rewardPoints : p.reward === "discount" ? t.rewardDiscount : t.rewardPartial, { value: p.value });
  return html`<dl class="facts" data-testid="loyalty">
<dt>${t.level}</dt><dd>${
    level
      ? html`<strong>${lang === "ru" ? level.name : level.nameEn}</strong> · ${fill(t.rate, { percent: level.accrualPercent, share: Math.round(level.maxBillShare * 100) })}<br><span class="hint">${
          level.lowerNoticeAt ? fill(t.lowering, { date: f.date(level.lowerNoticeAt) }) : fill(t.holds, { date: f.date(level.holdsUntil) })
        }</span>`
      : html`<span class="hint">${t.noLevel}</span>`
  }</dd>
<dt>${t.paid}</dt><dd>${rub(summary.paid, lang)}</dd>
<dt>${t.promo}</dt><dd>${
    summary.promoCodes.length
      ? html`<span class="tags">${summary.promoCodes.map((p) => html`<span class="tag muted" title="${f.date(p.at)}">${p.code} · ${reward(p)}</span>`)}</span>`
      : html`<span class="hint">${t.none}</span>`
  }</dd>
<dt>${t.certificates}</dt><dd>${
    summary.certificates.length
      ? summary.certificates.map(
          (c) => html`<div><code>${c.code}</code> · ${fill(t.balanceOf, { balance: rub(c.balance, lang), initial: rub(c.initialAmount, lang) })} · ${
            c.expired ? html`<span class="tag off">${t.expired}</span>` : fill(t.until, { date: f.date(c.expiresAt) })
          }</div>`,
        )
      : html`<span class="hint">${t.none}</span>`
  }</dd>
</dl>`;
}
