// The texts page: pick a text, edit it in Russian and English side by side, see it rendered for a
// patient as you type (the server renders and checks it), save a draft, publish, compare, roll back.
// Everything the server or a clinic wrote goes in as textContent, never as markup.
import type { TextsPageData } from "../operators/texts/page.ts";
import type { TextDetail } from "../operators/texts/text-versions.ts";
import type { TextListGroup } from "../operators/texts/text-list.ts";
import { lineDiff } from "./lib/line-diff.ts";
import { readPageData } from "./lib/page-data.ts";

type Locale = "ru" | "en";
const LOCALES: Locale[] = ["ru", "en"];
interface Problem {
  line: number | null;
  message: string;
}

const data = readPageData<TextsPageData>();
const w = data.words;
let texts: TextListGroup[] = data.texts;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string | null)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) if (child !== null) node.append(child);
  return node;
}

class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(message);
  }
}

async function api<T>(method: "GET" | "POST", url: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json", "x-csrf-token": data.csrfToken }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new HttpError(w.network, 0, {});
  }
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) throw new HttpError(typeof json.error === "string" ? json.error : w.network, response.status, json);
  return json as T;
}

// ---------- the list ----------

const list = document.getElementById("list")!;
const search = document.getElementById("search") as HTMLInputElement;
let current: string | null = null;

function renderList(): void {
  const needle = search.value.trim().toLowerCase();
  list.replaceChildren();
  let shown = 0;
  for (const group of texts) {
    const entries = group.entries.filter((e) => !needle || e.key.includes(needle) || e.sample.toLowerCase().includes(needle) || e.live.ru.toLowerCase().includes(needle) || e.live.en.toLowerCase().includes(needle));
    if (entries.length === 0) continue;
    list.append(el("h2", {}, data.areas[group.area] ?? group.area));
    for (const entry of entries) {
      const key = el("span", { class: "k" }, entry.key);
      if (entry.own.length > 0) key.append(el("span", { class: "tag own" }, w.own));
      if (entry.drafts.length > 0) key.append(el("span", { class: "tag draft" }, w.draft));
      const button = el("button", { type: "button", "data-key": entry.key, "aria-current": String(entry.key === current) }, key, el("span", { class: "t" }, entry.sample.slice(0, 160)));
      button.addEventListener("click", () => void open(entry.key));
      list.append(button);
      shown++;
    }
  }
  if (shown === 0) list.append(el("p", { class: "empty" }, w.nothingFound));
}
search.addEventListener("input", renderList);

async function refreshList(): Promise<void> {
  texts = await api<TextListGroup[]>("GET", "/console/api/texts");
  renderList();
}

// ---------- the editor ----------

const main = document.getElementById("editor")!;
let detail: TextDetail | null = null;
let patientId: number | null = data.patients[0]?.id ?? null;
let lastFocused: Locale = "ru";
const columns = new Map<Locale, Column>();
let status: HTMLElement;
let dirty = false;

interface Column {
  textarea: HTMLTextAreaElement;
  mirror: HTMLElement;
  gutter: HTMLElement;
  problems: HTMLUListElement;
  bubble: HTMLElement;
  diff: HTMLElement;
  compare: HTMLButtonElement;
  state: HTMLElement;
  toShipped: HTMLButtonElement;
  badLines: Set<number>;
  timer: number | undefined;
  seq: number;
}

function setStatus(text: string, kind: "" | "ok" | "bad" | "dirty" = ""): void {
  status.textContent = text;
  status.className = kind;
}

function stateLine(locale: Locale): string {
  const state = detail!.locales[locale];
  const live = state.live.version === 0 ? w.shipped : `${w.version} ${state.live.version}`;
  return `${w.live} ${live}${state.draft ? ` · ${w.draftVersion} ${state.draft.version}` : ""}`;
}

/**
 * Line numbers beside the text. Long lines wrap, so each number gets the height its line takes:
 * a hidden copy of the text, one block per line at the textarea's width, is measured.
 */
