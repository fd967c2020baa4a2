// The dashboard's cards about the clinic's work: escalations, bonus points, reminders, campaigns.
import type { CampaignResults } from "../../campaigns/results.ts";
import type { ConsoleLang } from "../i18n.ts";
import { html, type SafeHtml } from "../../web-assets/html.ts";
import type { BonusFigures } from "./bonus-figures.ts";
import type { EscalationFigures } from "./escalation-figures.ts";
import type { Formats } from "./format.ts";
import { emptyState, section, table, tiles } from "./html.ts";
import type { ReminderFigures } from "./reminder-figures.ts";
import { barChart } from "./svg.ts";
import { PRIORITY_TEXT, REMINDER_TEXT, TEXT } from "./texts.ts";

/** "ждут 2 · просрочено 1": the counts that are not zero, or "0". */
function countsLabel(counts: [what: string, n: number][], f: Formats): string {
  return (
    counts
      .filter(([, n]) => n > 0)
      .map(([what, n]) => `${what} ${f.int(n)}`)
      .join(" · ") || f.int(0)
  );
}

export function escalationSection(e: EscalationFigures, lang: ConsoleLang, f: Formats): SafeHtml {
  const t = TEXT[lang];
  const p = PRIORITY_TEXT[lang];
  const unresolved = e.byPriority.reduce((sum, r) => sum + r.open + r.taken, 0);
  const most = Math.max(...e.byPriority.map((r) => r.open + r.taken), 1);
  const chart =
    unresolved === 0
      ? emptyState(t.noEscalations)
      : barChart({
          title: `${t.escalationsTitle}: ${t.open.toLowerCase()} + ${t.taken.toLowerCase()}`,
          min: 0,
          max: most,
          bars: e.byPriority.map((r) => ({
            label: p[r.priority],
            value: r.open + r.taken,
            valueLabel: countsLabel(
              [
                [t.waitingShort, r.open],
                [t.takenShort, r.taken],
                [t.overdueShort, r.overdue],
              ],
              f,
            ),
            tone: `prio-${r.priority}`,
            hint: `${p[r.priority]}: ${t.open.toLowerCase()} ${r.open}, ${t.taken.toLowerCase()} ${r.taken}, ${t.overdue.toLowerCase()} ${r.overdue}`,
          })),
        });
  return section({
    id: "escalations",
    title: t.escalationsTitle,
    body: html`${tiles([
      { label: t.overdueNow, value: f.int(e.overdueNow), tone: e.overdueNow > 0 ? "bad" : undefined, testid: "esc-overdue" },
      { label: t.resolved30, value: f.int(e.resolvedLast30Days), testid: "esc-resolved" },
      { label: t.resolvedLate30, value: f.int(e.resolvedLateLast30Days), tone: e.resolvedLateLast30Days > 0 ? "warn" : undefined, testid: "esc-late" },
      { label: t.medianTake, value: f.duration(e.medianTakeSeconds), testid: "esc-median-take" },
      { label: t.medianResolve, value: f.duration(e.medianResolveSeconds), testid: "esc-median-resolve" },
    ])}
${chart}
${table({
  caption: t.escalationsTitle,
  head: [t.priority, t.open, t.taken, { text: t.overdueShort2, full: t.overdue }],
  rows: e.byPriority.map((r) => [p[r.priority], f.int(r.open), f.int(r.taken), f.int(r.overdue)]),
})}`,
  });
}

export function bonusSection(b: BonusFigures, lang: ConsoleLang, f: Formats): SafeHtml {
  const t = TEXT[lang];
  return section({
    id: "bonus",
    title: t.bonusTitle,
    wide: true,
    body: tiles([
      { label: t.outstanding, value: f.int(b.outstanding), testid: "bonus-outstanding" },
      { label: t.holders, value: f.int(b.holders), testid: "bonus-holders" },
      { label: t.expiringSoon, value: f.int(b.expiringNext30Days), tone: b.expiringNext30Days > 0 ? "warn" : undefined, testid: "bonus-expiring" },
      { label: t.accrued30, value: f.int(b.accruedLast30Days), testid: "bonus-accrued" },
      { label: t.redeemed30, value: f.int(b.redeemedLast30Days), testid: "bonus-redeemed" },
      { label: t.expired30, value: f.int(b.expiredLast30Days), testid: "bonus-expired" },
    ]),
  });
}

