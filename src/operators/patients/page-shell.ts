// The frame both patients pages share: head, style (CSP nonce), the console's top bar.
import type { ConsoleLang } from "../i18n.ts";
import { consoleHeader } from "../layout.ts";
import { html, raw, type SafeHtml } from "../../web-assets/html.ts";
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
  const header = raw(consoleHeader({ lang: o.lang, active: "patients", clinicName: o.clinicName, operatorName: o.operatorName, admin: o.admin, csrfToken: o.csrfToken }));
  return html`<!doctype html>
<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${o.title} — ${o.clinicName}</title>
<style nonce="${o.nonce}">${raw(PATIENTS_STYLE)}</style>
</head>
<body>
${header}
<main class="patients">
${body}
</main>
</body>
</html>`.toString();
}
