// The dashboard page: server-rendered HTML with inline SVG charts and no script at all.
import { appointmentSection } from "./appointment-section.ts";
import { channelSection } from "./channel-section.ts";
import { BASE_STYLE } from "../../web-assets/page-style.ts";
import type { ConsoleLang } from "../i18n.ts";
import { consoleHeader, documentHead, HEADER_STYLE } from "../layout.ts";
import { html } from "../../web-assets/html.ts";
import type { DashboardFigures } from "./figures.ts";
import { formats } from "./format.ts";
import { npsSections } from "./nps-section.ts";
import { bonusSection, campaignSection, escalationSection, reminderSection } from "./operations-sections.ts";
import { TEXT } from "./texts.ts";
import { branchChooser, reviewSection } from "./review-section.ts";

const STYLE = `${BASE_STYLE}${HEADER_STYLE}
main.dash{max-width:1240px;margin:0 auto;padding:1rem;display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:1rem}
.dash-head{grid-column:1/-1;display:flex;flex-wrap:wrap;align-items:baseline;gap:.25rem 1rem}
.dash-head h1{font-size:1.35rem;margin:0}
.dash-head p{margin:0;color:var(--muted);font-size:.9rem}
.branch-choice{display:flex;gap:.5rem;align-items:center;margin-left:auto}
.branch-choice label{display:flex;gap:.4rem;align-items:center;font-size:.9rem}
.branch-choice select{height:2.2rem;border:1px solid var(--line);border-radius:8px;padding:0 .4rem;background:#fff}
.branch-note{flex-basis:100%}
.card{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:1rem 1.1rem;min-width:0}
.card.wide{grid-column:1/-1}
.card h2{font-size:1.02rem;margin:0 0 .3rem}
.note{margin:0 0 .6rem;color:var(--muted);font-size:.85rem}
.empty{margin:1.5rem 0;text-align:center;color:var(--muted);font-size:1rem}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(10.5rem,1fr));gap:.5rem;margin:.4rem 0 .9rem}
.tile{border:1px solid var(--line);border-radius:8px;padding:.45rem .65rem;background:#f7f9fb}
.tile dt{font-size:.78rem;color:var(--muted);line-height:1.25}
.tile dd{margin:.1rem 0 0;font-size:1.35rem;font-weight:600;font-variant-numeric:tabular-nums}
.tile.bad dd{color:var(--urgent)}
.tile.warn dd{color:var(--warn)}
.tile.good dd{color:var(--ok)}
svg.chart{display:block;overflow:visible;margin:.3rem 0 .6rem;font-size:12px}
svg.chart text{fill:var(--text)}
svg.chart text.axis{fill:var(--muted);font-size:11.5px}
svg.chart text.sub{fill:var(--muted);font-size:10.5px}
svg.chart text.value{font-size:11.5px;font-weight:600;font-variant-numeric:tabular-nums}
svg.chart text.label{font-size:12.5px}
svg.chart line.zero{stroke:#8391a3;stroke-width:1}
svg.chart line.guide{stroke:var(--line);stroke-width:1;stroke-dasharray:3 3}
svg.chart rect.track{fill:#eef1f5}
rect.promoter{fill:var(--ok)}
rect.passive{fill:#9aa6b4}
rect.detractor{fill:var(--urgent)}
.key.promoter{background:var(--ok)}
.key.passive{background:#9aa6b4}
.key.detractor{background:var(--urgent)}
.sent{fill:var(--accent)}
.prio-urgent{fill:var(--urgent)}
.prio-high{fill:var(--warn)}
.prio-normal{fill:var(--accent)}
.prio-low{fill:#9aa6b4}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:.3rem 1rem;margin:0 0 .5rem;padding:0;font-size:.82rem;color:var(--muted)}
.legend .key{display:inline-block;width:.75rem;height:.75rem;border-radius:2px;margin-right:.35rem;vertical-align:-1px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.86rem;margin:.2rem 0 .4rem}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
abbr{text-decoration:none}
abbr.short{display:none}
th,td{padding:.28rem .45rem;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}
thead th{color:var(--muted);font-weight:600;font-size:.78rem}
th[scope=row]{font-weight:400;white-space:normal;min-width:8rem}
thead th{white-space:normal;vertical-align:bottom}
.num{text-align:right;font-variant-numeric:tabular-nums}
tfoot th,tfoot td{font-weight:600;border-bottom:0}
details summary{cursor:pointer;color:var(--accent);font-size:.85rem;margin:.2rem 0}
.campaign{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:0 1.5rem;align-items:start;padding:.6rem 0;border-top:1px solid var(--line)}
.campaign:first-of-type{border-top:0}
.campaign h3{grid-column:1/-1;font-size:.95rem;margin:0 0 .2rem}
.campaign .tiles{grid-template-columns:repeat(auto-fill,minmax(8.5rem,1fr));margin:.3rem 0}
/* In a narrow card (a half-width one at 1280 px) table heads take their short forms (the full word stays the
   abbreviation's title), so the last column is not cut; a table still wider scrolls inside its card. */
.card{container-type:inline-size}
@container (max-width:44rem){.long{display:none}abbr.short{display:inline}}
@media (max-width:900px){main.dash{grid-template-columns:minmax(0,1fr);padding:.6rem;gap:.6rem}.card{padding:.8rem}.campaign{grid-template-columns:minmax(0,1fr)}}
@media (max-width:480px){svg.chart text.axis{font-size:10px}svg.chart text.value{font-size:10px}svg.chart text.sub{font-size:9.5px}.tile dd{font-size:1.15rem}.tiles{grid-template-columns:repeat(2,minmax(0,1fr))}
table{font-size:.8rem}th,td{padding:.25rem .2rem}thead th{white-space:normal;vertical-align:bottom;font-size:.72rem}
th[scope=row]{min-width:4.5rem;overflow-wrap:anywhere;hyphens:auto}
.long{display:none}abbr.short{display:inline}}
`;

export interface DashboardPageInput {
  lang: ConsoleLang;
  nonce: string;
  csrfToken: string;
  operatorName: string;
  figures: DashboardFigures;
}

export function dashboardPage(o: DashboardPageInput): string {
  const t = TEXT[o.lang];
  const fig = o.figures;
  const f = formats(o.lang, fig.clinic.timezone);
  return html`${documentHead({ lang: o.lang, title: `${t.title} — ${fig.clinic.name}`, nonce: o.nonce, style: STYLE })}
<body>
${consoleHeader({ lang: o.lang, active: "dashboard", clinicName: fig.clinic.name, operatorName: o.operatorName, admin: true, csrfToken: o.csrfToken })}
<main class="dash">
<div class="dash-head"><h1>${t.title}${fig.branch && ` — ${fig.branch.name}`}</h1><p>${t.asOf} ${f.dateTime(fig.now)} (${fig.clinic.timezone})</p>${branchChooser(fig.branches, fig.branch, o.lang)}</div>
${npsSections(fig.nps, o.lang, f)}
${escalationSection(fig.escalations, o.lang, f)}
${reviewSection(fig.reviews, o.lang, f)}
${reminderSection(fig.reminders, o.lang, f)}
${appointmentSection(fig.appointments, o.lang, f)}
${channelSection(fig.channels, o.lang, f)}
${bonusSection(fig.bonus, o.lang, f)}
${campaignSection(fig.campaigns, o.lang, f)}
</main>
</body>
</html>`.value;
}
