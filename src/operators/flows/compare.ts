// What changed between two versions of a flow, as a manager reads it: texts, buttons, timers,
// triggers, on/off and steps — not a JSON dump.
import { parseDelay } from "../../flows/definition/duration.ts";
import type { FlowDefinition, NamedRef } from "../../flows/definition/schema.ts";
import type { TemplateStore } from "../../flows/templates/index.ts";
import type { ConsoleLang } from "../i18n.ts";
import { FLOWS_TEXT } from "./page-text.ts";
import { REMINDER_TEXT } from "../dashboard/texts.ts";
import { stepTitle } from "./step-title.ts";

export interface FlowChange {
  /** Which part changed, for grouping and styling. */
  kind: "flow" | "text" | "button" | "timer" | "trigger" | "step";
  /** The step it concerns, if any. */
  state: string | null;
  text: string;
}

type Option = { value: string | number; label?: string; text?: string };
const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const T = {
  ru: {
    on: "Сценарий включён", off: "Сценарий выключен", description: "Описание", added: "Добавлен шаг", removed: "Удалён шаг",
    text: "текст", ru: "рус.", en: "англ.", buttonAdded: "новая кнопка", buttonRemoved: "убрана кнопка", buttonRenamed: "кнопка переименована",
    leadsTo: "ведёт к шагу", timerAdded: "новый таймер", timerRemoved: "убран таймер", timerChanged: "таймер", triggerAdded: "Добавлен запуск", triggerRemoved: "Убран запуск",
    transitions: "изменены переходы", step: "Шаг", after: "через", none: "—",
    day: ["день", "дня", "дней"], hour: ["час", "часа", "часов"], minute: ["минуту", "минуты", "минут"],
    command: "команда", keyword: "слово", scheduled: "по расписанию", menu: "пункт меню",
  },
  en: {
    on: "The flow is on", off: "The flow is off", description: "Description", added: "New step", removed: "Removed step",
    text: "text", ru: "ru", en: "en", buttonAdded: "new button", buttonRemoved: "removed button", buttonRenamed: "button renamed",
    leadsTo: "leads to step", timerAdded: "new timer", timerRemoved: "removed timer", timerChanged: "timer", triggerAdded: "New trigger", triggerRemoved: "Removed trigger",
    transitions: "transitions changed", step: "Step", after: "after", none: "—",
    day: ["day", "days", "days"], hour: ["hour", "hours", "hours"], minute: ["minute", "minutes", "minutes"],
    command: "command", keyword: "keyword", scheduled: "scheduled", menu: "menu entry",
  },
} as const;

function plural(n: number, forms: readonly [string, string, string], lang: ConsoleLang): string {
  if (lang === "en") return n === 1 ? forms[0] : forms[1];
  const mod10 = n % 10;
  const mod100 = n % 100;
  return mod10 === 1 && mod100 !== 11 ? forms[0] : mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14) ? forms[1] : forms[2];
}

/** "через 2 дня" / "after 3 hours" for a flow's `after` key. */
export function describeDelay(key: string, lang: ConsoleLang): string {
  const ms = parseDelay(key);
  if (ms === null) return key;
  const t = T[lang];
  const [n, forms] = ms % 86_400_000 === 0 ? [ms / 86_400_000, t.day] : ms % 3_600_000 === 0 ? [ms / 3_600_000, t.hour] : [Math.round(ms / 60_000), t.minute];
  return `${t.after} ${n} ${plural(n, forms, lang)}`;
}

/** The say/ask-like actions of a state's entry: a text and, maybe, buttons. */
function messagesOf(def: FlowDefinition, state: string): { template: string; options: Option[] }[] {
  return asArray<NamedRef>(def.states[state]?.entry)
    .map((a) => (a.params ?? {}) as { template?: unknown; options?: unknown })
    .filter((p): p is { template: string; options?: unknown } => typeof p.template === "string")
    .map((p) => ({ template: p.template, options: Array.isArray(p.options) ? (p.options as Option[]) : [] }));
}

function textOf(def: FlowDefinition, templates: TemplateStore, key: string, locale: "ru" | "en"): string {
  return def.texts?.[key]?.[locale] ?? templates.template(key, locale)?.source.trimEnd() ?? "";
}

function labelOf(def: FlowDefinition, templates: TemplateStore, option: Option, locale: "ru" | "en"): string {
  return option.text ?? (option.label ? textOf(def, templates, option.label, locale) : String(option.value));
}

/** Where a button's value leads in a state: the target of the CHOICE transition guarded by it. */
function targetOf(def: FlowDefinition, state: string, value: string | number): string | null {
  for (const t of asArray(def.states[state]?.on?.CHOICE as unknown as ({ guard?: NamedRef; target?: string } | string)[] | undefined)) {
    if (typeof t === "object" && t.guard?.type === "optionIs") {
      const v = (t.guard.params as { value?: unknown } | undefined)?.value;
      if (v === value || (Array.isArray(v) && v.includes(value))) return t.target ?? null;
    }
  }
  return null;
}

const quote = (s: string) => `«${s.length > 160 ? `${s.slice(0, 160)}…` : s}»`;

