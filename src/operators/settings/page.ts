// The settings page: a form built from the field table, one inline style (CSP nonce) and the
// bundled script src/browser/settings.ts, which fills it from the API and builds the forms of the
// lists and schedules. Values and server messages go in with .value and textContent, never as HTML.
import { BASE_STYLE } from "../../web-assets/page-style.ts";
import type { ConsoleLang } from "../i18n.ts";
import { consoleHeader, documentHead, HEADER_STYLE } from "../layout.ts";
import { pageScript } from "../../web-assets/browser-bundles.ts";
import { html, pageData, raw } from "../../web-assets/html.ts";
import type { SafeHtml } from "../../web-assets/html.ts";
import { fieldId, FORM_KINDS, HINTS, kindOf, LABELS, SECTION_INTROS, SECTION_TITLES, SECTIONS } from "./fields.ts";
import type { FieldPath } from "./fields.ts";
import { PAGE_TEXT, SCRIPT_TEXT } from "./page-text.ts";
import type { ScriptText } from "./page-text.ts";

/** What the page's script reads with readPageData(). */
export interface SettingsPageData {
  lang: ConsoleLang;
  csrfToken: string;
  timezone: string;
  text: ScriptText;
  /** Top-level document key → the title of its section. */
  keyTitles: Record<string, string>;
}

export interface SettingsPageOptions {
  nonce: string;
  csrfToken: string;
  lang: ConsoleLang;
  clinicName: string;
  timezone: string;
  operatorName: string;
  /** The doctors the clinic's visits name, offered when a doctor's review links are added. */
  doctorNames?: readonly string[];
}

