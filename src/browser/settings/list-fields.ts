// The settings that are lists or tables, as forms: canned replies (title + text), visit reminder
// offsets, the working week, and per-category accrual percentages.
import { freshId, h, numberOrText, sub } from "./dom.ts";
import { itemList } from "./item-list.ts";
import type { ItemList } from "./item-list.ts";
import type { Ctx, Field } from "./types.ts";

interface Reply {
  id: string;
  title: string;
  text: string;
}

export function cannedRepliesField(ctx: Ctx, root: HTMLElement): Field {
  const { T } = ctx;
  const list: ItemList<Reply> = itemList<Reply>(ctx, {
    addLabel: T.replyAdd,
    empty: T.replyNone,
    reorder: true,
    onChange: ctx.changed,
    fresh: () => ({ id: freshId("reply", list.items().map((i) => i.read().id)), title: "", text: "" }),
    make(reply) {
      const title = h("input", { type: "text", value: reply.title, "data-key": "title", "aria-label": T.replyTitle });
      const text = h("textarea", { rows: 3, "data-key": "text", "aria-label": T.replyText });
      text.value = reply.text;
      const el = h("div", { class: "reply" }, sub(T.replyTitle, title), sub(T.replyText, text));
      return { el, read: () => ({ id: reply.id, title: title.value.trim(), text: text.value }), title: () => title.value.trim() || T.replyTitle };
    },
  });
  root.append(list.el);
  return {
    path: root.dataset.path!,
    root,
    set: (v) => list.replace(Array.isArray(v) ? (v as Reply[]) : []),
    get: () => list.items().map((i) => i.read()),
  };
}

interface WaTemplate {
  kind: string;
  name: string;
  language: string;
  params: string[];
}

/** settings.whatsappTemplates (message kind → template), edited as a list of rows. */
export function whatsappTemplatesField(ctx: Ctx, root: HTMLElement): Field {
  const { T } = ctx;
  const list: ItemList<WaTemplate> = itemList<WaTemplate>(ctx, {
    addLabel: T.waAdd,
    empty: T.waNone,
    onChange: ctx.changed,
    fresh: () => ({ kind: "", name: "", language: "ru", params: [] }),
    make(t) {
      const kind = h("input", { type: "text", value: t.kind, "data-key": "kind", "aria-label": T.waKind, placeholder: "visit.reminder" });
      const name = h("input", { type: "text", value: t.name, "data-key": "name", "aria-label": T.waName, placeholder: "visit_reminder" });
      const language = h("input", { type: "text", class: "short", value: t.language, "data-key": "language", "aria-label": T.waLanguage });
      const params = h("textarea", { rows: 3, "data-key": "params", "aria-label": T.waParams });
      params.value = t.params.join("\n");
      const el = h("div", { class: "reply" }, sub(T.waKind, kind), sub(T.waName, name), sub(T.waLanguage, language), sub(T.waParams, params));
      return {
        el,
        read: () => ({ kind: kind.value.trim(), name: name.value.trim(), language: language.value.trim(), params: params.value.split("\n").map((p) => p.trim()).filter(Boolean) }),
        title: () => kind.value.trim() || T.waKind,
      };
    },
  });
  root.append(list.el);
  return {
    path: root.dataset.path!,
    root,
    set: (v) =>
      list.replace(
        v && typeof v === "object" && !Array.isArray(v)
          ? Object.entries(v as Record<string, Omit<WaTemplate, "kind">>).map(([kind, t]) => ({ kind, name: t.name ?? "", language: t.language ?? "ru", params: Array.isArray(t.params) ? t.params : [] }))
          : [],
      ),
    get: (problems) => {
      const out: Record<string, Omit<WaTemplate, "kind">> = {};
      for (const item of list.items()) {
        const { kind, ...t } = item.read();
        if (!kind && !t.name && t.params.length === 0) continue; // an untouched new row
        if (!kind) problems.push({ path: root.dataset.path!, message: T.waKindMissing });
        else out[kind] = t;
      }
      return out;
    },
  };
}

type Offset = { daysBefore: unknown; at: unknown } | { hoursBefore: unknown };