/** A template's text as a patient reads it (rendered for a sample patient), for naming steps by their question. */
export type SampleText = (def: FlowDefinition, template: string) => string;

export function compareFlows(from: FlowDefinition, to: FlowDefinition, templates: TemplateStore, lang: ConsoleLang, sample?: SampleText): FlowChange[] {
  const t = T[lang];
  // Without samples, a text's source with its {{…}} left out is enough to name a step.
  const say: SampleText = sample ?? ((def, key) => textOf(def, templates, key, lang).replace(/\{\{else\}\}[\s\S]*?\{\{\/\w+\}\}|\{\{[^}]*\}\}/g, ""));
  const titleIn = (def: FlowDefinition, state: string) => stepTitle(def, state, (key) => say(def, key), FLOWS_TEXT[lang], 60);
  const changes: FlowChange[] = [];
  const add = (kind: FlowChange["kind"], state: string | null, text: string) => changes.push({ kind, state, text });

  if ((from.enabled !== false) !== (to.enabled !== false)) add("flow", null, to.enabled === false ? t.off : t.on);
  if (from.description !== to.description) add("flow", null, `${t.description}: ${quote(from.description)} → ${quote(to.description)}`);

  const triggers = (def: FlowDefinition) =>
    new Set([
      ...def.triggers.commands.map((c) => `${t.command} ${c}`),
      ...def.triggers.keywords.map((k) => `${t.keyword} «${k}»`),
      ...def.triggers.scheduled.map((s) => `${t.scheduled}: ${(REMINDER_TEXT[lang] as Record<string, string>)[s] ?? s}`),
      ...(def.triggers.menu ? [`${t.menu}`] : []),
    ]);
  const before = triggers(from);
  const after = triggers(to);
  for (const x of after) if (!before.has(x)) add("trigger", null, `${t.triggerAdded}: ${x}`);
  for (const x of before) if (!after.has(x)) add("trigger", null, `${t.triggerRemoved}: ${x}`);

  const states = [...new Set([...Object.keys(from.states), ...Object.keys(to.states)])];
  for (const state of states) {
    const a = from.states[state];
    const b = to.states[state];
    const step = `${t.step} «${titleIn(b ? to : from, state)}»`;
    if (!a) {
      add("step", state, `${t.added} «${titleIn(to, state)}»`);
      continue;
    }
    if (!b) {
      add("step", state, `${t.removed} «${titleIn(from, state)}»`);
      continue;
    }
    const ma = messagesOf(from, state);
    const mb = messagesOf(to, state);
    mb.forEach((message, i) => {
      const old = ma[i];
      for (const locale of ["ru", "en"] as const) {
        const was = old ? textOf(from, templates, old.template, locale) : "";
        const now = textOf(to, templates, message.template, locale);
        if (was !== now) add("text", state, `${step}, ${t.text} (${t[locale]}): ${quote(was || t.none)} → ${quote(now)}`);
      }
      const oldOptions = old?.options ?? [];
      for (const option of message.options) {
        const prior = oldOptions.find((o) => o.value === option.value);
        const label = labelOf(to, templates, option, "ru");
        if (!prior) {
          const target = targetOf(to, state, option.value);
          add("button", state, `${step}: ${t.buttonAdded} ${quote(label)}${target ? `, ${t.leadsTo} «${to.states[target] ? titleIn(to, target) : target}»` : ""}`);
        } else if (labelOf(from, templates, prior, "ru") !== label || labelOf(from, templates, prior, "en") !== labelOf(to, templates, option, "en")) {
          add("button", state, `${step}: ${t.buttonRenamed} ${quote(labelOf(from, templates, prior, "ru"))} → ${quote(label)}`);
        }
      }
      for (const option of oldOptions) {
        if (!message.options.some((o) => o.value === option.value)) add("button", state, `${step}: ${t.buttonRemoved} ${quote(labelOf(from, templates, option, "ru"))}`);
      }
    });

    const timers = (s: typeof a) => Object.entries(s.after ?? {}).map(([delay, tr]) => ({ delay, target: typeof tr === "string" ? tr : JSON.stringify(tr) }));
    const ta = timers(a);
    const tb = timers(b);
    if (ta.length === 1 && tb.length === 1 && ta[0]!.delay !== tb[0]!.delay) {
      add("timer", state, `${step}: ${t.timerChanged} ${describeDelay(ta[0]!.delay, lang)} → ${describeDelay(tb[0]!.delay, lang)}`);
    } else {
      for (const x of tb) if (!ta.some((y) => y.delay === x.delay)) add("timer", state, `${step}: ${t.timerAdded} ${describeDelay(x.delay, lang)}`);
      for (const x of ta) if (!tb.some((y) => y.delay === x.delay)) add("timer", state, `${step}: ${t.timerRemoved} ${describeDelay(x.delay, lang)}`);
    }
    const movesOf = (s: typeof a) => JSON.stringify([s.on ?? {}, Object.values(s.after ?? {}), s.always ?? null]);
    const buttonsOnly = changes.some((c) => c.state === state && c.kind === "button");
    if (movesOf(a) !== movesOf(b) && !buttonsOnly && !changes.some((c) => c.state === state && c.kind === "timer")) add("step", state, `${step}: ${t.transitions}`);
  }
  return changes;
}
