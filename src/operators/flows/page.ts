// The flows page: the list of the clinic's flows, and one flow's diagram, editor and versions.
// The server renders the frame; src/browser/flows.ts fills it from the JSON API.
import { BASE_STYLE } from "../../web-assets/page-style.ts";
import { html, pageData } from "../../web-assets/html.ts";
import type { SafeHtml } from "../../web-assets/html.ts";
import { pageScript } from "../../web-assets/browser-bundles.ts";
import type { ConsoleLang } from "../i18n.ts";
import { consoleHeader, documentHead, HEADER_STYLE } from "../layout.ts";
import { EDGE_TEXT, FLOWS_TEXT } from "./page-text.ts";
import { REMINDER_TEXT } from "../dashboard/texts.ts";
import { FLOWS_STYLE } from "./page-style.ts";

export interface FlowsPageOptions {
  nonce: string;
  csrfToken: string;
  lang: ConsoleLang;
  clinicName: string;
  operatorName: string;
  /** null: the list of flows; otherwise that flow's editor. */
  flowId: string | null;
  /** The flow as a manager names it (step-title.ts), for the page's title. */
  flowTitle?: string;
}

/** What the browser script reads with readPageData(). */
export interface FlowsPageData {
  lang: ConsoleLang;
  csrfToken: string;
  flowId: string | null;
  t: (typeof FLOWS_TEXT)["ru"];
  edge: (typeof EDGE_TEXT)["ru"];
  /** Scheduled kinds by name ("nps" → «Опрос NPS»), as the dashboard names them. */
  kinds: Record<string, string>;
}

export async function flowsPage(o: FlowsPageOptions): Promise<SafeHtml> {
  const t = FLOWS_TEXT[o.lang];
  const data: FlowsPageData = { lang: o.lang, csrfToken: o.csrfToken, flowId: o.flowId, t, edge: EDGE_TEXT[o.lang], kinds: REMINDER_TEXT[o.lang] };
  return html`${documentHead({ lang: o.lang, title: o.flowId ? `${o.flowTitle ?? o.flowId} — ${t.title}` : t.title, nonce: o.nonce, style: BASE_STYLE + HEADER_STYLE + FLOWS_STYLE })}
<body>
${consoleHeader({ lang: o.lang, active: "flows", clinicName: o.clinicName, operatorName: o.operatorName, admin: true, csrfToken: o.csrfToken })}
<main id="app" class="page" aria-live="polite"><p class="muted">${t.loading}</p></main>
${pageData(data)}
${await pageScript("flows", o.nonce)}
</body>
</html>`;
}
