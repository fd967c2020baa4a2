// The top bar every console page shares: the clinic, the sections (admins see the dashboard and
// the settings), the language switch and logout. Pages put it first in <body> and add HEADER_STYLE.
import { html, raw, type SafeHtml } from "../web-assets/html.ts";
import type { ConsoleLang, Dictionary } from "./i18n.ts";

export type ConsoleSection = "queue" | "patients" | "dashboard" | "flows" | "texts" | "settings" | "clinic" | "team";

/** Where each section lives; every operator sees the queue and patients, admins see the rest. */
const SECTION_PATHS: Record<ConsoleSection, string> = {
  queue: "/console",
  patients: "/console/patients",
  dashboard: "/console/dashboard",
  flows: "/console/flows",
  texts: "/console/texts",
  settings: "/console/settings",
  clinic: "/console/clinic",
  team: "/console/team",
};
const EVERY_OPERATOR: ConsoleSection[] = ["queue", "patients"];
const ADMINS_ONLY: ConsoleSection[] = ["dashboard", "flows", "texts", "settings", "clinic", "team"];

export interface HeaderOptions {
  lang: ConsoleLang;
  /** The section marked current; null for a page of none (the password change). */
  active: ConsoleSection | null;
  clinicName: string;
  operatorName: string;
  admin: boolean;
  /** Extra markup placed before the operator's name (the console's live indicator). */
  extra?: SafeHtml;
  /** Where the language switch returns to, for a page inside a section (default: the section's page, or the queue). */
  back?: string;
}

const TEXT: Dictionary<ConsoleSection | "logout" | "switchTo" | "switchLabel" | "nav" | "password"> = {
  ru: {
    queue: "Очередь", patients: "Пациенты", dashboard: "Показатели", flows: "Сценарии", texts: "Тексты", settings: "Настройки",
    clinic: "Клиника", team: "Сотрудники", logout: "Выйти", switchTo: "en", switchLabel: "English", nav: "Разделы", password: "Сменить пароль",
  },
  en: {
    queue: "Queue", patients: "Patients", dashboard: "Dashboard", flows: "Flows", texts: "Texts", settings: "Settings",
    clinic: "Clinic", team: "Staff", logout: "Log out", switchTo: "ru", switchLabel: "Русский", nav: "Sections", password: "Change password",
  },
};

export const HEADER_STYLE = `
header.top{display:flex;align-items:center;gap:.75rem;min-height:48px;padding:0 1rem;background:#1d2733;color:#fff;flex-wrap:wrap}
header.top .brand{font-size:1.05rem;margin:0;font-weight:600;white-space:nowrap}
header.top nav{display:flex;gap:.25rem;flex-wrap:wrap}
header.top nav a{color:#dfe6ee;text-decoration:none;padding:.3rem .6rem;border-radius:6px;white-space:nowrap}
header.top nav a[aria-current=page]{background:#34475c;color:#fff}
header.top nav a:hover,header.top nav a:focus-visible{background:#2c3c4e;outline:none}
/* The clinic's name, the operator and logout stay together: where the sections leave them too little room (1280 px with
   every section), they wrap as one row under the sections instead of shrinking the name to «К…»; only a name longer than a
   whole row is cut. */
header.top .who{display:flex;align-items:center;gap:.75rem;flex:1 1 auto;min-width:0;min-height:40px}
header.top .clinic{color:#b8c4d3;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;flex:0 1 auto;min-width:0;margin-right:auto}
header.top .me{color:#dfe6ee;white-space:nowrap;text-decoration:none}
header.top a.me:hover,header.top a.me:focus-visible{text-decoration:underline}
header.top a.lang{color:#b8c4d3;font-size:.85rem}
header.top form{margin:0}
header.top .end{display:flex;align-items:center;gap:.75rem}
header.top button{background:transparent;color:#fff;border-color:#4a5868;padding:.25rem .6rem}
@media (max-width:700px){header.top .brand,header.top .clinic,header.top .me{display:none}header.top .who{justify-content:flex-end;gap:.5rem;min-height:0}header.top{padding:.25rem .5rem;gap:.2rem .4rem}header.top nav{gap:.1rem}header.top nav a{padding:.25rem .4rem;font-size:.9rem}header.top .end{gap:.5rem}}
`;

/** The header's HTML. Logout posts with the session's CSRF token (`csrfToken`), like every change. */
export function consoleHeader(o: HeaderOptions & { csrfToken: string }): SafeHtml {
  const t = TEXT[o.lang];
  const link = (section: ConsoleSection) => html`<a href="${SECTION_PATHS[section]}"${o.active === section && html` aria-current="page"`}>${t[section]}</a>`;
  const sections = [...EVERY_OPERATOR, ...(o.admin ? ADMINS_ONLY : [])].map(link);
  const back = o.back ?? SECTION_PATHS[o.active ?? "queue"];
  return html`<header class="top">
<span class="brand">CareBot</span>
<nav aria-label="${t.nav}">${sections}</nav>
<span class="who"><span class="clinic">${o.clinicName}</span>
${o.extra}
<a class="me" href="/console/password" title="${t.password}">${o.operatorName}</a>
<span class="end"><a class="lang" href="/console/lang?to=${t.switchTo}&amp;next=${encodeURIComponent(back)}" lang="${t.switchTo}">${t.switchLabel}</a>
<form method="post" action="/console/logout"><input type="hidden" name="_csrf" value="${o.csrfToken}"><button type="submit" id="logout">${t.logout}</button></form></span></span>
</header>`;
}

/**
 * The start of every console page up to </head>: language, viewport, no favicon request, the
 * title and the page's one style (allowed by its CSP nonce). `head`: the page's own extra head
 * markup (the console's CSRF meta tag), placed before the title.
 */
export function documentHead(o: { lang: ConsoleLang; title: string; nonce: string; style: string; head?: SafeHtml }): SafeHtml {
  return html`<!doctype html>
<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
${o.head && html`${o.head}
`}<title>${o.title}</title>
<style nonce="${o.nonce}">${raw(o.style)}</style>
</head>`;
}
