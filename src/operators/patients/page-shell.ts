// The frame both patients pages share: head, style (CSP nonce), the console's top bar.
import type { ConsoleLang } from "../i18n.ts";
import { consoleHeader, documentHead } from "../layout.ts";
import { html, type SafeHtml } from "../../web-assets/html.ts";
import { PATIENTS_STYLE } from "./style.ts";

export interface ShellOptions {
  nonce: string;
  lang: ConsoleLang;
  csrfToken: string;
  clinicName: string;
  operatorName: string;
  admin: boolean;
  title: string;
}

export function patientsShell(o: ShellOptions, body: SafeHtml): string {
  const header = consoleHeader({ lang: o.lang, active: "patients", clinicName: o.clinicName, operatorName: o.operatorName, admin: o.admin, csrfToken: o.csrfToken });
  return html`${documentHead({ lang: o.lang, title: `${o.title} — ${o.clinicName}`, nonce: o.nonce, style: PATIENTS_STYLE })}
<body>
${header}
<main class="patients">
${body}
</main>
</body>
</html>`.toString();
}