function drawGutter(column: Column): void {
  const { textarea, mirror } = column;
  const lines = textarea.value.split("\n");
  mirror.style.width = `${textarea.clientWidth}px`;
  mirror.replaceChildren(...lines.map((line) => el("div", {}, line === "" ? " " : line)));
  const heights = Array.from(mirror.children).map((child) => (child as HTMLElement).offsetHeight);
  column.gutter.replaceChildren(
    ...lines.map((_, i) => {
      const bad = column.badLines.has(i + 1);
      const number = el("div", bad ? { class: "bad", title: w.line } : {}, String(i + 1));
      if (heights[i]) number.style.height = `${heights[i]}px`;
      return number;
    }),
  );
  // The text grows with its lines: no scrolling inside, so the numbers stay beside their lines.
  textarea.style.height = "auto";
  textarea.style.height = `${Math.max(textarea.scrollHeight, 120)}px`;
}

function showProblems(column: Column, problems: Problem[]): void {
  column.badLines = new Set(problems.flatMap((p) => (p.line === null ? [] : [p.line])));
  column.problems.replaceChildren(...(problems.length === 0 ? [el("li", { class: "ok" }, w.noProblems)] : problems.map((p) => el("li", { "data-line": String(p.line ?? "") }, p.message))));
  column.textarea.setAttribute("aria-invalid", String(problems.length > 0));
  drawGutter(column);
}

async function preview(locale: Locale): Promise<void> {
  const column = columns.get(locale);
  if (!column || !detail) return;
  const seq = ++column.seq;
  try {
    const result = await api<{ text: string | null; problems: Problem[] }>("POST", "/console/api/texts/preview", { key: detail.key, locale, source: column.textarea.value, patientId });
    if (seq !== column.seq) return;
    showProblems(column, result.problems);
    column.bubble.textContent = result.text ?? w.previewFailed;
    column.bubble.className = result.text === null ? "bubble failed" : "bubble";
  } catch (error) {
    if (seq === column.seq) setStatus((error as Error).message, "bad");
  }
}

function showDiff(locale: Locale, before: string, title: string): void {
  const column = columns.get(locale)!;
  const lines = lineDiff(before, column.textarea.value);
  const changed = lines.some((l) => l.kind !== "same");
  const body = el("pre", { class: "diff" });
  if (!changed) body.append(w.sameAsShipped);
  for (const line of lines) body.append(el("span", line.kind === "same" ? {} : { class: line.kind }, `${line.kind === "add" ? "+ " : line.kind === "del" ? "− " : "  "}${line.text}`), line.kind === "same" ? "\n" : "");
  column.diff.replaceChildren(el("p", { class: "diff-title" }, title), body);
  column.diff.hidden = false;
  column.compare.textContent = w.hideCompare;
}

function hideDiff(column: Column): void {
  column.diff.hidden = true;
  column.compare.textContent = w.compare;
}

function buildColumn(locale: Locale, initial: string): HTMLElement {
  const textarea = el("textarea", { id: `source-${locale}`, spellcheck: "false", "aria-label": `${locale === "ru" ? w.ru : w.en}`, lang: locale, rows: "8" });
  textarea.value = initial;
  const column: Column = {
    textarea,
    mirror: el("div", { class: "mirror", "aria-hidden": "true" }),
    gutter: el("div", { class: "gutter", "aria-hidden": "true" }),
    problems: el("ul", { class: "problems", id: `problems-${locale}`, "aria-live": "polite" }),
    bubble: el("div", { class: "bubble", id: `preview-${locale}` }),
    diff: el("div", { id: `diff-${locale}` }),
    compare: el("button", { type: "button" }, w.compare),
    state: el("span", { class: "state", id: `state-${locale}` }, stateLine(locale)),
    toShipped: el("button", { type: "button", id: `shipped-${locale}` }, w.toShipped),
    badLines: new Set(),
    timer: undefined,
    seq: 0,
  };
  columns.set(locale, column);
  column.diff.hidden = true;
  column.toShipped.hidden = detail!.locales[locale].live.version === 0;
  textarea.addEventListener("focus", () => (lastFocused = locale));
  textarea.addEventListener("input", () => {
    drawGutter(column);
    markDirty();
    if (!column.diff.hidden) showDiff(locale, detail!.locales[locale].shipped, w.compareTitle);
    window.clearTimeout(column.timer);
    column.timer = window.setTimeout(() => void preview(locale), 300);
  });
  column.compare.addEventListener("click", () => (column.diff.hidden ? showDiff(locale, detail!.locales[locale].shipped, w.compareTitle) : hideDiff(column)));
  column.toShipped.addEventListener("click", () => {
    if (window.confirm(w.shippedConfirm)) void rollback(locale, 0);
  });
  drawGutter(column);
  return el(
    "section",
    { class: "col", "aria-labelledby": `h-${locale}` },
    el("h3", { id: `h-${locale}` }, locale === "ru" ? w.ru : w.en),
    column.state,
    el("div", { class: "editor" }, column.gutter, textarea, column.mirror),
    column.problems,
    el("p", { class: "bubble-title" }, w.preview),
    column.bubble,
    el("div", { class: "row" }, column.compare, column.toShipped),
    column.diff,
  );
}

