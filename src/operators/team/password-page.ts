// /console/password: an operator changes their own password; after a one-time password it is the
// only page open to them. A plain form that posts to itself: it needs no script.
import { BASE_STYLE } from "../../web-assets/page-style.ts";
import { html } from "../../web-assets/html.ts";
import type { ConsoleLang } from "../i18n.ts";
import { consoleHeader, documentHead, HEADER_STYLE } from "../layout.ts";
import { CARD_STYLE } from "./page.ts";
import { PASSWORD_TEXT } from "./texts.ts";

export interface PasswordPageOptions {
  nonce: string;
  lang: ConsoleLang;
  csrfToken: string;
  clinicName: string;
  operatorName: string;
  admin: boolean;
  forced: boolean;
  next: string;
  error?: string | null;
  done?: boolean;
}

const STYLE = `${BASE_STYLE}${HEADER_STYLE}${CARD_STYLE}
main{max-width:30rem}
form{display:flex;flex-direction:column;gap:.8rem}
.done{color:var(--ok);font-weight:600}
`;

export function passwordPage(o: PasswordPageOptions): string {
  const t = PASSWORD_TEXT[o.lang];
  // The forced change shows no sections: none of them opens before it is done.
  const header = o.forced
    ? html`<header class="top"><span class="brand">CareBot</span><span class="clinic">${o.clinicName}</span><span class="me">${o.operatorName}</span><span class="end"><form method="post" action="/console/logout"><input type="hidden" name="_csrf" value="${o.csrfToken}"><button type="submit" id="logout">${o.lang === "ru" ? "Выйти" : "Log out"}</button></form></span></header>`
    : consoleHeader({ lang: o.lang, active: null, clinicName: o.clinicName, operatorName: o.operatorName, admin: o.admin, csrfToken: o.csrfToken });
  return html`${documentHead({ lang: o.lang, title: `${t.title} — ${o.clinicName}`, nonce: o.nonce, style: STYLE })}
<body>
${header}
<main>
<section class="card">
<h1>${t.title}</h1>
${o.done
  ? html`<p class="done" role="status">${t.done}</p><p><a href="${o.next}">${t.back}</a></p>`
  : html`<p class="intro">${o.forced ? t.forcedIntro : t.intro}</p>
${o.error ? html`<p class="error" role="alert">${o.error}</p>` : ""}
<form method="post" action="/console/password">
<input type="hidden" name="_csrf" value="${o.csrfToken}">
<input type="hidden" name="next" value="${o.next}">
<input type="text" name="username" autocomplete="username" value="${o.operatorName}" hidden>
<label>${o.forced ? t.currentOneTime : t.current}<input type="password" name="current" autocomplete="current-password" required></label>
<label>${t.next}<input type="password" name="next_password" autocomplete="new-password" required minlength="10"></label>
<label>${t.repeat}<input type="password" name="repeat" autocomplete="new-password" required minlength="10"></label>
<p class="hint">${t.rule}</p>
<button type="submit" class="primary">${t.submit}</button>
</form>`}
</section>
</main>
</body>
</html>`.value;
}