const STYLE = `${BASE_STYLE}${HEADER_STYLE}
body{height:auto;min-height:100%}
.layout{display:grid;grid-template-columns:220px minmax(0,1fr);gap:1.25rem;max-width:1200px;margin:0 auto;padding:1rem 1.25rem 3rem}
.toc{position:sticky;top:1rem;align-self:start;display:flex;flex-direction:column;gap:.15rem}
.toc a{color:var(--text);text-decoration:none;padding:.35rem .6rem;border-radius:6px;font-size:.92rem}
.toc a:hover,.toc a:focus-visible{background:#dde5ef;outline:none}
.toc a.has-error{color:var(--urgent);font-weight:600}
.bar{position:sticky;top:0;z-index:2;display:flex;align-items:center;gap:.75rem;flex-wrap:wrap;background:var(--bg);padding:.6rem 0;border-bottom:1px solid var(--line);margin-bottom:1rem}
.bar h1{font-size:1.3rem;margin:0;margin-right:auto}
#status{font-size:.88rem;color:var(--muted)}
#status.dirty{color:var(--warn)}
#status.ok{color:var(--ok)}
#summary{border:1px solid var(--urgent);background:#fff6f5;border-radius:8px;padding:.75rem 1rem;margin-bottom:1rem}
#summary p{margin:0 0 .4rem;font-weight:600;color:var(--urgent)}
#summary ul{margin:0;padding-left:1.2rem}
#summary a{color:var(--urgent)}
#summary button{margin-top:.5rem}
section.card{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:1rem 1.1rem 1.1rem;margin-bottom:1rem;scroll-margin-top:4.5rem}
section.card h2{font-size:1.05rem;margin:0 0 .2rem}
section.card .intro{margin:0 0 .8rem;color:var(--muted);font-size:.88rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:.8rem 1rem}
.field{display:flex;flex-direction:column;gap:.25rem;min-width:0}
.field.wide{grid-column:1/-1}
.field label{font-size:.88rem;font-weight:600}
.field input,.field textarea{width:100%;border:1px solid var(--line);border-radius:8px;padding:.45rem .6rem;background:#fff}
.field textarea{resize:vertical;min-height:5rem}
.hint code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.75rem}
.field textarea.code,.field input.code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem}
.field input:focus,.field textarea:focus,button:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
.field [aria-invalid=true]{border-color:var(--urgent);background:#fffafa}
.hint{margin:0;font-size:.8rem;color:var(--muted);overflow-wrap:anywhere}
.hint.cron{color:var(--accent-dark)}
.hint.cron.bad{color:var(--urgent)}
.error{margin:0;font-size:.84rem;color:var(--urgent);white-space:pre-line;overflow-wrap:anywhere}
.file-actions{display:flex;gap:.5rem;flex-wrap:wrap;justify-content:flex-end;margin:-.4rem 0 1rem}
.file-actions a.button,.file-actions button{padding:.3rem .7rem;font-size:.88rem}
.form label{font-weight:400}
a.button{display:inline-block;border:1px solid var(--line);background:#fff;border-radius:8px;padding:.45rem .8rem;color:var(--text);text-decoration:none}
a.button:hover{border-color:var(--accent)}
#summary.note{border-color:var(--accent);background:#f3f7fe}
#summary.note p{color:var(--accent-dark)}
.field .label{font-size:.88rem;font-weight:600}
.form{min-width:0}
.form select,.form input,.form textarea{border:1px solid var(--line);border-radius:8px;padding:.4rem .5rem;background:#fff;min-width:0;max-width:100%}
.form textarea{width:100%;resize:vertical}
.form input.short{width:5.5rem}
.form .code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem}
.form [aria-invalid=true]{border-color:var(--urgent);background:#fffafa}
.sched{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}
.sched .days{display:flex;gap:.2rem;flex-wrap:wrap}
.sched .days label{position:relative;display:inline-flex;align-items:center;justify-content:center;min-width:2.3rem;padding:.35rem .3rem;border:1px solid var(--line);border-radius:6px;font-size:.85rem;cursor:pointer;background:#fff}
.sched .days input{position:absolute;opacity:0;inset:0;margin:0;cursor:pointer}
.sched .days label:has(input:checked){background:var(--accent);color:#fff;border-color:var(--accent)}
.sched .days label:has(input:focus-visible){outline:2px solid var(--accent);outline-offset:1px}
.sched input.time{width:4.6rem}
.sched input.dom{width:3.6rem}
.sched input.cron{flex:1 1 9rem}
.hint.live{color:var(--accent-dark)}
.hint.live.bad{color:var(--urgent)}
.item-list{display:flex;flex-direction:column;gap:.6rem;align-items:flex-start}
.items{display:flex;flex-direction:column;gap:.6rem;align-self:stretch}
.item{position:relative;border:1px solid var(--line);border-radius:8px;padding:.6rem .75rem;background:#fafbfd;display:flex;flex-direction:column;gap:.5rem}
.item.row{flex-direction:row;flex-wrap:wrap;align-items:flex-end}
.item-tools{display:flex;gap:.25rem;justify-content:flex-end;order:99;margin-left:auto}
.segment .item-tools,.campaign .item-tools,.reply .item-tools{order:0;position:absolute;top:.4rem;right:.5rem}
.segment,.campaign,.reply{padding-top:2.2rem}
.doctor > .item-tools{order:0;position:absolute;top:.4rem;right:.5rem}
.doctor{padding-top:2.2rem}
.doctor .doctor-name input{width:100%;max-width:28rem}
.doctor .item{background:#fff}
.doctor-link .grow{flex:1 1 16rem}
.doctor-link .link-label{width:12rem}
.item-head{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
.item-head .grow{flex:1 1 12rem}
.sub{display:flex;flex-direction:column;gap:.2rem;min-width:0}
.sub > span{font-size:.8rem;color:var(--muted)}
.row{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}
.conds{display:flex;flex-direction:column;gap:.35rem}
.cond{background:#fff;border:1px solid var(--line);border-radius:8px;padding:.3rem .5rem}
.cond .cond-label{flex:1 1 14rem;font-size:.88rem}
.cond input:not(.short){flex:1 1 10rem}
.add-cond{align-self:flex-start}
.empty,.muted{margin:0;font-size:.84rem;color:var(--muted)}
.outcome{border-top:1px dashed var(--line);padding-top:.4rem}
.outcome .count{margin:0 0 .2rem;font-weight:600}
.sample-box{overflow-x:auto}
.sample{border-collapse:collapse;font-size:.84rem;margin-top:.3rem}
.sample th,.sample td{text-align:left;padding:.2rem .6rem .2rem 0;border-bottom:1px solid var(--line);white-space:nowrap}
.sample th{font-weight:600;color:var(--muted)}
button.small{padding:.25rem .55rem;font-size:.85rem}
button.link{border-color:transparent;background:none;color:var(--urgent)}
.week{display:flex;flex-direction:column;gap:.3rem}
.week .day{gap:.6rem}
.week .day-name{width:8.5rem;font-weight:500}
.week .check{display:inline-flex;gap:.35rem;align-items:center;font-size:.88rem;white-space:nowrap;width:9rem}
.form input[type=checkbox],.field > input[type=checkbox]{width:auto;padding:0;margin:0}
details.more summary{cursor:pointer;font-size:.84rem;color:var(--muted)}
details.more input{margin-top:.3rem}
@media (max-width:800px){
  .layout{display:block;padding:.5rem .75rem 2rem}
  .toc{position:static;flex-direction:row;overflow-x:auto;gap:.25rem;margin-bottom:.5rem;padding-bottom:.25rem}
  .toc a{white-space:nowrap;background:#e3e9f0;font-size:.85rem}
  .grid{grid-template-columns:1fr}
  .bar{flex-wrap:nowrap;gap:.5rem}
  .bar h1{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
  #status{flex:1;min-width:0;font-size:.8rem}
  .file-actions{justify-content:flex-start}
  .sample th{white-space:normal}
  .sample{font-size:.76rem}
  .sample th,.sample td{padding-right:.3rem}
  .week .day-name{width:100%}
  .segment,.campaign,.reply,.doctor{padding-left:.5rem;padding-right:.5rem}
  .doctor-link .sub{flex:1 1 100%}
  .doctor-link .link-label{width:100%}
}
`;

