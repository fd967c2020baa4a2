// The settings page: loads the clinic's settings document, fills the form (plain inputs and the
// forms of src/browser/settings/), collects the whole document back on save, and shows each
// problem the server names next to its field and in the summary at the top. It also exports the
// document as a file and imports one, checked by the server before it fills the form.
import { readPageData } from "./lib/page-data.ts";
import { campaignsField } from "./settings/campaigns-field.ts";
import type { CampaignsField } from "./settings/campaigns-field.ts";
import { fill } from "./settings/dom.ts";
import { inputField } from "./settings/input-field.ts";
import { levelsField } from "./settings/levels-field.ts";
import { doctorLinksField } from "./settings/doctor-links-field.ts";
import { cannedRepliesField, categoryPercentField, reminderOffsetsField, weekHoursField, whatsappTemplatesField } from "./settings/list-fields.ts";
import { sayProblem } from "./settings/messages.ts";
import { scheduleField } from "./settings/schedule-field.ts";
import { segmentsField } from "./settings/segments-field.ts";
import type { SegmentsField } from "./settings/segments-field.ts";
import type { Ctx, Field, Problem, SettingsPageData } from "./settings/types.ts";

const PAGE = readPageData<SettingsPageData>();
const T = PAGE.text;
const byId = <E extends HTMLElement>(id: string) => document.getElementById(id) as E;
const form = byId<HTMLFormElement>("settings");
const saveButton = byId<HTMLButtonElement>("save");
const statusLine = byId("status");
const summary = byId("summary");
const summaryTitle = byId("summary-title");
const summaryList = byId("summary-list");
const reloadButton = byId<HTMLButtonElement>("reload");
const importButton = byId<HTMLButtonElement>("import");
const importFile = byId<HTMLInputElement>("import-file");

let version: string | null = null;
let loaded: Record<string, unknown> = {};
let savedAt = "";
let filling = false;

async function post(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": PAGE.csrfToken },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => ({})) };
}

const ctx: Ctx = { T, lang: PAGE.lang, changed: () => markDirty(), post };

// ---- the fields ----
let campaigns: CampaignsField | null = null;
let segments: SegmentsField | null = null;
const fields: Field[] = [...form.querySelectorAll<HTMLElement>("[data-kind]")].map((el) => {
  switch (el.dataset.kind) {
    case "schedule":
      return scheduleField(ctx, el);
    case "category-percent":
      return categoryPercentField(ctx, el);
    case "week-hours":
      return weekHoursField(ctx, el);
    case "reminder-offsets":
      return reminderOffsetsField(ctx, el);
    case "canned-replies":
      return cannedRepliesField(ctx, el);
    case "whatsapp-templates":
      return whatsappTemplatesField(ctx, el);
    case "levels":
      return levelsField(ctx, el);
    case "doctor-review-links":
      return doctorLinksField(ctx, el);
    case "segments":
      return (segments = segmentsField(ctx, el, () => campaigns?.segmentsChanged()));
    case "campaigns":
      return (campaigns = campaignsField(ctx, el, () => segments?.current() ?? []));
    default:
      return inputField(el as HTMLInputElement);
  }
});

function getPath(obj: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), obj);
}
function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let o = obj;
  for (const k of keys.slice(0, -1)) {
    if (!o[k] || typeof o[k] !== "object" || Array.isArray(o[k])) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  if (value === undefined) delete o[keys[keys.length - 1]!];
  else o[keys[keys.length - 1]!] = value;
}

function fillFields(settings: Record<string, unknown>): void {
  filling = true;
  for (const f of fields) f.set(getPath(settings, f.path));
  campaigns?.segmentsChanged();
  filling = false;
}
function collect(): { doc: Record<string, unknown>; problems: Problem[] } {
  const doc = structuredClone(loaded);
  const problems: Problem[] = [];
  for (const f of fields) setPath(doc, f.path, f.get(problems));
  return { doc, problems };
}