function markDirty(): void {
  dirty = LOCALES.some((l) => {
    const state = detail!.locales[l];
    return columns.get(l)!.textarea.value !== (state.draft?.source ?? state.live.source);
  });
  if (dirty) setStatus(w.dirty, "dirty");
  else setStatus("");
}

function insertVariable(variable: string): void {
  const column = columns.get(lastFocused)!;
  const { textarea } = column;
  const start = textarea.selectionStart;
  const end = textarea.selectionEnd;
  const snippet = `{{${variable}}}`;
  textarea.setRangeText(snippet, start, end, "end");
  textarea.focus();
  textarea.dispatchEvent(new Event("input"));
}

function patientPicker(): HTMLElement {
  const select = el("select", { id: "patient" });
  select.append(el("option", { value: "" }, w.samplePatient));
  for (const p of data.patients) select.append(el("option", { value: String(p.id) }, p.fullName));
  select.value = patientId === null ? "" : String(patientId);
  select.addEventListener("change", () => {
    patientId = select.value === "" ? null : Number(select.value);
    for (const locale of LOCALES) void preview(locale);
  });
  return el("div", { class: "row" }, el("label", { for: "patient" }, w.patient), select);
}

function historyCard(): HTMLElement {
  const card = el("section", { class: "card", id: "history", "aria-labelledby": "history-title" }, el("h3", { id: "history-title" }, w.history));
  const rows = detail!.history;
  if (rows.length === 0) {
    card.append(el("p", { class: "empty" }, w.noHistory));
    return card;
  }
  const statusWord = { draft: w.statusDraft, published: w.statusPublished, retired: w.statusRetired };
  const when = new Intl.DateTimeFormat(data.lang === "ru" ? "ru-RU" : "en-GB", { dateStyle: "short", timeStyle: "short" });
  const body = el("tbody");
  for (const row of rows) {
    const compare = el("button", { type: "button" }, w.showDiff);
    compare.addEventListener("click", () => showDiff(row.locale, row.source, `${w.compareVersion} ${row.version} (${row.locale === "ru" ? w.ru : w.en})`));
    // The live version has nothing to restore.
    const restore = row.status === "published" ? null : el("button", { type: "button" }, w.restore);
    restore?.addEventListener("click", () => {
      if (window.confirm(w.restoreConfirm)) void rollback(row.locale, row.version);
    });
    body.append(
      el(
        "tr",
        { "data-version": `${row.locale}-${row.version}` },
        el("td", {}, row.locale === "ru" ? w.ru : w.en),
        el("td", { "data-label": w.version }, String(row.version)),
        el("td", {}, statusWord[row.status]),
        el("td", { class: "hide-phone" }, row.author ?? w.nobody),
        el("td", {}, when.format(new Date(row.at))),
        el("td", {}, compare, restore),
      ),
    );
  }
  card.append(
    el(
      "div",
      { class: "table-wrap" },
      el(
      "table",
      {},
      el("thead", {}, el("tr", {}, el("th", {}, w.colLang), el("th", {}, w.colVersion), el("th", {}, w.colStatus), el("th", { class: "hide-phone" }, w.colAuthor), el("th", {}, w.colWhen), el("th", {}, ""))),
      body,
      ),
    ),
  );
  return card;
}

