// The queue page: HTML built with the escaping html`` template, its style inline (CSP nonce) and its
// script bundled from src/browser/console.ts; the page's words and session facts go in as page data.
import { html, pageData } from "../../web-assets/html.ts";
import { pageScript } from "../../web-assets/browser-bundles.ts";
import type { ConsoleLang } from "../i18n.ts";
import { consoleHeader, documentHead } from "../layout.ts";
import { CONSOLE_STYLE } from "./page-style.ts";
import { consolePageData, PAGE_TEXT } from "./page-texts.ts";

export interface ConsolePageOptions {
  nonce: string;
  lang: ConsoleLang;
  csrfToken: string;
  clinicName: string;
  timezone: string;
  operatorName: string;
  /** Admins also see WhatsApp's login QR and the dashboard and settings sections. */
  admin?: boolean;
  operatorId: number;
}

export async function consolePage(o: ConsolePageOptions): Promise<string> {
  const t = PAGE_TEXT[o.lang];
  const live = html`<span id="live" class="off" role="status">${t.connecting}</span>`;
  const header = consoleHeader({ lang: o.lang, active: "queue", clinicName: o.clinicName, operatorName: o.operatorName, admin: Boolean(o.admin), csrfToken: o.csrfToken, extra: live });
  const data = consolePageData(o.lang, { timezone: o.timezone, operatorId: o.operatorId, admin: Boolean(o.admin) });
  return html`${documentHead({ lang: o.lang, title: `${t.title} — ${o.clinicName}`, nonce: o.nonce, style: CONSOLE_STYLE, head: html`<meta name="csrf-token" content="${o.csrfToken}">` })}
<body data-view="queue">
${header}
<nav class="tabs" aria-label="${t.views}"><button type="button" data-view="queue" aria-selected="true">${t.queue}</button><button type="button" data-view="chat" aria-selected="false">${t.conversation}</button><button type="button" data-view="card" aria-selected="false">${t.card}</button></nav>
<main>
<section class="panel queue" aria-label="${t.queue}">
<div class="qhead"><h2>${t.queue} <span id="queue-count" class="badge">0</span></h2><span id="urgent-count" class="badge urgent" aria-live="polite"></span></div>
<ul id="queue"></ul>
</section>
<section class="panel chat" aria-label="${t.conversation}">
<div class="chat-head"><strong id="chat-title">${t.pickOne}</strong><span id="chat-channel" class="muted"></span><span id="chat-status" class="badge"></span>
<div class="actions"><button type="button" id="take" class="primary">${t.take}</button><button type="button" id="hand-back">${t.handBack}</button></div></div>
<div id="messages"><p class="empty">${t.messagesHint}</p></div>
<div id="notice" role="status" aria-live="polite"></div>
<div class="composer"><div class="tools"><select id="canned" aria-label="${t.canned}" hidden></select></div><textarea id="text" rows="2" aria-label="${t.text}" placeholder="${t.replyPlaceholder}"></textarea>
<div class="buttons"><button type="button" id="reply" class="primary">${t.reply}</button><button type="button" id="note">${t.note}</button></div></div>
</section>
<section id="whatsapp" class="panel whatsapp" hidden aria-label="WhatsApp"><h2>${t.waTitle}</h2>
<p>${t.waHelp}</p><div id="wa-qr"></div></section>
<aside class="panel card" aria-label="${t.card}"><div id="card-body"><p class="muted">${t.cardHint}</p></div></aside>
</main>
${pageData(data)}
${await pageScript("console", o.nonce)}
</body>
</html>`.toString();
}