function field(lang: ConsoleLang, path: FieldPath): SafeHtml {
  const id = fieldId(path);
  const kind = kindOf(path);
  const label = LABELS[lang][path];
  const hint = HINTS[lang][path];
  const hintId = `h-${id}`;
  const errorId = `e-${id}`;
  const form = (FORM_KINDS as readonly string[]).includes(kind);
  const live = kind === "schedule" || kind === "segments" || kind === "campaigns";
  const describedBy = `${live || hint ? `${hintId} ` : ""}${errorId}`;
  let control: SafeHtml;
  if (form) {
    // Built by the page's script (src/browser/settings/): a group of inputs under one label.
    control = html`<div class="form form-${kind}" id="${id}" data-path="${path}" data-kind="${kind}" data-label="${label}" role="group" aria-labelledby="l-${id}" aria-describedby="${describedBy}" tabindex="-1"></div>`;
  } else {
    const common = { id, path, kind, describedBy, label };
    control =
      kind === "yes-no"
        ? html`<input id="${common.id}" data-path="${path}" data-kind="${kind}" data-label="${label}" aria-describedby="${describedBy}" type="checkbox">`
        : kind === "time"
        ? // Text, not type=time: that one shows AM/PM in an English-language browser.
          html`<input id="${common.id}" data-path="${path}" data-kind="${kind}" data-label="${label}" aria-describedby="${describedBy}" spellcheck="false" type="text" inputmode="numeric" maxlength="5" placeholder="21:00" autocomplete="off">`
        : html`<input id="${common.id}" data-path="${path}" data-kind="${kind}" data-label="${label}" aria-describedby="${describedBy}" spellcheck="false" type="text"${raw(kind === "number" ? ' inputmode="decimal"' : "")} autocomplete="off">`;
  }
  const labelTag = form ? html`<span class="label" id="l-${id}">${label}</span>` : html`<label for="${id}">${label}</label>`;
  const hintLine = live ? html`<p class="hint live" id="${hintId}" aria-live="polite"></p>` : hint ? html`<p class="hint" id="${hintId}">${hint}</p>` : "";
  const wide = form && kind !== "schedule" ? " wide" : "";
  return html`<div class="field${wide}" data-field="${path}">${labelTag}${control}${hintLine}<p class="error" id="${errorId}" data-error-for="${path}" hidden></p></div>`;
}

/** The section a top-level key of the document belongs to, by title: what an import says it changes. */
function keyTitles(lang: ConsoleLang): Record<string, string> {
  const titles: Record<string, string> = {};
  for (const section of SECTIONS) for (const path of section.fields) titles[path.split(".")[0]!] ??= SECTION_TITLES[lang][section.id];
  return titles;
}

export async function settingsPage(o: SettingsPageOptions): Promise<string> {
  const t = PAGE_TEXT[o.lang];
  const text = SCRIPT_TEXT[o.lang];
  const sections = SECTIONS.map(
    (s) => html`<section class="card" id="s-${s.id}" data-section="${s.id}" aria-labelledby="t-${s.id}">
<h2 id="t-${s.id}">${SECTION_TITLES[o.lang][s.id]}</h2>
<p class="intro">${SECTION_INTROS[o.lang][s.id].replace("{tz}", o.timezone)}</p>
${s.id === "bonus" ? html`<p class="intro"><a href="/console/promo-codes" id="promo-codes-link">${t.promoCodes}</a> ${t.promoCodesHint}</p><p class="intro"><a href="/console/certificates" id="certificates-link">${t.certificates}</a> ${t.certificatesHint}</p>` : ""}
<div class="grid">${s.fields.map((p) => field(o.lang, p))}</div>
</section>`,
  );
  const toc = SECTIONS.map((s) => html`<a href="#s-${s.id}" data-toc="${s.id}">${SECTION_TITLES[o.lang][s.id]}</a>`);
  const data: SettingsPageData = { lang: o.lang, csrfToken: o.csrfToken, timezone: o.timezone, text, keyTitles: keyTitles(o.lang) };
  return html`${documentHead({ lang: o.lang, title: t.title, nonce: o.nonce, style: STYLE })}
<body>
${consoleHeader({ lang: o.lang, active: "settings", clinicName: o.clinicName, operatorName: o.operatorName, admin: true, csrfToken: o.csrfToken })}
<div class="layout">
<nav class="toc" aria-label="${t.sections}">${toc}</nav>
<main>
<form id="settings" novalidate>
<div class="bar">
<h1>${t.heading}</h1>
<span id="status" role="status">${text.loading}</span>
<button type="submit" class="primary" id="save" disabled>${text.save}</button>
</div>
<div class="file-actions"><a class="button" id="export" href="/console/api/settings/export" download>${text.exportJson}</a><button type="button" id="import">${text.importJson}</button><input type="file" id="import-file" accept="application/json,.json" hidden></div>
<div id="summary" role="alert" tabindex="-1" hidden><p id="summary-title"></p><ul id="summary-list"></ul><button type="button" id="reload" hidden>${text.reload}</button></div>
${sections}
</form>
<datalist id="doctor-names">${(o.doctorNames ?? []).map((name) => html`<option value="${name}"></option>`)}</datalist>
</main>
</div>
${pageData(data)}
${await pageScript("settings", o.nonce)}
</body>
</html>`.toString();
}
