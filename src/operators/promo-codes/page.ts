// /console/promo-codes: the server renders the frame and the form; the page's script
// (src/browser/promo-codes.ts) draws the list from its data and calls the promo codes' API.
import { BASE_STYLE } from "../../web-assets/page-style.ts";
import { html, pageData, raw } from "../../web-assets/html.ts";
import { pageScript } from "../../web-assets/browser-bundles.ts";
import type { PromoCodeView } from "../../domain/loyalty/promo/index.ts";
import type { ConsoleLang } from "../i18n.ts";
import { consoleHeader, documentHead, HEADER_STYLE } from "../layout.ts";
import { CARD_STYLE } from "../team/page.ts";
import { PROMO_TEXT } from "./texts.ts";

export interface PromoCodesPageData {
  lang: ConsoleLang;
  csrfToken: string;
  /** The clinic's zone: the dates of the form and the list are its days. */
  timezone: string;
  codes: PromoCodeView[];
  text: (typeof PROMO_TEXT)[ConsoleLang];
}

const STYLE = `${BASE_STYLE}${HEADER_STYLE}${CARD_STYLE}
.back{display:inline-block;margin:.2rem 0 .4rem;font-size:.9rem}
.add{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:.75rem 1rem;align-items:start}
.add .f{display:flex;flex-direction:column;gap:.2rem;min-width:0}
.add .wide{grid-column:span 2}
.add .actions{grid-column:1/-1;display:flex;gap:.75rem;align-items:center;flex-wrap:wrap}
.add .actions .status{margin:0}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:.55rem .5rem;border-top:1px solid var(--line);vertical-align:top}
th{font-size:.82rem;color:var(--muted);font-weight:600;border-top:none}
td .code{font-weight:700;letter-spacing:.03em;overflow-wrap:anywhere}
td .desc{color:var(--muted);font-size:.85rem;overflow-wrap:anywhere}
td .tag{display:inline-block;font-size:.78rem;padding:.05rem .45rem;border-radius:999px;background:#e3f4e8;color:var(--ok);white-space:nowrap}
td.when div{white-space:nowrap}
td .tag.off{background:#fbe4e2;color:var(--urgent)}
td button{padding:.3rem .6rem;font-size:.85rem;white-space:nowrap}
tr.off td:not(.actions){opacity:.65}
td.actions{display:flex;gap:.4rem;flex-wrap:wrap}
.add input[readonly]{background:#f1f3f5;color:var(--muted)}
.notices:empty{display:none}
.notices p{margin:.4rem 0 0;padding:.45rem .65rem;border-left:3px solid #c98a00;background:#fff6dc;border-radius:4px;font-size:.9rem}
.add .notices{grid-column:1/-1}
section.editing{outline:2px solid var(--accent);outline-offset:2px}
@media (max-width:900px){.add{grid-template-columns:repeat(2,minmax(0,1fr))}}
@media (max-width:760px){
  main{padding:.75rem .6rem 2rem}
  .add{grid-template-columns:1fr}
  .add .wide{grid-column:auto}
  thead{display:none}
  table,tbody,tr,td{display:block;width:100%}
  tr{border-top:1px solid var(--line);padding:.5rem 0}
  td{border:none;padding:.2rem 0}
  td[data-label]::before{content:attr(data-label) ": ";color:var(--muted);font-size:.82rem}
}
`;

/** One form field with its hint and the place its error appears. */
function field(name: string, label: string, control: ReturnType<typeof html>, hint = "", wide = false) {
  return html`<div class="f${wide ? " wide" : ""}"><label>${label}${control}</label>${hint ? html`<p class="hint">${hint}</p>` : ""}<p class="error" id="error-${name}" data-error-for="${name}" hidden></p></div>`;
}

export async function promoCodesPage(o: { nonce: string; data: PromoCodesPageData; clinicName: string; operatorName: string }): Promise<string> {
  const t = PROMO_TEXT[o.data.lang];
  const described = (name: string) => raw(`aria-describedby="error-${name}"`);
  const page = html`${documentHead({ lang: o.data.lang, title: `${t.title} — ${o.clinicName}`, nonce: o.nonce, style: STYLE })}
<body>
${consoleHeader({ lang: o.data.lang, active: "settings", back: "/console/promo-codes", clinicName: o.clinicName, operatorName: o.operatorName, admin: true, csrfToken: o.data.csrfToken })}
<main>
<a class="back" href="/console/settings#s-bonus">${t.backToSettings}</a>
<h1>${t.title}</h1>
<p class="intro">${t.intro}</p>
<section class="card" id="form-card">
<h2 id="form-heading">${t.addHeading}</h2>
<form id="add" class="add" novalidate>
${field("code", t.code, html`<input name="code" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="40" placeholder="LETO2027" ${described("code")}>`, t.codeHint)}
${field("reward", t.reward, html`<select name="reward" ${described("reward")}><option value="points">${t.rewardPoints}</option><option value="discount">${t.rewardDiscount}</option><option value="partial">${t.rewardPartial}</option></select>`)}
${field("value", t.value, html`<input name="value" inputmode="numeric" autocomplete="off" placeholder="500" ${described("value")}>`, t.valueHint)}
${field("perPatient", t.perPatient, html`<input name="perPatient" inputmode="numeric" autocomplete="off" value="1" ${described("perPatient")}>`)}
${field("totalLimit", t.totalLimit, html`<input name="totalLimit" inputmode="numeric" autocomplete="off" ${described("totalLimit")}>`, t.totalLimitHint)}
${field("startsAt", t.startsAt, html`<input name="startsAt" inputmode="numeric" autocomplete="off" placeholder="${t.datePlaceholder}" ${described("startsAt")}>`, t.datesHint)}
${field("endsAt", t.endsAt, html`<input name="endsAt" inputmode="numeric" autocomplete="off" placeholder="${t.datePlaceholder}" ${described("endsAt")}>`)}
${field("services", t.services, html`<input name="services" autocomplete="off" ${described("services")}>`, t.servicesHint)}
${field("description", t.description, html`<input name="description" autocomplete="off" maxlength="300" ${described("description")}>`, t.descriptionHint, true)}
<div class="actions"><button type="submit" class="primary" id="submit">${t.create}</button><button type="button" id="cancel-edit" hidden>${t.cancelEdit}</button><p class="status" id="add-status" role="status"></p></div>
<div class="notices" id="notices" role="status"></div>
</form>
</section>
<section class="card">
<h2>${t.listHeading}</h2>
<table><thead><tr><th>${t.code}</th><th>${t.reward}</th><th>${t.limits}</th><th>${t.dates}</th><th>${t.uses}</th><th>${t.state}</th><th>${t.actions}</th></tr></thead><tbody id="rows"></tbody></table>
<p class="status" id="list-status" role="status"></p>
</section>
</main>
${pageData(o.data)}
${await pageScript("promo-codes", o.nonce)}
</body>
</html>`;
  return page.value;
}