export function reminderOffsetsField(ctx: Ctx, root: HTMLElement): Field {
  const { T } = ctx;
  const list = itemList<Offset>(ctx, {
    addLabel: T.offAdd,
    max: 4,
    onChange: ctx.changed,
    fresh: () => ({ hoursBefore: 2 }),
    make(offset) {
      const byDays = "daysBefore" in offset;
      const kind = h("select", { "aria-label": T.offKind }, h("option", { value: "days", text: T.offDaysKind }), h("option", { value: "hours", text: T.offHoursKind }));
      kind.value = byDays ? "days" : "hours";
      const days = h("input", { type: "text", inputmode: "numeric", class: "short", "data-key": "daysBefore", value: byDays ? String(offset.daysBefore) : "1", "aria-label": T.offDays });
      const at = h("input", { type: "text", inputmode: "numeric", class: "short", maxlength: 5, "data-key": "at", value: byDays ? String(offset.at) : "12:00", "aria-label": T.offAt });
      const hours = h("input", { type: "text", inputmode: "numeric", class: "short", "data-key": "hoursBefore", value: byDays ? "2" : String(offset.hoursBefore), "aria-label": T.offHours });
      const daysPart = h("span", { class: "row" }, sub(T.offDays, days), sub(T.offAt, at));
      const hoursPart = sub(T.offHours, hours);
      const show = () => {
        daysPart.hidden = kind.value !== "days";
        hoursPart.hidden = kind.value !== "hours";
      };
      kind.addEventListener("change", () => {
        show();
        ctx.changed();
      });
      show();
      const el = h("div", { class: "row" }, sub(T.offKind, kind), daysPart, hoursPart);
      return {
        el,
        read: () => (kind.value === "days" ? { daysBefore: numberOrText(days.value), at: at.value.trim() } : { hoursBefore: numberOrText(hours.value) }),
        title: () => (kind.value === "days" ? `${days.value} · ${at.value}` : `${hours.value}`),
      };
    },
  });
  root.append(list.el);
  return {
    path: root.dataset.path!,
    root,
    set: (v) => list.replace(Array.isArray(v) ? (v as Offset[]) : []),
    get: () => list.items().map((i) => i.read()),
  };
}

const WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

export function weekHoursField(ctx: Ctx, root: HTMLElement): Field {
  const { T } = ctx;
  const names = T.weekdayNames.split(",");
  const rows = WEEK.map((day, i) => {
    const working = h("input", { type: "checkbox", "aria-label": `${names[i]}: ${T.weekWorking}` });
    const start = h("input", { type: "text", inputmode: "numeric", maxlength: 5, class: "short", "data-key": "start", "aria-label": `${names[i]}: ${T.weekFrom}` });
    const end = h("input", { type: "text", inputmode: "numeric", maxlength: 5, class: "short", "data-key": "end", "aria-label": `${names[i]}: ${T.weekTo}` });
    const hours = h("span", { class: "row hours" }, h("span", { text: T.weekFrom }), start, h("span", { text: T.weekTo }), end);
    const show = () => (hours.hidden = !working.checked);
    working.addEventListener("change", () => {
      if (working.checked && !start.value) [start.value, end.value] = ["09:00", "20:00"];
      show();
      ctx.changed();
    });
    const el = h("div", { class: "row day", "data-item": day, "data-title": names[i]! }, h("span", { class: "day-name", text: names[i]! }), h("label", { class: "check" }, working, T.weekWorking), hours);
    return {
      el,
      set(v: unknown) {
        const dayHours = v && typeof v === "object" ? (v as { start?: string; end?: string }) : null;
        working.checked = dayHours !== null;
        start.value = dayHours?.start ?? "";
        end.value = dayHours?.end ?? "";
        show();
      },
      get: () => (working.checked ? { start: start.value.trim(), end: end.value.trim() } : null),
    };
  });
  root.append(h("div", { class: "week" }, ...rows.map((r) => r.el)));
  return {
    path: root.dataset.path!,
    root,
    set(v) {
      const week = (v && typeof v === "object" ? v : {}) as Record<string, unknown>;
      WEEK.forEach((day, i) => rows[i]!.set(week[day] ?? null));
    },
    get: () => Object.fromEntries(WEEK.map((day, i) => [day, rows[i]!.get()])),
  };
}

export function categoryPercentField(ctx: Ctx, root: HTMLElement): Field {
  const { T } = ctx;
  const list = itemList<[string, unknown]>(ctx, {
    addLabel: T.catAdd,
    onChange: ctx.changed,
    fresh: () => ["", 10],
    make([name, percent]) {
      const category = h("input", { type: "text", value: name, "aria-label": T.catName, spellcheck: "false" });
      const value = h("input", { type: "text", inputmode: "decimal", class: "short", value: String(percent), "aria-label": T.catPercent });
      const el = h("div", { class: "row" }, sub(T.catName, category), sub(T.catPercent, value));
      return { el, read: () => [category.value.trim(), numberOrText(value.value)], title: () => category.value.trim() || T.catName };
    },
  });
  root.append(list.el);
  return {
    path: root.dataset.path!,
    root,
    set: (v) => list.replace(Object.entries(v && typeof v === "object" ? (v as Record<string, unknown>) : {})),
    get: () => Object.fromEntries(list.items().map((i) => i.read()).filter(([name]) => name !== "")),
  };
}
