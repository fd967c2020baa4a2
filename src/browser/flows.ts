// The flows page in the browser: the list, and one flow's diagram, editor (texts, buttons,
// timers, on/off, triggers, or the whole JSON), versions, comparison, publish and rollback.
// Every value goes into the page as text (textContent, .value), never as HTML.
import { readPageData } from "./lib/page-data.ts";
import type { FlowsPageData } from "../operators/flows/page.ts";
import type { FlowDetail, FlowSummary } from "../operators/flows/store.ts";
import type { FlowChange } from "../operators/flows/compare.ts";
import type { FlowDefinition } from "../flows/definition/schema.ts";
import { flowEdges } from "../flows/loader/graph.ts";
import { flowTitle, stepTitle as titleOfStep } from "../operators/flows/step-title.ts";

const data = readPageData<FlowsPageData>();
const t = data.t;
const app = document.getElementById("app")!;

type Attrs = Record<string, string | boolean | undefined>;
function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string | null | undefined | false)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === "class") node.className = String(value);
    else if (value === true) node.setAttribute(name, "");
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}
const fill = (s: string, values: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ""));

async function api<T>(method: string, url: string, body?: unknown): Promise<{ ok: boolean; status: number; json: T & { error?: string; errors?: { path: string; message: string }[] } }> {
  const response = await fetch(url, {
    method,
    headers: { accept: "application/json", ...(body !== undefined ? { "content-type": "application/json", "x-csrf-token": data.csrfToken } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { ok: response.ok, status: response.status, json: await response.json() };
}

// ---------- the list ----------

async function showList(): Promise<void> {
  const { json } = await api<{ flows: FlowSummary[] }>("GET", "/console/api/flows");
  const rows = json.flows.map((f) =>
    el(
      "tr",
      { "data-flow": f.id },
      el("td", {}, el("a", { href: `/console/flows/${encodeURIComponent(f.id)}` }, flowTitle(f)), " ", el("code", { class: "step-id" }, f.id)),
      el("td", { class: "hide-phone small" }, f.description),
      el("td", {}, el("span", { class: `pill ${f.enabled ? "on" : "off"}` }, f.enabled ? t.on : t.off)),
      el("td", {}, f.published === 0 ? t.file : String(f.published)),
      el("td", { class: "hide-phone" }, String(f.drafts)),
      el("td", {}, String(f.running)),
    ),
  );
  app.replaceChildren(
    el("h1", {}, t.heading),
    el(
      "section",
      { class: "card" },
      rows.length === 0
        ? el("p", { class: "muted" }, t.noFlows)
        : el(
            "table",
            {},
            el("thead", {}, el("tr", {}, el("th", {}, t.flow), el("th", { class: "hide-phone" }, t.description), el("th", {}, t.status), el("th", {}, t.version), el("th", { class: "hide-phone" }, t.drafts), el("th", {}, t.running))),
            el("tbody", {}, ...rows),
          ),
    ),
  );
}

// ---------- one flow ----------

type Option = { value: string | number; text?: string; label?: string };
type Action = { type: string; params?: Record<string, unknown> };
const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

let detail: FlowDetail;
let message: HTMLElement;

function textOf(def: FlowDefinition, key: string, locale: "ru" | "en"): string {
  return def.texts?.[key]?.[locale] ?? detail.templateTexts[key]?.[locale] ?? "";
}
function labelOf(def: FlowDefinition, o: Option, locale: "ru" | "en"): string {
  return o.text ?? (o.label ? textOf(def, o.label, locale) : String(o.value));
}
function messagesOf(def: FlowDefinition, state: string): { action: Action; template: string; options: Option[] | null }[] {
  return asArray(def.states[state]?.entry as Action | Action[] | undefined)
    .filter((a) => typeof a.params?.template === "string")
    .map((a) => ({ action: a, template: a.params!.template as string, options: Array.isArray(a.params!.options) ? (a.params!.options as Option[]) : null }));
}

function say(kind: "ok" | "error", text: string): void {
  message.className = kind === "ok" ? "ok" : "error";
  message.textContent = text;
}

const e = data.edge;
/** A transition as a manager reads it: "кнопка «Пропустить» → recorded", "через 2 дн. → expired". */
function edgeLabel(def: FlowDefinition, edge: ReturnType<typeof flowEdges>[number]): string {
  const p = (edge.guard?.params ?? {}) as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? v : [v]).map(String);
  const word = (w: string) => (e as Record<string, string>)[w] ?? w;
  let event: string;
  if (edge.event.startsWith("after ")) {
    const d = delayParts(edge.event.slice(6));
    event = d ? `${e.after} ${d.n} ${d.unit === "days" ? e.day : d.unit === "hours" ? e.hour : e.minute}` : edge.event;
  } else event = word(edge.event);
  if (!edge.guard) return event;
  const g = edge.guard.type;
  let guard: string;
  if (g === "optionIs") {
    const options = messagesOf(def, edge.from).flatMap((m) => m.options ?? []);
    guard = list(p.value).map((v) => `«${(() => { const o = options.find((x) => String(x.value) === v); return o ? diagramLabel(def, o) : v; })()}»`).join(", ");
  } else if (g === "scoreBetween") guard = `${String(p.min ?? 0)}–${String(p.max ?? 10)}`;
  else if (g === "understood") guard = `${list(p.intent).map(word).join(", ")}${p.confidence === "unsure" ? ` (${e.unsure})` : ""}`;
  else if (g === "contextIs") guard = p.value === true ? `${e.contextIs} ${word(String(p.key))}` : `${e.contextIs} ${word(String(p.key))} = ${JSON.stringify(p.value)}`;
  else guard = word(g);
  return `${event}: ${guard}`;
}
const sample = (def: FlowDefinition, key: string) => detail.sampleTexts[key]?.[data.lang] ?? textOf(def, key, data.lang);
const diagramLabel = (def: FlowDefinition, o: Option) => o.text ?? (o.label ? sample(def, o.label) : String(o.value));

/** A step by its question in the page's language (step-title.ts); its id is only a small label. */
const stepTitle = (def: FlowDefinition, name: string, max = 60) => titleOfStep(def, name, (key) => sample(def, key), t, max);
const stepId = (name: string) => el("code", { class: "step-id", title: t.stepIdHint }, name);

/** Steps are numbered as the diagram draws them, so two that say the same («Конец разговора») are told apart. */
const stepNumber = (def: FlowDefinition, name: string) => Object.keys(def.states).indexOf(name) + 1;

function diagram(def: FlowDefinition): HTMLElement {
  const edges = flowEdges(def);
  const nodes = Object.entries(def.states).map(([name, state]) => {
    const texts = messagesOf(def, name);
    return el(
      "div",
      { class: `node${name === def.initial ? " initial" : ""}${state.type === "final" ? " final" : ""}`, "data-state": name },
      el("h3", {}, el("span", {}, el("span", { class: "step-n" }, `${stepNumber(def, name)}. `), stepTitle(def, name)), name === def.initial ? el("span", { class: "pill" }, t.start) : null, state.type === "final" ? el("span", { class: "pill" }, t.final) : null),
      stepId(name),
      ...texts.map((m) => el("p", { class: "say" }, sample(def, m.template))),
      ...texts
        .filter((m) => m.options && m.options.length > 0)
        .map((m) => el("div", { class: "chips" }, ...m.options!.map((o) => el("span", { class: "chip" }, diagramLabel(def, o))))),
      el("ul", {}, ...edges.filter((x) => x.from === name).map((x) => el("li", {}, `${edgeLabel(def, x)} → ${stepNumber(def, x.to)}. «${stepTitle(def, x.to, 40)}»`))),
    );
  });
  return el("div", { class: "diagram", role: "list" }, ...nodes);
}

const unitMs = { days: 86_400_000, hours: 3_600_000, minutes: 60_000 } as const;
type Unit = keyof typeof unitMs;
function delayParts(key: string): { n: number; unit: Unit } | null {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(key);
  const ms = /^\d+$/.test(key) ? Number(key) : m ? Number(m[1] ?? 0) * unitMs.days + Number(m[2] ?? 0) * unitMs.hours + Number(m[3] ?? 0) * unitMs.minutes : NaN;
  if (!Number.isFinite(ms) || ms <= 0) return null;
  const unit: Unit = ms % unitMs.days === 0 ? "days" : ms % unitMs.hours === 0 ? "hours" : "minutes";
  return { n: Math.round(ms / unitMs[unit]), unit };
}
const delayKey = (n: number, unit: Unit) => (unit === "days" ? `P${n}D` : unit === "hours" ? `PT${n}H` : `PT${n}M`);
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "x";

/** The editor's form; `read()` builds the draft definition from it. */
function editor(base: FlowDefinition): { form: HTMLFormElement; read(): FlowDefinition } {
  const stateNames = Object.keys(base.states);
  // Steps by their numbers and titles, as the diagram shows them.
  const titles = new Map(stateNames.map((s) => [s, `${stepNumber(base, s)}. ${stepTitle(base, s, 50)}`]));
  const stepSelect = (selected?: string) => el("select", { "aria-label": t.leadsTo }, ...stateNames.map((s) => el("option", { value: s, selected: s === selected }, titles.get(s)!)));
  const form = el("form", { id: "editor", novalidate: true });

  const enabled = el("input", { type: "checkbox", id: "f-enabled", checked: base.enabled !== false });
  form.append(el("fieldset", { "data-path": "enabled" }, el("legend", {}, t.status), el("label", { class: "inline", for: "f-enabled" }, enabled, t.enabled), el("p", { class: "muted small" }, t.enabledHint)));

  const triggerBoxes: { box: HTMLInputElement; kind: "commands" | "keywords" | "scheduled" | "menu"; value: string }[] = [];
  const trig = base.triggers as FlowDefinition["triggers"];
  const addTrigger = (kind: (typeof triggerBoxes)[number]["kind"], value: string, label: string) => {
    const box = el("input", { type: "checkbox", checked: true });
    triggerBoxes.push({ box, kind, value });
    return el("label", { class: "inline" }, box, label);
  };
  const triggerRows = [
    ...(trig.commands ?? []).map((c) => addTrigger("commands", c, `${t.command} ${c}`)),
    ...(trig.keywords ?? []).map((k) => addTrigger("keywords", k, `${t.keyword} «${k}»`)),
    ...(trig.scheduled ?? []).map((s) => addTrigger("scheduled", s, `${t.scheduled}: ${data.kinds[s] ?? s}`)),
    ...(trig.menu ? [addTrigger("menu", "", t.menu)] : []),
  ];
  if (triggerRows.length > 0) form.append(el("fieldset", { "data-path": "triggers" }, el("legend", {}, t.triggers), el("p", { class: "muted small" }, t.triggerHint), ...triggerRows));

  const textFields = new Map<string, { ru: HTMLTextAreaElement; en: HTMLTextAreaElement }>();
  const firstStateOf = new Map<string, string>();
  type ButtonRow = { row: HTMLElement; option: Option | null; text?: HTMLInputElement; ru?: HTMLInputElement; en?: HTMLInputElement; target?: HTMLSelectElement };
  const buttons = new Map<Action, ButtonRow[]>();
  const timers: { state: string; delay: string; n: HTMLInputElement; unit: HTMLSelectElement }[] = [];

  for (const state of stateNames) {
    const parts: HTMLElement[] = [];
    for (const m of messagesOf(base, state)) {
      if (firstStateOf.has(m.template)) {
        parts.push(el("p", { class: "muted small" }, `${t.question}: ${t.sameText} «${titles.get(firstStateOf.get(m.template)!)}»`));
      } else {
        firstStateOf.set(m.template, state);
        const id = `t-${slug(state)}-${slug(m.template)}`;
        const ru = el("textarea", { id: `${id}-ru`, "data-key": m.template, "data-locale": "ru" });
        ru.value = textOf(base, m.template, "ru");
        const en = el("textarea", { id: `${id}-en`, "data-key": m.template, "data-locale": "en" });
        en.value = textOf(base, m.template, "en");
        textFields.set(m.template, { ru, en });
        parts.push(el("div", { class: "two" }, el("div", {}, el("label", { for: ru.id }, `${t.question} ${t.ru}`), ru), el("div", {}, el("label", { for: en.id }, `${t.question} ${t.en}`), en)));
      }
      if (m.options) {
        const rows: ButtonRow[] = [];
        const list = el("div", { class: "buttons" });
        for (const option of m.options) {
          const remove = el("button", { type: "button" }, t.remove);
          let row: ButtonRow;
          if (option.text !== undefined || !option.label) {
            const text = el("input", { type: "text", "aria-label": `${t.buttonLabel} ${String(option.value)}` });
            text.value = labelOf(base, option, "ru");
            row = { row: el("div", { class: "row", "data-button": String(option.value) }, text, remove), option, text };
          } else {
            const ru = el("input", { type: "text", "aria-label": `${t.buttonLabel} ${t.ru}` });
            ru.value = labelOf(base, option, "ru");
            const en = el("input", { type: "text", "aria-label": `${t.buttonLabel} ${t.en}` });
            en.value = labelOf(base, option, "en");
            row = { row: el("div", { class: "row", "data-button": String(option.value) }, ru, en, remove), option, ru, en };
          }
          remove.addEventListener("click", () => {
            rows.splice(rows.indexOf(row), 1);
            row.row.remove();
          });
          rows.push(row);
          list.append(row.row);
        }
        const newRu = el("input", { type: "text", id: `nb-${slug(state)}-ru` });
        const newEn = el("input", { type: "text", id: `nb-${slug(state)}-en` });
        const target = stepSelect();
        target.id = `nb-${slug(state)}-target`;
        const add = el("button", { type: "button" }, t.addButton);
        add.addEventListener("click", () => {
          if (!newRu.value.trim()) return newRu.focus();
          const ru = el("input", { type: "text", "aria-label": `${t.buttonLabel} ${t.ru}` });
          ru.value = newRu.value.trim();
          const en = el("input", { type: "text", "aria-label": `${t.buttonLabel} ${t.en}` });
          en.value = newEn.value.trim() || newRu.value.trim();
          const to = stepSelect(target.value);
          const remove = el("button", { type: "button" }, t.remove);
          const row: ButtonRow = { row: el("div", { class: "row", "data-button": "new" }, ru, en, to, remove), option: null, ru, en, target: to };
          remove.addEventListener("click", () => {
            rows.splice(rows.indexOf(row), 1);
            row.row.remove();
          });
          rows.push(row);
          list.append(row.row);
          newRu.value = "";
          newEn.value = "";
        });
        buttons.set(m.action, rows);
        parts.push(
          el("h3", { class: "small" }, t.buttons),
          list,
          el(
            "div",
            { class: "row" },
            el("div", {}, el("label", { for: newRu.id }, t.newButtonRu), newRu),
            el("div", {}, el("label", { for: newEn.id }, t.newButtonEn), newEn),
            el("div", {}, el("label", { for: target.id }, t.leadsTo), target),
            add,
          ),
        );
      }
    }
    const after = base.states[state]!.after ?? {};
    for (const [delay, to] of Object.entries(after)) {
      const parts2 = delayParts(delay);
      if (!parts2) continue;
      const n = el("input", { type: "number", min: "1", step: "1", "aria-label": `${t.timers}: ${titles.get(state)}` });
      n.value = String(parts2.n);
      const unit = el("select", { class: "unit", "aria-label": `${t.timers}: ${titles.get(state)}` }, ...(["days", "hours", "minutes"] as Unit[]).map((u) => el("option", { value: u, selected: u === parts2.unit }, t[u])));
      timers.push({ state, delay, n, unit });
      const target = typeof to === "string" ? to : Array.isArray(to) ? "…" : (to as { target?: string }).target ?? state;
      parts.push(el("h3", { class: "small" }, t.timers), el("div", { class: "row", "data-timer": state }, el("span", { class: "small" }, t.after), n, unit, el("span", { class: "small" }, `${t.then} «${titles.get(target) ?? target}»`)));
    }
    if (parts.length > 0) form.append(el("fieldset", { "data-path": `states.${state}` }, el("legend", {}, `${t.step} ${stepNumber(base, state)} «${stepTitle(base, state, 50)}» `, stepId(state)), ...parts, el("p", { class: "error", "data-error-for": `states.${state}`, hidden: true })));
  }

  const read = (): FlowDefinition => {
    const def = clone(base);
    def.texts = { ...(def.texts ?? {}) };
    const setText = (key: string, ru: string, en: string) => {
      if (ru !== textOf(base, key, "ru") || en !== textOf(base, key, "en") || base.texts?.[key]) def.texts![key] = { ru, en };
    };
    for (const [key, f] of textFields) setText(key, f.ru.value.trim(), f.en.value.trim());
    if (enabled.checked) delete def.enabled;
    else def.enabled = false;
    const keep = (kind: string, value: string) => triggerBoxes.find((b) => b.kind === kind && b.value === value)?.box.checked ?? true;
    def.triggers = { ...def.triggers, commands: (trig.commands ?? []).filter((c) => keep("commands", c)), keywords: (trig.keywords ?? []).filter((k) => keep("keywords", k)), scheduled: (trig.scheduled ?? []).filter((s) => keep("scheduled", s)) };
    if (trig.menu && !keep("menu", "")) delete def.triggers.menu;

    for (const state of stateNames) {
      const entryBase = asArray(base.states[state]!.entry as Action | Action[] | undefined);
      const entryNew = asArray(def.states[state]!.entry as Action | Action[] | undefined);
      entryBase.forEach((action, i) => {
        const rows = buttons.get(action);
        if (!rows) return;
        const target = entryNew[i]!;
        const before = (action.params!.options as Option[]).map((o) => o.value);
        let n = 0;
        const options: Option[] = rows.map((row) => {
          if (row.option && row.text) return { ...row.option, text: row.text.value.trim() };
          if (row.option && row.option.label) {
            setText(row.option.label, row.ru!.value.trim(), row.en!.value.trim());
            return row.option;
          }
          do n++;
          while ([...before, ...rows.map((r) => r.option?.value)].includes(`option-${n}`) || def.texts![`${slug(def.id)}.${slug(state)}.button-${n}`]);
          const value = `option-${n}`;
          const key = `${slug(def.id)}.${slug(state)}.button-${n}`;
          def.texts![key] = { ru: row.ru!.value.trim(), en: row.en!.value.trim() };
          const choice = asArray(def.states[state]!.on?.CHOICE as unknown[] | undefined);
          def.states[state]!.on = { ...(def.states[state]!.on ?? {}), CHOICE: [{ guard: { type: "optionIs", params: { value } }, target: row.target!.value }, ...choice] as never };
          return { value, label: key };
        });
        // A removed button's own transition goes with it.
        const removed = before.filter((v) => !options.some((o) => o.value === v));
        if (removed.length > 0 && def.states[state]!.on?.CHOICE) {
          const kept = asArray(def.states[state]!.on!.CHOICE as unknown as { guard?: Action }[]).filter(
            (tr) => !(typeof tr === "object" && tr.guard?.type === "optionIs" && removed.includes(tr.guard.params?.value as string | number)),
          );
          def.states[state]!.on!.CHOICE = kept as never;
        }
        target.params = { ...target.params, options };
      });
    }
    for (const state of stateNames) {
      const own = timers.filter((x) => x.state === state);
      if (own.length === 0) continue;
      const after: Record<string, unknown> = {};
      for (const [delay, to] of Object.entries(def.states[state]!.after ?? {})) {
        const timer = own.find((x) => x.delay === delay);
        const n = timer ? Math.max(1, Math.round(Number(timer.n.value) || 0)) : 0;
        after[timer && n > 0 ? delayKey(n, timer.unit.value as Unit) : delay] = to;
      }
      def.states[state]!.after = after as never;
    }
    if (Object.keys(def.texts).length === 0) delete def.texts;
    return def;
  };
  return { form, read };
}

function showProblems(box: HTMLElement, problems: { path: string; message: string }[], form?: HTMLElement): void {
  form?.querySelectorAll<HTMLElement>("[data-error-for]").forEach((p) => {
    p.hidden = true;
    p.textContent = "";
  });
  box.replaceChildren();
  if (problems.length === 0) {
    box.hidden = true;
    return;
  }
  for (const problem of problems) {
    const state = /^states\.([^.[]+)/.exec(problem.path)?.[1];
    const near = state ? form?.querySelector<HTMLElement>(`[data-error-for="states.${CSS.escape(state)}"]`) : null;
    if (near) {
      near.hidden = false;
      near.textContent = `${near.textContent ? `${near.textContent}\n` : ""}${problem.message}`;
    }
  }
  box.append(el("p", {}, el("strong", {}, fill(t.notSaved, { n: problems.length }))), el("ul", {}, ...problems.map(problemItem)));
  box.hidden = false;
}

/** A problem under the step it is about, by the step's title; the path stays as code for the JSON mode. */
function problemItem(p: { path: string; message: string }): HTMLElement {
  if (!p.path) return el("li", {}, p.message);
  const state = /^states\.([^.[]+)/.exec(p.path)?.[1];
  const def = detail.editing.definition;
  const step = state && def.states[state] ? `${t.step} «${stepTitle(def, state, 50)}»: ` : "";
  return el("li", {}, step, el("code", { class: "step-id" }, p.path), `: ${p.message}`);
}

async function showFlow(flowId: string, notice?: string): Promise<void> {
  const response = await api<FlowDetail>("GET", `/console/api/flows/${encodeURIComponent(flowId)}`);
  if (!response.ok) {
    app.replaceChildren(el("p", { class: "error" }, `${t.errorPrefix}: ${response.json.error ?? response.status}`));
    return;
  }
  detail = response.json;
  // The editor and the diagram show the newest draft when there is one newer than the live version.
  const def = detail.editing.definition;
  message = el("p", { id: "message", role: "status" });
  const { form, read } = editor(def);
  const formProblems = el("div", { class: "problems", id: "form-problems", role: "alert", hidden: true });
  const saveForm = el("button", { type: "submit", class: "primary", id: "save-draft" }, t.saveDraft);
  form.append(formProblems, el("div", { class: "bar" }, saveForm));

  const json = el("textarea", { class: "code", id: "json", spellcheck: "false" });
  json.value = JSON.stringify(def, null, 2);
  const jsonProblems = el("div", { class: "problems", id: "json-problems", role: "alert", hidden: true });
  const saveJson = el("button", { type: "button", id: "save-json" }, t.saveJson);

  const save = async (definition: unknown, box: HTMLElement, scope?: HTMLElement) => {
    const result = await api<{ version: number }>("POST", `/console/api/flows/${encodeURIComponent(flowId)}/drafts`, { definition });
    if (result.ok) return showFlow(flowId, fill(t.saved, { v: result.json.version }));
    showProblems(box, result.json.errors ?? [{ path: "", message: result.json.error ?? String(result.status) }], scope);
    say("error", fill(t.notSaved, { n: result.json.errors?.length ?? 1 }));
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void save(read(), formProblems, form);
  });
  form.addEventListener("input", () => say("ok", t.unsaved));
  saveJson.addEventListener("click", () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json.value);
    } catch (error) {
      showProblems(jsonProblems, [{ path: "", message: `${t.jsonError}: ${(error as Error).message}` }]);
      return;
    }
    void save(parsed, jsonProblems);
  });

  const versionAction = async (kind: "publish" | "rollback", version: number) => {
    if (!window.confirm(fill(kind === "publish" ? t.confirmPublish : t.confirmRollback, { v: version }))) return;
    const result = await api<{ published: number }>("POST", `/console/api/flows/${encodeURIComponent(flowId)}/${kind}`, { version });
    if (result.ok) return showFlow(flowId, fill(kind === "publish" ? t.publishedMsg : t.rolledBack, { v: result.json.published }));
    say("error", `${t.errorPrefix}: ${result.json.errors?.map((e) => e.message).join("; ") ?? result.json.error}`);
  };
  const statusText = { draft: t.draft, published: t.published, retired: t.retired } as const;
  const versionRows = detail.versions.map((v) =>
    el(
      "tr",
      { "data-version": String(v.version) },
      el("td", {}, String(v.version)),
      el("td", {}, el("span", { class: `pill ${v.status}` }, statusText[v.status])),
      el("td", { class: "hide-phone" }, v.author ?? t.none),
      el("td", { class: "small" }, new Date(v.createdAt).toLocaleString(data.lang === "ru" ? "ru-RU" : "en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" })),
      el("td", {}, v.running > 0 ? fill(t.runningOn, { n: v.running }) : t.none),
      el(
        "td",
        {},
        el(
          "div",
          { class: "actions" },
          v.status === "draft" ? el("a", { href: `/preview?flow=${encodeURIComponent(flowId)}&draft=${v.version}`, target: "_blank", rel: "noopener", class: "small", "data-preview": String(v.version) }, t.preview) : null,
          v.status === "draft" ? button(t.publish, () => versionAction("publish", v.version), `publish-${v.version}`) : null,
          v.status === "retired" ? button(t.rollback, () => versionAction("rollback", v.version), `rollback-${v.version}`) : null,
        ),
      ),
    ),
  );
  const fileRow = el(
    "tr",
    { "data-version": "0" },
    el("td", {}, "0"),
    el("td", {}, el("span", { class: `pill ${detail.current.version === 0 ? "published" : ""}` }, detail.current.version === 0 ? t.published : t.file)),
    el("td", { class: "hide-phone" }, t.none),
    el("td", { class: "small" }, t.fileRow),
    el("td", {}, detail.runningOnFile > 0 ? fill(t.runningOn, { n: detail.runningOnFile }) : t.none),
    el("td", {}, detail.current.version !== 0 ? el("div", { class: "actions" }, button(t.rollbackFile, () => versionAction("rollback", 0), "rollback-0")) : null),
  );

  const numbers = [0, ...detail.versions.map((v) => v.version).sort((a, b) => a - b)];
  const pick = (id: string, selected: number) => el("select", { id }, ...numbers.map((n) => el("option", { value: String(n), selected: n === selected }, n === 0 ? `0 (${t.file})` : String(n))));
  const from = pick("compare-from", detail.current.version);
  const to = pick("compare-to", numbers[numbers.length - 1]!);
  const changes = el("ul", { class: "changes", id: "changes" });
  const compare = button(t.compare, async () => {
    const result = await api<{ changes: FlowChange[] }>("GET", `/console/api/flows/${encodeURIComponent(flowId)}/compare?from=${from.value}&to=${to.value}`);
    if (!result.ok) return say("error", `${t.errorPrefix}: ${result.json.error}`);
    changes.replaceChildren(...(result.json.changes.length === 0 ? [el("li", { class: "muted" }, t.noChanges)] : result.json.changes.map((c) => el("li", { "data-kind": c.kind }, c.text))));
  }, "compare");

  app.replaceChildren(
    el("p", {}, el("a", { href: "/console/flows" }, t.back)),
    el("h1", {}, flowTitle(def), " ", el("code", { class: "step-id" }, def.id)),
    el("p", { class: "muted" }, def.description),
    el("p", { id: "live" }, detail.current.version === 0 ? t.nowFile : fill(t.nowRuns, { v: detail.current.version })),
    ...(detail.editing.version !== detail.current.version ? [el("p", { id: "editing", class: "muted" }, fill(t.editingDraft, { v: detail.editing.version }))] : []),
    message,
    el("section", { class: "card" }, el("h2", {}, t.diagram), diagram(def)),
    el("section", { class: "card" }, el("h2", {}, t.editor), form, el("details", { id: "advanced" }, el("summary", {}, t.advanced), el("p", { class: "muted small" }, t.advancedHint), el("label", { for: "json" }, t.advanced), json, jsonProblems, el("div", { class: "bar" }, saveJson))),
    el(
      "section",
      { class: "card" },
      el("h2", {}, t.versions),
      el(
        "table",
        { id: "versions" },
        el("thead", {}, el("tr", {}, el("th", {}, t.versionCol), el("th", {}, t.state), el("th", { class: "hide-phone" }, t.author), el("th", {}, t.created), el("th", {}, t.running), el("th", {}))),
        el("tbody", {}, ...versionRows, fileRow),
      ),
      el("h2", { class: "small" }, t.changes),
      el("div", { class: "row" }, el("div", {}, el("label", { for: from.id }, t.from), from), el("div", {}, el("label", { for: to.id }, t.to), to), compare),
      changes,
    ),
  );
  if (notice) say("ok", notice);
}

function button(label: string, onClick: () => unknown, id?: string): HTMLButtonElement {
  const b = el("button", { type: "button", id });
  b.textContent = label;
  b.addEventListener("click", () => void onClick());
  return b;
}

void (data.flowId ? showFlow(data.flowId) : showList());
