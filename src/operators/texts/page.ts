// The texts page: the list of texts on the left, the editor (ru and en side by side, variables,
// live rendering, errors at their lines, history) on the right. The page script
// (src/browser/texts.ts) fills the editor from the JSON API.
import { BASE_STYLE } from "../../web-assets/page-style.ts";
import type { PatientListItem } from "../../domain/patients/list.ts";
import { html, pageData, type SafeHtml } from "../../web-assets/html.ts";
import { pageScript } from "../../web-assets/browser-bundles.ts";
import type { ConsoleLang } from "../i18n.ts";
import { consoleHeader, documentHead, HEADER_STYLE } from "../layout.ts";
import { AREA_TITLES, PAGE_TEXT, VARIABLE_HINTS } from "./page-text.ts";
import type { TextListGroup } from "./text-list.ts";

export interface TextsPageOptions {
  nonce: string;
  csrfToken: string;
  lang: ConsoleLang;
  clinicName: string;
  operatorName: string;
  texts: TextListGroup[];
  patients: PatientListItem[];
  selected: string | null;
}

/** What src/browser/texts.ts reads with readPageData(). */
export interface TextsPageData {
  lang: ConsoleLang;
  csrfToken: string;
  words: (typeof PAGE_TEXT)["ru"];
  areas: Record<string, string>;
  hints: Record<string, string>;
  texts: TextListGroup[];
  patients: { id: number; fullName: string }[];
  selected: string | null;
}

