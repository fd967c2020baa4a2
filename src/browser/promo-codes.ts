// /console/promo-codes: draws the clinic's promo codes from the page's data, creates one through
// the console's API (its errors shown next to their fields), changes an existing code's terms in
// the same form, and turns one off or on again.
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
const formCard = $<HTMLElement>("form-card");
const formHeading = $<HTMLHeadingElement>("form-heading");
const submit = $<HTMLButtonElement>("submit");
const cancelEdit = $<HTMLButtonElement>("cancel-edit");
const notices = $<HTMLDivElement>("notices");
const codeInput = form.querySelector<HTMLInputElement>('[name="code"]')!;
/** The code whose terms the form is changing; null while it creates a new one. */
let editing: string | null = null;

/** ДД.ММ.ГГГГ in the clinic's zone, as the form takes a day. */
const formDay = new Intl.DateTimeFormat("ru-RU", { timeZone: data.timezone, day: "2-digit", month: "2-digit", year: "numeric" });
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
  const edit = el("button", { text: t.edit, attrs: { type: "button", "data-edit": p.code } });
  edit.addEventListener("click", () => startEditing(p));
  const actions = el("td", { className: "actions" }, edit, button);
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

function setField(name: string, value: string) {
  const control = form.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`);
  if (control) control.value = value;
}

/** The form takes the code's terms as they are; the code itself cannot change. */
function startEditing(p: PromoCodeView) {
  editing = p.code;
  showErrors({});
  notices.replaceChildren();
  say(addStatus, "");
  setField("code", p.code);
  codeInput.readOnly = true;
  codeInput.title = t.codeFixed;
  setField("reward", p.reward);
  setField("value", String(p.value));
  setField("perPatient", String(p.perPatient));
  setField("totalLimit", p.totalLimit === null ? "" : String(p.totalLimit));
  setField("startsAt", p.startsAt ? formDay.format(new Date(p.startsAt)) : "");
  // endsAt is the first moment it no longer works: the form shows the last valid day.
  setField("endsAt", p.endsAt ? formDay.format(new Date(Date.parse(p.endsAt) - 1)) : "");
  setField("services", p.services.join(", "));
  setField("description", p.description);
  formHeading.textContent = t.editHeading.replace("{code}", p.code);
  submit.textContent = t.saveChanges;
  cancelEdit.hidden = false;
  formCard.classList.add("editing");
  formCard.scrollIntoView({ block: "start" });
  form.querySelector<HTMLInputElement>('[name="value"]')?.focus();
}

function stopEditing() {
  editing = null;
  form.reset();
  codeInput.readOnly = false;
  codeInput.removeAttribute("title");
  formHeading.textContent = t.addHeading;
  submit.textContent = t.create;
  cancelEdit.hidden = true;
  formCard.classList.remove("editing");
  showErrors({});
}

// A field being corrected loses its old error at once, and the banner that pointed at the marked
// fields goes with the last of them: it would otherwise point at nothing.
form.addEventListener("input", (event) => {
  const name = (event.target as HTMLInputElement).name;
  const slot = form.querySelector<HTMLElement>(`[data-error-for="${name}"]`);
  if (!slot || slot.hidden) return;
  slot.hidden = true;
  slot.textContent = "";
  (event.target as HTMLElement).setAttribute("aria-invalid", "false");
  const stillMarked = [...form.querySelectorAll<HTMLElement>("[data-error-for]")].some((s) => !s.hidden);
  if (!stillMarked && addStatus.classList.contains("bad")) say(addStatus, "");
});

cancelEdit.addEventListener("click", () => {
  stopEditing();
  notices.replaceChildren();
  say(addStatus, "");
});

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
  notices.replaceChildren();
  const changing = editing;
  const url = changing ? "/console/api/promo-codes/terms" : "/console/api/promo-codes";
  const result = await postJson<{ codes: PromoCodeView[]; notices?: string[] }>(url, changing ? { ...body, code: changing } : body, data.csrfToken, t.failed);
  if (!result.ok) {
    showErrors(result.fields ?? {});
    return say(addStatus, result.error, "bad");
  }
  render(result.data.codes);
  stopEditing();
  notices.replaceChildren(...(result.data.notices ?? []).map((text) => el("p", { text })));
  say(addStatus, changing ? t.updated.replace("{code}", changing) : t.created, "ok");
});

render(data.codes);
