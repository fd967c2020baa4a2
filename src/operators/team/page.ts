// /console/team: the clinic's staff accounts. The server renders the frame and the add form; the
// page's script (src/browser/team.ts) draws the list from its data and calls the team API.
import { BASE_STYLE } from "../../web-assets/page-style.ts";
import { html, pageData } from "../../web-assets/html.ts";
import type { SafeHtml } from "../../web-assets/html.ts";
import { pageScript } from "../../web-assets/browser-bundles.ts";
import type { OperatorListItem } from "../accounts/accounts.ts";
import type { ConsoleLang } from "../i18n.ts";
import { consoleHeader, documentHead, HEADER_STYLE } from "../layout.ts";
import { TEAM_TEXT } from "./texts.ts";

export interface TeamPageData {
  lang: ConsoleLang;
  csrfToken: string;
  me: number;
  /** The clinic's zone, for "last login" times. */
  timezone: string;
  operators: TeamRow[];
  text: (typeof TEAM_TEXT)[ConsoleLang];
}

export type TeamRow = Omit<OperatorListItem, "lastLoginAt"> & { lastLoginAt: string | null };

export const toTeamRow = (o: OperatorListItem): TeamRow => ({ ...o, lastLoginAt: o.lastLoginAt?.toISOString() ?? null });

export const CARD_STYLE = `
body{height:auto;min-height:100%}
main{max-width:1000px;margin:0 auto;padding:1rem 1.25rem 3rem}
h1{font-size:1.35rem;margin:.25rem 0 .25rem}
.intro{color:var(--muted);margin:0 0 1rem}
section.card{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:1rem 1.1rem;margin-bottom:1rem}
section.card h2{font-size:1.05rem;margin:0 0 .75rem}
label{display:flex;flex-direction:column;gap:.25rem;font-size:.88rem;font-weight:600;min-width:0}
input,select,textarea{width:100%;border:1px solid var(--line);border-radius:8px;padding:.45rem .6rem;background:#fff;font-weight:400}
input,select{height:2.5rem}
input[type=checkbox]{height:auto;width:auto}
input:focus,select:focus,textarea:focus,button:focus-visible,a:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
[aria-invalid=true]{border-color:var(--urgent);background:#fffafa}
.error{color:var(--urgent);margin:.2rem 0 0;font-size:.85rem;font-weight:400}
.status{font-size:.9rem;color:var(--muted);min-height:1.3em;margin:.5rem 0 0}
.status.bad{color:var(--urgent)}
.status.ok{color:var(--ok)}
.hint{margin:0;font-size:.8rem;color:var(--muted);font-weight:400}
`;

const STYLE = `${BASE_STYLE}${HEADER_STYLE}${CARD_STYLE}
.add{display:grid;grid-template-columns:repeat(3,minmax(0,1fr)) auto;gap:.75rem;align-items:end}
.otp{border:2px solid var(--ok);background:#f2fbf5}
.otp code{font-size:1.4rem;letter-spacing:.05em;font-weight:700;display:block;margin:.4rem 0;overflow-wrap:anywhere}
.otp .row{display:flex;gap:.5rem;flex-wrap:wrap}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:.55rem .5rem;border-top:1px solid var(--line);vertical-align:top}
th{font-size:.82rem;color:var(--muted);font-weight:600;border-top:none}
td .login{color:var(--muted);font-size:.85rem;overflow-wrap:anywhere}
td .tag{display:inline-block;font-size:.78rem;padding:.05rem .45rem;border-radius:999px;background:#e3e9f0;margin-left:.3rem}
td .tag.off{background:#fbe4e2;color:var(--urgent)}
td .tag.wait{background:#fff1df;color:var(--warn)}
td .buttons{display:flex;gap:.35rem;flex-wrap:wrap}
td .buttons button{padding:.3rem .6rem;font-size:.85rem}
td .tag{white-space:nowrap}
tr.off td:not(.actions){opacity:.65}
@media (max-width:760px){
  main{padding:.75rem .6rem 2rem}
  .add{grid-template-columns:1fr}
  thead{display:none}
  table,tbody,tr,td{display:block;width:100%}
  tr{border-top:1px solid var(--line);padding:.5rem 0}
  td{border:none;padding:.2rem 0}
  td[data-label]::before{content:attr(data-label) ": ";color:var(--muted);font-size:.82rem}
}
`;

export async function teamPage(o: { nonce: string; data: TeamPageData; clinicName: string; operatorName: string; branches?: SafeHtml | "" }): Promise<string> {
  const t = TEAM_TEXT[o.data.lang];
  const page = html`${documentHead({ lang: o.data.lang, title: `${t.title} — ${o.clinicName}`, nonce: o.nonce, style: STYLE })}
<body>
${consoleHeader({ lang: o.data.lang, active: "team", clinicName: o.clinicName, operatorName: o.operatorName, admin: true, csrfToken: o.data.csrfToken })}
<main>
<h1>${t.title}</h1>
<p class="intro">${t.intro}</p>
<section class="card otp" id="otp" hidden aria-live="polite">
<h2>${t.otpHeading} <span id="otp-for"></span></h2>
<code id="otp-value"></code>
<p class="hint">${t.otpOnce}</p>
<div class="row"><button type="button" id="otp-copy">${t.copy}</button><button type="button" id="otp-hide">${t.hide}</button></div>
</section>
<section class="card">
<h2>${t.addHeading}</h2>
<form id="add" class="add" novalidate>
<label>${t.login}<input name="login" autocomplete="off" autocapitalize="off" spellcheck="false" required maxlength="64" placeholder="ivanova"></label>
<label>${t.name}<input name="displayName" autocomplete="off" required maxlength="100" placeholder="${o.data.lang === "ru" ? "Иванова Мария" : "Maria Ivanova"}"></label>
<label>${t.role}<select name="role"><option value="operator">${t.roleOperator}</option><option value="admin">${t.roleAdmin}</option></select></label>
<button type="submit" class="primary">${t.add}</button>
</form>
<p class="status" id="add-status" role="status"></p>
</section>
<section class="card">
<h2>${t.listHeading}</h2>
<table><thead><tr><th>${t.name}</th><th>${t.role}</th><th>${t.state}</th><th>${t.lastLogin}</th><th>${t.actions}</th></tr></thead><tbody id="rows"></tbody></table>
<p class="status" id="list-status" role="status"></p>
</section>
${o.branches ?? ""}
</main>
${pageData(o.data)}
${await pageScript("team", o.nonce)}
</body>
</html>`;
  return page.value;
}