// ---- errors next to fields and in the summary ----
function fieldFor(path: string): { field: Field | null; rest: string[] } {
  const parts = path.split(".");
  for (let n = parts.length; n > 0; n--) {
    const field = fields.find((f) => f.path === parts.slice(0, n).join("."));
    if (field) return { field, rest: parts.slice(n) };
  }
  return { field: null, rest: parts };
}
/** Inside a form: the item the path names (data-item) and its input (data-key), with their names. */
function locate(root: HTMLElement, rest: string[]): { target: HTMLElement; where: string } {
  if (rest.length === 0) return { target: root, where: "" };
  let item = root.querySelector<HTMLElement>(`[data-item="${CSS.escape(rest[0]!)}"]`);
  let keys = item ? rest.slice(1) : rest;
  // A map's entry is named by its key, which may hold dots ("Иванов И.И."): the longest that names one.
  for (let n = rest.length; !item && n > 0; n--) {
    item = root.querySelector<HTMLElement>(`[data-name="${CSS.escape(rest.slice(0, n).join("."))}"]`);
    if (item) keys = rest.slice(n);
  }
  const scope = item ?? root;
  const names: string[] = [];
  if (item) names.push(item.dataset.title || fill(T.item, { n: Number(rest[0]) + 1 }));
  for (let n = keys.length; n > 0; n--) {
    const input = scope.querySelector<HTMLElement>(`[data-key="${CSS.escape(keys.slice(0, n).join("."))}"]`);
    if (input) {
      names.push(input.getAttribute("aria-label") ?? "");
      return { target: input, where: names.filter(Boolean).join(" › ") };
    }
  }
  return { target: item ?? root, where: names.join(" › ") };
}
function clearErrors(): void {
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const p of form.querySelectorAll<HTMLElement>(".error")) {
    p.textContent = "";
    p.hidden = true;
  }
  for (const a of document.querySelectorAll(".toc a")) a.classList.remove("has-error");
  summary.hidden = true;
  summary.classList.remove("note");
  reloadButton.hidden = true;
  summaryList.replaceChildren();
}
function showSummary(title: string, items: HTMLElement[]): void {
  summaryTitle.textContent = title;
  summaryList.replaceChildren(...items);
  summary.hidden = false;
  summary.focus();
}
function showErrors(problems: Problem[], title?: string): void {
  clearErrors();
  const items = problems.map((problem) => {
    const { field, rest } = fieldFor(problem.path);
    const li = document.createElement("li");
    const message = sayProblem(problem.message, PAGE.lang, T.invalidValue);
    if (!field) {
      li.textContent = message;
      return li;
    }
    const { target, where } = locate(field.root, rest);
    const line = where ? `${where}: ${message}` : message;
    const box = byId(`e-${field.root.id}`);
    box.textContent = box.textContent ? `${box.textContent}\n${line}` : line;
    box.hidden = false;
    target.setAttribute("aria-invalid", "true");
    const section = field.root.closest<HTMLElement>("section");
    if (section) document.querySelector(`.toc a[data-toc="${section.dataset.section}"]`)?.classList.add("has-error");
    const a = document.createElement("a");
    a.href = `#${field.root.id}`;
    a.textContent = `${field.root.dataset.label} — ${line}`;
    a.addEventListener("click", (e) => {
      e.preventDefault();
      target.focus();
      target.scrollIntoView({ block: "center" });
    });
    li.append(a);
    return li;
  });
  showSummary(title ?? fill(T.errorsTitle, { n: problems.length }), items);
}

// ---- status line ----
function formatVersion(v: string): string {
  try {
    return new Date(v).toLocaleString(PAGE.lang === "ru" ? "ru-RU" : "en-GB", { timeZone: PAGE.timezone, dateStyle: "medium", timeStyle: "short" });
  } catch {
    return v;
  }
}
function setStatus(text: string, kind = ""): void {
  statusLine.textContent = text;
  statusLine.className = kind;
}
function markDirty(): void {
  if (version !== null && !filling) setStatus(T.dirty, "dirty");
}