const STYLE = `${BASE_STYLE}${HEADER_STYLE}
body{height:auto;min-height:100%}
.layout{display:grid;grid-template-columns:300px minmax(0,1fr);gap:1rem;max-width:1400px;margin:0 auto;padding:1rem}
aside{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:.75rem;align-self:start;position:sticky;top:.75rem;max-height:calc(100vh - 5rem);display:flex;flex-direction:column;min-width:0}
aside h1{font-size:1.15rem;margin:0 0 .25rem}
aside .intro{margin:0 0 .6rem;color:var(--muted);font-size:.84rem}
#search{width:100%;border:1px solid var(--line);border-radius:8px;padding:.45rem .6rem;margin-bottom:.5rem}
#list{overflow:auto;flex:1;min-height:0}
#list h2{font-size:.78rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:.7rem 0 .25rem}
#list button{display:block;width:100%;text-align:left;border:0;border-radius:6px;padding:.35rem .5rem;background:transparent}
#list button:hover,#list button:focus-visible{background:#eef3fb;outline:none}
#list button[aria-current=true]{background:#dde8fb}
#list .k{display:block;font:600 .8rem ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--accent-dark);overflow-wrap:anywhere}
#list .t{display:block;font-size:.82rem;color:var(--muted);white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.tag{display:inline-block;font:600 .7rem system-ui,sans-serif;border-radius:4px;padding:0 .3rem;margin-left:.3rem;vertical-align:1px}
.tag.own{background:#e3f3e8;color:var(--ok)}
.tag.draft{background:#fdf0e4;color:var(--warn)}
main{min-width:0}
.card{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:1rem;margin-bottom:1rem}
.empty{color:var(--muted)}
.head{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline}
.head h2{margin:0;font:600 1.1rem ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
.head .used{color:var(--muted);font-size:.85rem}
.row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.6rem 0}
.row label{font-size:.88rem;font-weight:600}
#patient{max-width:100%;border:1px solid var(--line);border-radius:8px;padding:.35rem .5rem;background:#fff}
.chips-title{font-size:.85rem;color:var(--muted);margin:.6rem 0 .3rem}
.chips{display:flex;flex-wrap:wrap;gap:.3rem}
.chips button{font:.78rem ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:.15rem .45rem;border-radius:999px;background:#f3f6fa}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:1rem;margin-top:1rem}
.col{min-width:0;display:flex;flex-direction:column;gap:.45rem}
.col h3{margin:0;font-size:1rem}
.col .state{font-size:.82rem;color:var(--muted)}
.editor{position:relative;display:grid;grid-template-columns:2.4rem minmax(0,1fr);border:1px solid var(--line);border-radius:8px;overflow:hidden;background:#fff}
.editor:focus-within{outline:2px solid var(--accent);outline-offset:1px}
.gutter{background:#f3f6fa;color:var(--muted);font:.82rem/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:right;padding:.5rem .35rem;overflow:hidden;user-select:none}
.gutter div.bad{color:#fff;background:var(--urgent);border-radius:3px}
.editor textarea,.editor .mirror{border:0;padding:.5rem;font:.82rem/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;overflow-wrap:anywhere;tab-size:2}
.editor textarea{outline:0;resize:none;min-height:7.5rem;overflow:hidden}
.editor .mirror{position:absolute;left:0;top:0;visibility:hidden;pointer-events:none;padding-top:0;padding-bottom:0}
.gutter div{min-height:1.5em}
.problems{margin:0;padding:0;list-style:none;font-size:.85rem}
.problems li{color:var(--urgent);padding:.1rem 0;overflow-wrap:anywhere}
.problems li.ok{color:var(--ok)}
.bubble-title{font-size:.8rem;color:var(--muted);margin:.2rem 0 0}
.bubble{background:#e7f0ff;border-radius:12px 12px 12px 3px;padding:.55rem .75rem;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.92rem;min-height:2.4rem}
.bubble.failed{background:#fff3f2;color:var(--urgent)}
.diff{font:.8rem/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;border:1px solid var(--line);border-radius:8px;padding:.4rem;background:#fbfcfd;white-space:pre-wrap;overflow-wrap:anywhere;margin:0}
.diff .add{background:#e3f3e8;display:block}
.diff .del{background:#fdeceb;display:block}
.diff-title{font-size:.8rem;color:var(--muted);margin:0}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;position:sticky;bottom:0;background:var(--panel);padding:.6rem 0 .2rem;border-top:1px solid var(--line);margin-top:.8rem}
#status{font-size:.88rem;color:var(--muted);flex:1;min-width:12rem}
#status.bad{color:var(--urgent)}
#status.ok{color:var(--ok)}
#status.dirty{color:var(--warn)}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.86rem}
th,td{text-align:left;padding:.35rem .4rem;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600}
td button{font-size:.8rem;padding:.15rem .5rem;margin:0 .25rem .2rem 0}
.card h3{margin:0 0 .5rem;font-size:1rem}
@media (max-width:900px){
  .layout{display:block;padding:.5rem}
  aside{position:static;max-height:none;margin-bottom:.75rem}
  #list{max-height:14rem}
  .cols{grid-template-columns:1fr}
  .hide-phone{display:none}
  th,td{padding:.3rem .25rem}
  /* History rows as lines of their own: language, version, status, time, then the buttons. */
  #history thead{display:none}
  #history tr{display:flex;flex-wrap:wrap;gap:.2rem .7rem;align-items:baseline;padding:.45rem 0;border-bottom:1px solid var(--line)}
  #history td{border:0;padding:0}
  #history td[data-label]::before{content:attr(data-label) " "}
  #history td:last-child{flex-basis:100%}
  .actions{position:static}
}
`;

export async function textsPage(o: TextsPageOptions): Promise<SafeHtml> {
  const words = PAGE_TEXT[o.lang];
  const data: TextsPageData = {
    lang: o.lang,
    csrfToken: o.csrfToken,
    words,
    areas: AREA_TITLES[o.lang],
    hints: VARIABLE_HINTS[o.lang],
    texts: o.texts,
    patients: o.patients.map((p) => ({ id: p.id, fullName: p.fullName })),
    selected: o.selected,
  };
  const header = consoleHeader({ lang: o.lang, active: "texts", clinicName: o.clinicName, operatorName: o.operatorName, admin: true, csrfToken: o.csrfToken });
  return html`${documentHead({ lang: o.lang, title: `${words.title} — CareBot`, nonce: o.nonce, style: STYLE })}
<body>
${header}
<div class="layout">
<aside>
<h1>${words.title}</h1>
<p class="intro">${words.intro}</p>
<input id="search" type="search" placeholder="${words.search}" aria-label="${words.searchLabel}" autocomplete="off">
<nav id="list" aria-label="${words.title}"></nav>
</aside>
<main id="editor"><div class="card empty">${words.pick}</div></main>
</div>
${pageData(data)}
${await pageScript("texts", o.nonce)}
</body>
</html>`;
}
