// The dashboard's three NPS cards: by month, by doctor, and the 0–10 distribution.
import { npsCategory } from "../../domain/nps/category.ts";
import type { ConsoleLang } from "../i18n.ts";
import { html, type SafeHtml } from "../../web-assets/html.ts";
import type { Formats } from "./format.ts";
import { emptyState, foldedTable, section, table, tiles } from "./html.ts";
import type { NpsFigures } from "./nps-figures.ts";
import { barChart, columnChart, shorten } from "./svg.ts";
import { TEXT } from "./texts.ts";

/** The colour class of an NPS value: good, middling or bad. */
const npsTone = (nps: number) => (nps >= 50 ? "promoter" : nps >= 0 ? "passive" : "detractor");
const TILE_TONE = { promoter: "good", passive: undefined, detractor: "bad" } as const;

export function npsSections(nps: NpsFigures, lang: ConsoleLang, f: Formats): SafeHtml {
  const t = TEXT[lang];
  const counts = (r: { responses: number; promoters: number; passives: number; detractors: number; nps: number | null }) => [
    f.int(r.responses),
    f.int(r.promoters),
    f.int(r.passives),
    f.int(r.detractors),
    f.nps(r.nps),
  ];
  const head = [t.responses, { text: t.promotersShort, full: t.promoters }, { text: t.passivesShort, full: t.passives }, { text: t.detractorsShort, full: t.detractors }, t.nps];
  const none = nps.total.responses === 0;

  const monthsBody = none
    ? emptyState(t.noAnswers)
    : html`${tiles([
        { label: t.npsTwelve, value: f.nps(nps.total.nps), tone: TILE_TONE[npsTone(nps.total.nps ?? 0)], testid: "nps-total" },
        { label: t.responses, value: f.int(nps.total.responses), testid: "nps-responses" },
      ])}
${columnChart({
  title: `${t.npsMonthsTitle}. ${t.npsScale}`,
  min: -100,
  max: 100,
  columns: nps.months.map((m) => ({
    label: f.monthShort(m.month),
    sublabel: f.int(m.responses),
    value: m.nps,
    valueLabel: m.nps === null ? "" : f.nps(Math.round(m.nps)),
    tone: m.nps === null ? "passive" : npsTone(m.nps),
    hint: `${f.monthLong(m.month)}: ${t.nps} ${f.nps(m.nps)}, ${t.responses.toLowerCase()} ${f.int(m.responses)}`,
  })),
})}
${foldedTable(t.showTable, { caption: t.npsMonthsTitle, head: [t.month, ...head], rows: nps.months.map((m) => [f.monthLong(m.month), ...counts(m)]), foot: [t.total, ...counts(nps.total)] })}`;

  const doctorName = (group: string) => (group === "—" ? t.noDoctor : group);
  const doctorsBody = none
    ? emptyState(t.noAnswers)
    : html`${barChart({
        title: `${t.npsDoctorsTitle}. ${t.npsScale}`,
        min: -100,
        max: 100,
        bars: nps.doctors.map((d) => ({
          label: shorten(doctorName(d.group), 32),
          value: d.nps ?? 0,
          valueLabel: `${f.nps(d.nps)} · ${f.int(d.responses)}`,
          tone: npsTone(d.nps ?? 0),
          hint: `${doctorName(d.group)}: ${t.nps} ${f.nps(d.nps)}, ${t.responses.toLowerCase()} ${f.int(d.responses)}`,
        })),
      })}
${table({ caption: t.npsDoctorsTitle, compact: true, head: [t.doctor, ...head], rows: nps.doctors.map((d) => [doctorName(d.group), ...counts(d)]) })}`;

  const most = Math.max(...nps.scores.map((s) => s.responses), 1);
  const categoryName = { promoter: t.promoters, passive: t.passives, detractor: t.detractors };
  const scoresBody = none
    ? emptyState(t.noAnswers)
    : html`${columnChart({
        title: t.npsScoresTitle,
        min: 0,
        max: most,
        columns: nps.scores.map((s) => ({
          label: String(s.score),
          value: s.responses,
          valueLabel: f.int(s.responses),
          tone: npsCategory(s.score),
          hint: `${t.score} ${s.score} (${categoryName[npsCategory(s.score)].toLowerCase()}): ${f.int(s.responses)}`,
        })),
      })}
<ul class="legend"><li><span class="key promoter"></span>${t.promoters} 9–10</li><li><span class="key passive"></span>${t.passives} 7–8</li><li><span class="key detractor"></span>${t.detractors} 0–6</li></ul>
${foldedTable(t.showTable, { caption: t.npsScoresTitle, head: [t.score, t.responses], rows: nps.scores.map((s) => [String(s.score), f.int(s.responses)]) })}`;

  return html`${section({ id: "nps-months", title: t.npsMonthsTitle, note: none ? undefined : t.npsMonthsNote, wide: true, body: monthsBody })}
${section({ id: "nps-doctors", title: t.npsDoctorsTitle, body: doctorsBody })}
${section({ id: "nps-scores", title: t.npsScoresTitle, note: none ? undefined : t.npsScoresNote, body: scoresBody })}`;
}
