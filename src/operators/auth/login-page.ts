import { escapeHtml } from "../page-headers.ts";

/** Where to go after logging in: only the console's own pages and the preview, never elsewhere. */
export function safeNext(next: string | undefined): string {
  return next && /^\/(console|preview)(\/|\?|$)/.test(next) && !next.startsWith("/console/login") ? next : "/console";
}

export interface LoginPageOptions {
  nonce: string;
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
h1{font-size:1.2rem;margin:0}
.clinic{color:#617085;margin:0}
label{display:flex;flex-direction:column;gap:.25rem;font-size:.9rem;color:#617085}
input{font:inherit;color:inherit;border:1px solid #d9dfe7;border-radius:8px;padding:.5rem .6rem}
input:focus,button:focus-visible{outline:2px solid #2463d1;outline-offset:1px}
button{font:inherit;cursor:pointer;background:#2463d1;border:1px solid #2463d1;color:#fff;border-radius:8px;padding:.55rem}
.error{color:#b3261e;margin:0;font-size:.9rem}
`;

/** The console's login form: plain HTML that posts to itself, no script at all. */
export function loginPage(options: LoginPageOptions): string {
  const next = safeNext(options.next);
  return `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Вход — консоль операторов CareBot</title>
<style nonce="${options.nonce}">${STYLE}</style>
</head>
<body>
<form method="post" action="/console/login">
<h1>Консоль операторов</h1>
<p class="clinic">${escapeHtml(options.clinicName)}</p>
${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : ""}
<input type="hidden" name="next" value="${escapeHtml(next)}">
<label>Логин<input name="login" autocomplete="username" required value="${escapeHtml(options.login ?? "")}" autofocus></label>
<label>Пароль<input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Войти</button>
</form>
</body>
</html>`;
}
