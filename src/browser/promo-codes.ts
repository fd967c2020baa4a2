// /console/promo-codes: draws the clinic's promo codes from the page's data, creates one through
// the console's API (its errors shown next to their fields) and turns one off or on again.
import { el, postJson } from "./lib/console-api.ts";
import { readPageData } from "./lib/page-data.ts";
import type { PromoCodesPageData } from "../operators/promo-codes/page.ts";
import type { PromoCodeView } from "../domain/loyalty/promo/index.ts";

const data = readPageData<PromoCodesPageData>();
const t = data.text;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const rows = $<HTMLTableSectionElement>("rows");
const listStatus = $<HTMLParagraphElement>("list-status");
const addStatus = $<HTMLParagraphElement>("add-status");
const form = $<HTMLFormElement>("add");

const day = new Intl.DateTimeFormat(data.lang === "ru" ? "ru-RU" : "en-GB", { timeZone: data.timezone, day: "numeric", month: "short", year: "numeric" });

function say(target: HTMLElement, text: string, kind: "ok" | "bad" | "" = "") {
  target.textContent = text;
  target.className = `status ${kind}`;
}

const UNITS: Record<PromoCodeView["reward"], string> = { points: t.unitPoints, discount: t.unitPercent, partial: t.unitRoubles };

function dates(p: PromoCodeView): HTMLElement[] {
  // endsAt is the first moment it no longer works: the last valid day is the one before it.
  const from = p.startsAt ? `${t.from} ${day.format(new Date(p.startsAt))}` : "";
  const until = p.endsAt ? `${t.until} ${day.format(new Date(Date.parse(p.endsAt) - 1))}` : "";
  const lines = [from, until].filter(Boolean);
  return (lines.length > 0 ? lines : [t.always]).map((text) => el("div", { text }));
}

function row(p: PromoCodeView): HTMLTableRowElement {
  const code = el("td", { attrs: { "data-label": t.code } }, el("div", { className: "code", text: p.code }), ...(p.description ? [el("div", { className: "desc", text: p.description })] : []));
  const reward = el("td", { attrs: { "data-label": t.reward, "data-cell": "reward" }, text: `${p.value} ${UNITS[p.reward]}` });
  const services = p.services.length > 0 ? p.services.join(", ") : t.anyService;
  const limits = el("td", { attrs: { "data-label": t.limits } }, el("div", { text: `${p.perPatient} ${t.perPatientShort}` }), el("div", { className: "desc", text: services }));
  const when = el("td", { className: "when", attrs: { "data-label": t.dates } }, ...dates(p));
  const uses = el("td", { attrs: { "data-label": t.uses, "data-cell": "uses" }, text: `${p.used} / ${p.totalLimit ?? t.noLimit}` });
  const state = el("td", { attrs: { "data-label": t.state } }, el("span", { className: `tag${p.active ? "" : " off"}`, text: p.active ? t.active : t.inactive }));
  const button = el("button", { text: p.active ? t.turnOff : t.turnOn, attrs: { type: "button", "data-code": p.code } });
  button.addEventListener("click", () => {
    if (p.active && !confirm(t.confirmOff.replace("{code}", p.code))) return;
    void setActive(p.code, !p.active);
  });
  const actions = el("td", { className: "actions" }, button);
  return el("tr", { className: p.active ? "" : "off", attrs: { "data-code": p.code } }, code, reward, limits, when, uses, state, actions);
}

function render(codes: PromoCodeView[]) {
  rows.replaceChildren(...codes.map(row));
  if (codes.length === 0) rows.append(el("tr", {}, el("td", { text: t.empty, attrs: { colspan: "7" } })));
}

async function setActive(code: string, active: boolean) {
  say(listStatus, "");
  const result = await postJson<{ codes: PromoCodeView[] }>("/console/api/promo-codes/active", { code, active }, data.csrfToken, t.failed);
  if (!result.ok) return say(listStatus, result.error, "bad");
  render(result.data.codes);
  say(listStatus, t.saved, "ok");
}

function showErrors(fields: Record<string, string>) {
  for (const slot of form.querySelectorAll<HTMLElement>("[data-error-for]")) {
    const name = slot.dataset.errorFor!;
    const message = fields[name];
    slot.textContent = message ?? "";
    slot.hidden = !message;
    form.querySelector(`[name="${name}"]`)?.setAttribute("aria-invalid", message ? "true" : "false");
  }
  const first = Object.keys(fields)[0];
  if (first) form.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const fields = new FormData(form);
  const body = Object.fromEntries(["code", "reward", "value", "perPatient", "totalLimit", "startsAt", "endsAt", "services", "description"].map((name) => [name, String(fields.get(name) ?? "")]));
  say(addStatus, "");
  const result = await postJson<{ codes: PromoCodeView[] }>("/console/api/promo-codes", body, data.csrfToken, t.failed);
  if (!result.ok) {
    showErrors(result.fields ?? {});
    return say(addStatus, result.error, "bad");
  }
  showErrors({});
  render(result.data.codes);
  form.reset();
  say(addStatus, t.created, "ok");
});

render(data.codes);