function renderEditor(): void {
  const d = detail!;
  columns.clear();
  const used = d.flows.length > 0 ? `${w.usedIn} ${d.flowTitles.map((x) => `«${x}»`).join(", ")}` : w.usedNowhere;
  const chips = el("div", { class: "chips", id: "chips" });
  for (const variable of d.variables) {
    const chip = el("button", { type: "button", title: data.hints[variable] ?? variable, "data-variable": variable }, variable);
    chip.addEventListener("click", () => insertVariable(variable));
    chips.append(chip);
  }
  const saveDraft = el("button", { type: "button", id: "save-draft" }, w.saveDraft);
  const publish = el("button", { type: "button", id: "publish", class: "primary" }, w.publish);
  saveDraft.addEventListener("click", () => void save(false));
  publish.addEventListener("click", () => void save(true));
  status = el("span", { id: "status", role: "status" });
  const editor = el(
    "section",
    { class: "card", "aria-labelledby": "text-key" },
    el("div", { class: "head" }, el("h2", { id: "text-key" }, d.key), el("span", { class: "used" }, used)),
    patientPicker(),
    el("p", { class: "chips-title" }, w.variables),
    chips,
    el("div", { class: "cols" }, ...LOCALES.map((l) => buildColumn(l, d.locales[l].draft?.source ?? d.locales[l].live.source))),
    el("div", { class: "actions" }, saveDraft, publish, status),
  );
  main.replaceChildren(editor, historyCard());
  for (const column of columns.values()) drawGutter(column);
  dirty = false;
  for (const locale of LOCALES) void preview(locale);
}

async function open(key: string): Promise<void> {
  if (dirty && key !== current && !window.confirm(w.leave)) return;
  try {
    detail = await api<TextDetail>("GET", `/console/api/texts/text?key=${encodeURIComponent(key)}`);
  } catch (error) {
    main.replaceChildren(el("div", { class: "card empty" }, (error as Error).message));
    return;
  }
  current = key;
  history.replaceState(null, "", `/console/texts?key=${encodeURIComponent(key)}`);
  renderList();
  renderEditor();
}

async function save(publish: boolean): Promise<void> {
  if (!detail) return;
  const sources = Object.fromEntries(LOCALES.map((l) => [l, columns.get(l)!.textarea.value]));
  const unchanged = LOCALES.every((l) => sources[l] === (detail!.locales[l].draft?.source ?? detail!.locales[l].live.source));
  // Publishing the editor's text when it is a saved draft publishes that draft.
  const hasDraft = LOCALES.some((l) => detail!.locales[l].draft !== null);
  if (unchanged && (!publish || !hasDraft)) return setStatus(w.unchanged);
  setStatus(w.saving);
  try {
    detail = await api<TextDetail>("POST", "/console/api/texts/save", { key: detail.key, texts: sources, publish });
    renderEditor();
    setStatus(publish ? w.published : w.saved, "ok");
    await refreshList();
  } catch (error) {
    const problems = (error as HttpError).body?.problems as Partial<Record<Locale, Problem[]>> | undefined;
    if (problems) for (const l of LOCALES) if (problems[l]) showProblems(columns.get(l)!, problems[l]!);
    setStatus(problems ? w.fixFirst : (error as Error).message, "bad");
  }
}

async function rollback(locale: Locale, version: number): Promise<void> {
  if (!detail) return;
  setStatus(w.saving);
  try {
    detail = await api<TextDetail>("POST", "/console/api/texts/rollback", { key: detail.key, locale, version });
    renderEditor();
    setStatus(w.rolledBack, "ok");
    await refreshList();
  } catch (error) {
    setStatus((error as Error).message, "bad");
  }
}

window.addEventListener("resize", () => {
  for (const column of columns.values()) drawGutter(column);
});

window.addEventListener("beforeunload", (event) => {
  if (dirty) event.preventDefault();
});

renderList();
if (data.selected) void open(data.selected);
