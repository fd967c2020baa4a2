import { html } from "../../web-assets/html.ts";
import type { ConsoleLang, Dictionary } from "../i18n.ts";
import { documentHead } from "../layout.ts";

/** Where to go after logging in: only the console's own pages and the preview, never elsewhere. */
export function safeNext(next: string | undefined): string {
  return next && /^\/(console|preview)(\/|\?|$)/.test(next) && !next.startsWith("/console/login") ? next : "/console";
}

/**
 * A console page of this very site to return to after switching the language, or /console:
 * never another host ("//evil", "/\\evil"), never a script or a header injection.
 */
export function sameSiteConsolePath(next: unknown): string {
  if (typeof next !== "string" || next.length > 500) return "/console";
  if (!/^\/console(?:[/?#]|$)/.test(next) || /[\\\s\u0000-\u001f\u007f]/.test(next) || next.startsWith("/console/lang")) return "/console";
  return next;
}

export const LOGIN_TEXT: Dictionary<"title" | "heading" | "login" | "password" | "submit" | "switchTo" | "switchLabel" | "wrong" | "missing" | "throttled" | "otherClinic"> = {
  ru: {
    title: "Вход — консоль операторов CareBot",
    heading: "Консоль операторов",
    login: "Логин",
    password: "Пароль",
    submit: "Войти",
    switchTo: "en",
    switchLabel: "English",
    wrong: "Неверный логин или пароль",
    missing: "Введите логин и пароль",
    throttled: "Слишком много неудачных попыток. Повторите через {seconds} с.",
    otherClinic: "Эта учётная запись — другой клиники. Войдите в CareBot своей клиники.",
  },
  en: {
    title: "Log in — CareBot operators' console",
    heading: "Operators' console",
    login: "Login",
    password: "Password",
    submit: "Log in",
    switchTo: "ru",
    switchLabel: "Русский",
    wrong: "Wrong login or password",
    missing: "Enter your login and password",
    throttled: "Too many failed attempts. Try again in {seconds} s.",
    otherClinic: "This account belongs to another clinic. Log in to your own clinic's CareBot.",
  },
};

export interface LoginPageOptions {
  nonce: string;
  lang: ConsoleLang;
  clinicName: string;
  error?: string | null;
  next?: string;
  login?: string;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#eef1f5;color:#1d2733;
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;padding:1rem}
form{background:#fff;border:1px solid #d9dfe7;border-radius:12px;padding:1.5rem;width:100%;max-width:22rem;display:flex;flex-direction:column;gap:.75rem}
.top{display:flex;justify-content:space-between;align-items:baseline;gap:.5rem}
h1{font-size:1.2rem;margin:0}
a.lang{color:#2463d1;font-size:.85rem}
.clinic{color:#617085;margin:0}
label{display:flex;flex-direction:column;gap:.25rem;font-size:.9rem;color:#617085}
input{font:inherit;color:inherit;border:1px solid #d9dfe7;border-radius:8px;padding:.5rem .6rem}
input:focus,button:focus-visible,a.lang:focus-visible{outline:2px solid #2463d1;outline-offset:1px}
button{font:inherit;cursor:pointer;background:#2463d1;border:1px solid #2463d1;color:#fff;border-radius:8px;padding:.55rem}
.error{color:#b3261e;margin:0;font-size:.9rem}
`;

/** The console's login form: plain HTML that posts to itself, no script at all. */
export function loginPage(options: LoginPageOptions): string {
  const t = LOGIN_TEXT[options.lang];
  const next = safeNext(options.next);
  // The switch comes back to this form with the same destination after login.
  const here = `/console/login?next=${encodeURIComponent(next)}`;
  return html`${documentHead({ lang: options.lang, title: t.title, nonce: options.nonce, style: STYLE })}
<body>
<form method="post" action="/console/login">
<div class="top"><h1>${t.heading}</h1><a class="lang" href="/console/lang?to=${t.switchTo}&amp;next=${encodeURIComponent(here)}" lang="${t.switchTo}">${t.switchLabel}</a></div>
<p class="clinic">${options.clinicName}</p>
${options.error && html`<p class="error" role="alert">${options.error}</p>`}
<input type="hidden" name="next" value="${next}">
<label>${t.login}<input name="login" autocomplete="username" required value="${options.login}" autofocus></label>
<label>${t.password}<input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">${t.submit}</button>
</form>
</body>
</html>`.value;
}