export function reminderSection(r: ReminderFigures, lang: ConsoleLang, f: Formats): SafeHtml {
  const t = TEXT[lang];
  const names = REMINDER_TEXT[lang];
  const any = r.total.sent + r.total.skipped + r.total.tooOld + r.total.retrying + r.total.dead > 0;
  const most = Math.max(...r.kinds.map((k) => k.sent), 1);
  const body = any
    ? html`${barChart({
        title: `${t.remindersTitle}: ${t.sent.toLowerCase()}`,
        min: 0,
        max: most,
        bars: r.kinds.map((k) => ({
          label: names[k.kind],
          value: k.sent,
          valueLabel: f.int(k.sent),
          tone: "sent",
          hint: `${names[k.kind]}: ${t.sent.toLowerCase()} ${k.sent}`,
        })),
      })}
${table({
  caption: t.remindersTitle,
  head: [t.kind, { text: t.sentShort, full: t.sent }, { text: t.skippedShort, full: t.skipped }, { text: t.tooOldShort, full: t.tooOld }, { text: t.retryingShort, full: t.retrying }, { text: t.deadShort, full: t.dead }],
  rows: r.kinds.map((k) => [names[k.kind], f.int(k.sent), f.int(k.skipped), f.int(k.tooOld), f.int(k.retrying), f.int(k.dead)]),
  foot: [t.total, f.int(r.total.sent), f.int(r.total.skipped), f.int(r.total.tooOld), f.int(r.total.retrying), f.int(r.total.dead)],
})}`
    : emptyState(t.noReminders);
  return section({ id: "reminders", title: t.remindersTitle, note: any ? t.remindersNote : undefined, body });
}

/** One block per campaign: its figures as tiles (they fit a phone, unlike a six-column table) and its funnel. */
export function campaignSection(campaigns: CampaignResults[], lang: ConsoleLang, f: Formats): SafeHtml {
  const t = TEXT[lang];
  if (campaigns.length === 0) return section({ id: "campaigns", title: t.campaignsTitle, wide: true, body: emptyState(t.noCampaigns) });
  const blocks = campaigns.map((c) => {
    const id = `campaign-${c.campaignId}`;
    const steps = [
      [t.reached, c.reached],
      [t.replied, c.replied],
      [t.booked, c.booked],
      [t.cameBack, c.cameBack],
    ] as const;
    // A campaign that reached nobody yet has no funnel to draw: its zeros say enough.
    const funnel =
      c.reached === 0
        ? null
        : barChart({
            title: `${c.title}: ${steps.map(([label, n]) => `${label.toLowerCase()} ${n}`).join(", ")}`,
            min: 0,
            max: c.reached,
            bars: steps.map(([label, n]) => ({ label, value: n, valueLabel: f.int(n), tone: "sent", hint: `${label}: ${n}` })),
          });
    return html`<article class="campaign" data-testid="${id}"><h3>${c.title}</h3>
${tiles([
  { label: t.reached, value: f.int(c.reached), testid: `${id}-reached` },
  { label: t.replied, value: f.int(c.replied), testid: `${id}-replied` },
  { label: t.booked, value: f.int(c.booked), testid: `${id}-booked` },
  { label: t.cameBack, value: f.int(c.cameBack), testid: `${id}-came-back` },
  { label: t.revenue, value: f.money(c.revenue), testid: `${id}-revenue` },
  { label: t.noAdConsent, value: f.int(c.skippedNoAdvertisingConsent), testid: `${id}-no-ad-consent` },
])}${funnel}</article>`;
  });
  const days = [...new Set(campaigns.map((c) => c.cameBackWithinDays))];
  return section({
    id: "campaigns",
    title: t.campaignsTitle,
    note: days.length === 1 ? t.cameBackNote.replace("{days}", String(days[0])) : undefined,
    wide: true,
    body: html`${blocks.flatMap((block, i) => (i === 0 ? [block] : ["\n", block]))}`,
  });
}
