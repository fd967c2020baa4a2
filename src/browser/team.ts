// /console/team: draws the staff list from the page's data and makes each change through the
// team API; a new one-time password is shown once, in its own panel.
import { el, postJson } from "./lib/console-api.ts";
import { readPageData } from "./lib/page-data.ts";
import type { TeamPageData, TeamRow } from "../operators/team/page.ts";

const data = readPageData<TeamPageData>();
const t = data.text;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const rows = $<HTMLTableSectionElement>("rows");
const listStatus = $<HTMLParagraphElement>("list-status");
const addStatus = $<HTMLParagraphElement>("add-status");
const form = $<HTMLFormElement>("add");

const when = new Intl.DateTimeFormat(data.lang === "ru" ? "ru-RU" : "en-GB", { timeZone: data.timezone, day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" });

function say(target: HTMLElement, text: string, kind: "ok" | "bad" | "" = "") {
  target.textContent = text;
  target.className = `status ${kind}`;
}

function showPassword(forWhom: string, password: string) {
  $("otp-for").textContent = `${t.otpFor} ${forWhom}`;
  $("otp-value").textContent = password;
  $("otp").hidden = false;
  $("otp").scrollIntoView({ block: "nearest" });
}

type Changed = { operators: TeamRow[] };

async function act(url: string, body: unknown, after?: (result: Changed & Record<string, unknown>) => void) {
  say(listStatus, "");
  const result = await postJson<Changed & Record<string, unknown>>(url, body, data.csrfToken, t.failed);
  if (!result.ok) return say(listStatus, result.error, "bad");
  render(result.data.operators);
  say(listStatus, t.saved, "ok");
  after?.(result.data);
}

function row(o: TeamRow): HTMLTableRowElement {
  const me = o.id === data.me;
  const name = el("td", { attrs: { "data-label": t.name } }, el("div", { text: o.displayName }, ...(me ? [el("span", { className: "tag", text: t.you })] : [])), el("div", { className: "login", text: o.login }));
  const role = el("td", { attrs: { "data-label": t.role }, text: o.role === "admin" ? t.roleAdmin : t.roleOperator });
  const state = el("td", { attrs: { "data-label": t.state } }, el("span", { className: `tag${o.disabled ? " off" : ""}`, text: o.disabled ? t.disabled : t.active }));
  if (o.mustChangePassword && !o.disabled) state.append(el("span", { className: "tag wait", text: t.mustChange }));
  const last = el("td", { attrs: { "data-label": t.lastLogin }, text: o.lastLoginAt ? when.format(new Date(o.lastLoginAt)) : t.never });
  const buttons = el("div", { className: "buttons" });
  const actions = el("td", { className: "actions" }, buttons);
  const button = (label: string, onClick: () => void) => {
    const b = el("button", { text: label, attrs: { type: "button", "data-login": o.login } });
    b.addEventListener("click", onClick);
    buttons.append(b);
  };
  if (!me) {
    if (o.disabled) button(t.enable, () => void act("/console/api/team/disable", { operatorId: o.id, disabled: false }));
    else button(t.disable, () => confirm(t.confirmDisable.replace("{name}", o.displayName)) && void act("/console/api/team/disable", { operatorId: o.id, disabled: true }));
    button(o.role === "admin" ? t.makeOperator : t.makeAdmin, () => void act("/console/api/team/role", { operatorId: o.id, role: o.role === "admin" ? "operator" : "admin" }));
    button(t.reset, () => confirm(t.confirmReset.replace("{name}", o.displayName)) && void act("/console/api/team/reset", { operatorId: o.id }, (r) => showPassword(o.displayName, String(r.oneTimePassword))));
  }
  const tr = el("tr", { className: o.disabled ? "off" : "", attrs: { "data-login": o.login } }, name, role, state, last, actions);
  return tr;
}

function render(operators: TeamRow[]) {
  rows.replaceChildren(...operators.map(row));
  if (operators.length === 0) rows.append(el("tr", {}, el("td", { text: t.empty, attrs: { colspan: "5" } })));
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const fields = new FormData(form);
  const body = { login: String(fields.get("login") ?? ""), displayName: String(fields.get("displayName") ?? ""), role: String(fields.get("role") ?? "operator") };
  say(addStatus, "");
  const result = await postJson<Changed & { oneTimePassword: string; operator: TeamRow }>("/console/api/team/add", body, data.csrfToken, t.failed);
  if (!result.ok) return say(addStatus, result.error, "bad");
  render(result.data.operators);
  form.reset();
  say(addStatus, t.saved, "ok");
  showPassword(result.data.operator.displayName, result.data.oneTimePassword);
});

$("otp-copy").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText($("otp-value").textContent ?? "");
    $("otp-copy").textContent = t.copied;
  } catch {
    // A page over plain http may not reach the clipboard: the password stays on screen to copy by hand.
  }
});
$("otp-hide").addEventListener("click", () => {
  $("otp").hidden = true;
  $("otp-value").textContent = "";
});

render(data.operators);
