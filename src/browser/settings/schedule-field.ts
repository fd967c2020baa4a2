// The schedule picker: «каждый день / каждую неделю (дни) / каждый месяц (число)» at a time,
// compiled to cron; a stored expression the picker cannot say stays editable as text. Under it,
// always, the schedule in words, or what is wrong with it (never a guess).
import { explainCron } from "../../domain/schedules/explain.ts";
import { cronToSchedule, scheduleToCron } from "../../domain/schedules/picker.ts";
import type { PickedSchedule, Weekday } from "../../domain/schedules/picker.ts";
import { h } from "./dom.ts";
import type { Ctx, Field, Problem } from "./types.ts";

type Mode = "day" | "week" | "month" | "custom" | "manual";
const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

export interface ScheduleEditor {
  el: HTMLElement;
  set(cron: string | undefined): void;
  /** The cron expression, or undefined for «только вручную»; a problem of the pick goes to `problems`. */
  get(problems: Problem[], path: string): string | undefined;
}

export function scheduleEditor(ctx: Ctx, o: { name: string; hint: HTMLElement; manual?: boolean; onChange(): void }): ScheduleEditor {
  const { T } = ctx;
  const modes: [Mode, string][] = [
    ...(o.manual ? ([["manual", T.schedManual]] as [Mode, string][]) : []),
    ["day", T.schedDay],
    ["week", T.schedWeek],
    ["month", T.schedMonth],
    ["custom", T.schedCustom],
  ];
  const mode = h("select", { "aria-label": `${o.name}: ${T.schedMode}`, "data-key": "mode" }, ...modes.map(([value, text]) => h("option", { value, text })));
  const short = T.weekdayShort.split(",");
  const long = T.weekdayNames.split(",");
  const boxes = short.map((_, i) => h("input", { type: "checkbox", value: i + 1, "aria-label": `${o.name}: ${long[i]}` }));
  const days = h("span", { class: "days", role: "group" }, ...boxes.map((box, i) => h("label", { title: long[i] }, box, short[i]!)));
  const dom = h("input", { class: "dom", type: "text", inputmode: "numeric", maxlength: 2, "aria-label": `${o.name}: ${T.schedDayOfMonth}`, placeholder: "1" });
  const time = h("input", { class: "time", type: "text", inputmode: "numeric", maxlength: 5, "aria-label": `${o.name}: ${T.schedTime}`, placeholder: "11:00" });
  const cron = h("input", { class: "cron code", type: "text", spellcheck: "false", autocomplete: "off", "aria-label": `${o.name}: ${T.schedCron}`, placeholder: "0 11 1 * *" });
  const el = h("div", { class: "sched" }, mode, days, dom, time, cron);

  const picked = (): PickedSchedule | string => {
    const m = mode.value as Mode;
    if (!TIME.test(time.value.trim())) return T.schedBadTime;
    const at = time.value.trim();
    if (m === "day") return { every: "day", time: at };
    if (m === "week") {
      const weekdays = boxes.filter((b) => b.checked).map((b) => Number(b.value) as Weekday);
      return weekdays.length === 0 ? T.schedPickDay : { every: "week", weekdays, time: at };
    }
    const day = Number(dom.value.trim());
    return /^\d{1,2}$/.test(dom.value.trim()) && day >= 1 && day <= 31 ? { every: "month", day, time: at } : T.schedBadDay;
  };

  const render = () => {
    const m = mode.value as Mode;
    days.hidden = m !== "week";
    dom.hidden = m !== "month";
    time.hidden = m === "custom" || m === "manual";
    cron.hidden = m !== "custom";
    let text: string;
    let bad = false;
    if (m === "manual") text = T.schedManualHint;
    else {
      const pick = m === "custom" ? cron.value : picked();
      const explained = typeof pick === "string" && m !== "custom" ? { ok: false as const, error: pick } : explainCron(typeof pick === "string" ? pick : scheduleToCron(pick), ctx.lang);
      text = explained.ok ? explained.text : explained.error;
      bad = !explained.ok;
    }
    o.hint.textContent = text;
    o.hint.classList.toggle("bad", bad);
  };

  mode.addEventListener("change", () => {
    const m = mode.value as Mode;
    // Entering the picker from text: start from what the text said, or a sensible default.
    if (m !== "custom" && m !== "manual" && !TIME.test(time.value.trim())) time.value = "10:00";
    if (m === "week" && !boxes.some((b) => b.checked)) boxes[0]!.checked = true;
    if (m === "month" && dom.value.trim() === "") dom.value = "1";
    if (m === "custom" && cron.value.trim() === "") {
      const pick = picked();
      cron.value = typeof pick === "string" ? "" : scheduleToCron(pick);
    }
    render();
    o.onChange();
  });
  el.addEventListener("input", () => {
    render();
    o.onChange();
  });

  return {
    el,
    set(value) {
      const expression = value?.trim();
      const pick = expression ? cronToSchedule(expression) : null;
      cron.value = expression ?? "";
      boxes.forEach((b) => (b.checked = false));
      if (!expression && o.manual) mode.value = "manual";
      else if (!pick) mode.value = "custom";
      else {
        mode.value = pick.every;
        time.value = pick.time;
        if (pick.every === "week") for (const d of pick.weekdays) boxes[d - 1]!.checked = true;
        if (pick.every === "month") dom.value = String(pick.day);
      }
      render();
    },
    get(problems, path) {
      const m = mode.value as Mode;
      if (m === "manual") return undefined;
      if (m === "custom") return cron.value.trim();
      const pick = picked();
      if (typeof pick === "string") {
        problems.push({ path, message: pick });
        return cron.value.trim();
      }
      return scheduleToCron(pick);
    },
  };
}

/** A schedule of the settings document (schedules.*): the editor in the field's group. */
export function scheduleField(ctx: Ctx, root: HTMLElement): Field {
  const path = root.dataset.path!;
  const editor = scheduleEditor(ctx, { name: root.dataset.label!, hint: document.getElementById(`h-${root.id}`)!, onChange: ctx.changed });
  root.append(editor.el);
  return { path, root, set: (v) => editor.set(typeof v === "string" ? v : undefined), get: (problems) => editor.get(problems, path) };
}
