// The settings page: a form built from the field table, one inline style and one inline script
// (CSP nonce), nothing loaded from elsewhere. Values and server messages go in with .value and
// textContent, never as HTML.
import { BASE_STYLE } from "../../api/page-style.ts";
import type { ConsoleLang } from "../i18n.ts";
import { consoleHeader, HEADER_STYLE } from "../layout.ts";
import { escapeHtml } from "../page-headers.ts";
import { fieldId, HINTS, kindOf, LABELS, SECTION_INTROS, SECTION_TITLES, SECTIONS } from "./fields.ts";
import type { FieldPath } from "./fields.ts";
import { PAGE_TEXT, SCRIPT_TEXT } from "./page-text.ts";
import { SETTINGS_SCRIPT } from "./page-script.ts";

export interface SettingsPageOptions {
  nonce: string;
  csrfToken: string;
  lang: ConsoleLang;
  clinicName: string;
  timezone: string;
  operatorName: string;
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
@media (max-width:800px){
  .layout{display:block;padding:.5rem .75rem 2rem}
  .toc{position:static;flex-direction:row;overflow-x:auto;gap:.25rem;margin-bottom:.5rem;padding-bottom:.25rem}
  .toc a{white-space:nowrap;background:#e3e9f0;font-size:.85rem}
  .grid{grid-template-columns:1fr}
  .bar{flex-wrap:nowrap;gap:.5rem}
  .bar h1{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
  #status{flex:1;min-width:0;font-size:.8rem}
}
`;

/** A hint's `backticked` parts are code (JSON examples): shown as code, and not words to translate. */
function withCode(hint: string): string {
  return escapeHtml(hint).replace(/`([^`]+)`/g, "<code>$1</code>");
}

function field(lang: ConsoleLang, path: FieldPath): string {
  const id = fieldId(path);
  const kind = kindOf(path);
  const label = escapeHtml(LABELS[lang][path]);
  const hint = HINTS[lang][path];
  const hintId = `h-${id}`;
  const errorId = `e-${id}`;
  const describedBy = `${kind === "cron" || hint ? `${hintId} ` : ""}${errorId}`;
  const common = `id="${id}" data-path="${path}" data-kind="${kind}" aria-describedby="${describedBy}" spellcheck="false"`;
  let control: string;
  if (kind === "json" || kind === "pairs") {
    control = `<textarea ${common} class="code" rows="${kind === "json" ? 9 : 3}"></textarea>`;
  } else if (kind === "time") {
    // Text, not type=time: that one shows AM/PM in an English-language browser.
    control = `<input ${common} type="text" inputmode="numeric" maxlength="5" placeholder="21:00" autocomplete="off">`;
  } else if (kind === "number") {
    control = `<input ${common} type="text" inputmode="decimal" autocomplete="off">`;
  } else {
    control = `<input ${common} type="text" autocomplete="off"${kind === "cron" ? ' class="code"' : ""}>`;
  }
  const hintLine =
    kind === "cron" ? `<p class="hint cron" id="${hintId}" aria-live="polite"></p>` : hint ? `<p class="hint" id="${hintId}">${withCode(hint)}</p>` : "";
  const wide = kind === "json" || kind === "pairs" ? " wide" : "";
  return `<div class="field${wide}" data-field="${path}"><label for="${id}">${label}</label>${control}${hintLine}<p class="error" id="${errorId}" data-error-for="${path}" hidden></p></div>`;
}

/** Script data: JSON inside the inline script, with "<" escaped so no text can close the tag. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, "\\u003c");

export function settingsPage(o: SettingsPageOptions): string {
  const t = PAGE_TEXT[o.lang];
  const sections = SECTIONS.map(
    (s) => `<section class="card" id="s-${s.id}" data-section="${s.id}" aria-labelledby="t-${s.id}">
<h2 id="t-${s.id}">${escapeHtml(SECTION_TITLES[o.lang][s.id])}</h2>
<p class="intro">${escapeHtml(SECTION_INTROS[o.lang][s.id].replace("{tz}", o.timezone))}</p>
<div class="grid">${s.fields.map((p) => field(o.lang, p)).join("")}</div>
</section>`,
  ).join("\n");
  const toc = SECTIONS.map((s) => `<a href="#s-${s.id}" data-toc="${s.id}">${escapeHtml(SECTION_TITLES[o.lang][s.id])}</a>`).join("");
  const data = { lang: o.lang, csrfToken: o.csrfToken, timezone: o.timezone, text: SCRIPT_TEXT[o.lang] };
  return `<!doctype html>
<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.title)}</title>
<link rel="icon" href="data:,">
<style nonce="${o.nonce}">${STYLE}</style>
</head>
<body>
${consoleHeader({ lang: o.lang, active: "settings", clinicName: o.clinicName, operatorName: o.operatorName, admin: true, csrfToken: o.csrfToken })}
<div class="layout">
<nav class="toc" aria-label="${escapeHtml(t.sections)}">${toc}</nav>
<main>
<form id="settings" novalidate>
<div class="bar">
<h1>${escapeHtml(t.heading)}</h1>
<span id="status" role="status">${escapeHtml(SCRIPT_TEXT[o.lang].loading)}</span>
<button type="submit" class="primary" id="save" disabled>${escapeHtml(SCRIPT_TEXT[o.lang].save)}</button>
</div>
<div id="summary" role="alert" tabindex="-1" hidden><p id="summary-title"></p><ul id="summary-list"></ul><button type="button" id="reload" hidden>${escapeHtml(SCRIPT_TEXT[o.lang].reload)}</button></div>
${sections}
</form>
</main>
</div>
<script nonce="${o.nonce}">
const PAGE = ${scriptJson(data)};
${SETTINGS_SCRIPT}
</script>
</body>
</html>`;
}