// ---- load, save, import ----
async function load(): Promise<void> {
  try {
    const res = await fetch("/console/api/settings", { headers: { accept: "application/json" } });
    if (res.status === 401) return setStatus(T.sessionEnded, "dirty");
    const body = await res.json();
    if (!res.ok) throw new Error(body.error || String(res.status));
    loaded = body.settings;
    version = body.version;
    fillFields(loaded);
    clearErrors();
    savedAt = fill(T.savedAt, { t: formatVersion(body.version) });
    setStatus(savedAt);
    saveButton.disabled = false;
    if (body.problems?.length) showErrors(body.problems, T.storedProblems);
  } catch (e) {
    setStatus(fill(T.loadFailed, { e: (e as Error).message }), "dirty");
  }
}

async function save(): Promise<void> {
  const { doc, problems } = collect();
  if (problems.length) return showErrors(problems);
  saveButton.disabled = true;
  setStatus(T.saving);
  try {
    const res = await fetch("/console/api/settings", {
      method: "PUT",
      headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": PAGE.csrfToken },
      body: JSON.stringify({ version, settings: doc }),
    });
    const body = await res.json().catch(() => ({}));
    if (res.ok) {
      const changed = body.version !== version;
      loaded = body.settings;
      version = body.version;
      fillFields(loaded);
      clearErrors();
      savedAt = fill(T.savedAt, { t: formatVersion(body.version) });
      setStatus(changed ? `${T.saved} ${savedAt}` : T.unchanged, "ok");
    } else if (res.status === 422) {
      showErrors(body.errors ?? []);
      setStatus(savedAt);
    } else if (res.status === 409) {
      clearErrors();
      showSummary(T.conflict, []);
      reloadButton.hidden = false;
      setStatus(T.dirty, "dirty");
    } else if (res.status === 401) {
      showSummary(T.sessionEnded, []);
    } else {
      showSummary(fill(T.networkError, { e: res.status }), []);
    }
  } catch (e) {
    showSummary(fill(T.networkError, { e: (e as Error).message }), []);
  } finally {
    saveButton.disabled = false;
  }
}

async function importSettings(file: File): Promise<void> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await file.text());
  } catch (e) {
    clearErrors();
    return showSummary(fill(T.importNotJson, { name: file.name, e: (e as Error).message }), []);
  }
  const res = await post("/console/api/settings/check", { settings: parsed }).catch(() => null);
  if (!res) return showSummary(fill(T.networkError, { e: "—" }), []);
  if (res.status === 422) {
    const problems = (res.body.errors ?? []) as Problem[];
    clearErrors();
    const items = problems.map((p) => {
      const li = document.createElement("li");
      li.textContent = `${p.path}: ${sayProblem(p.message, PAGE.lang, T.invalidValue)}`;
      return li;
    });
    return showSummary(fill(T.importProblems, { name: file.name, n: problems.length }), items);
  }
  if (res.status !== 200) return showSummary(fill(T.importNotJson, { name: file.name, e: res.status }), []);
  loaded = res.body.settings;
  fillFields(loaded);
  clearErrors();
  const sections = [...new Set((res.body.sections as string[]).map((k) => PAGE.keyTitles[k] ?? k))];
  setStatus(T.dirty, "dirty");
  const li = document.createElement("li");
  li.textContent = sections.join(", ");
  showSummary(fill(T.importDone, { name: file.name }), sections.length ? [li] : []);
  summary.classList.add("note");
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  void save();
});
form.addEventListener("input", () => markDirty());
reloadButton.addEventListener("click", () => void load());
importButton.addEventListener("click", () => importFile.click());
importFile.addEventListener("change", () => {
  const file = importFile.files?.[0];
  importFile.value = "";
  if (file) void importSettings(file);
});
void load();
