// The segment builder: each segment a card of condition rows (the conditions segments support),
// with a live count and five masked patients from the server as the conditions change.
import { counted, debounce, fill, freshId, h, sub } from "./dom.ts";
import { CONDITIONS, conditionOf, rowsOf, rowTexts, rowValue } from "./segment-conditions.ts";
import type { CondId } from "./segment-conditions.ts";
import { itemList } from "./item-list.ts";
import type { ItemList } from "./item-list.ts";
import type { Item } from "./item-list.ts";
import type { Ctx, Field, Problem, ScriptText } from "./types.ts";

export type SegmentValue = Record<string, unknown> & { id: string; title: string };

const label = (T: ScriptText, id: CondId) => T[`cond_${id}`];

interface Row {
  id: CondId;
  el: HTMLElement;
  read(): Record<string, unknown>;
}

function conditionRow(ctx: Ctx, id: CondId, segment: Record<string, unknown>, onRemove: () => void): Row {
  const { T } = ctx;
  const def = conditionOf(id);
  const caption = label(T, id);
  const texts = rowTexts(id, segment);
  const input = (key: string, value: string, attrs: Record<string, string> = {}) => h("input", { type: "text", "data-key": key, "aria-label": caption, value, ...attrs });
  let controls: HTMLElement[];
  let fields: (HTMLInputElement | HTMLSelectElement)[];
  if (def.input === "range") {
    const min = input("ageMin", texts[0]!, { inputmode: "numeric", class: "short", "aria-label": `${caption} ${T.ageFrom}` });
    const max = input("ageMax", texts[1]!, { inputmode: "numeric", class: "short", "aria-label": `${caption} ${T.ageTo}` });
    controls = [h("span", { text: T.ageFrom }), min, h("span", { text: T.ageTo }), max];
    fields = [min, max];
  } else if (def.input === "yesno") {
    const select = h("select", { "data-key": id, "aria-label": caption }, h("option", { value: "true", text: T.openFollowUpYes }), h("option", { value: "false", text: T.openFollowUpNo }));
    select.value = texts[0]!;
    controls = fields = [select];
  } else if (def.input === "list") {
    controls = fields = [input(id, texts[0]!, { placeholder: T.listHint, spellcheck: "false" })];
  } else if (def.input === "date") {
    controls = fields = [input(id, texts[0]!, { type: "date" })];
  } else {
    controls = fields = [input(id, texts[0]!, { inputmode: "numeric", class: "short" })];
  }
  const remove = h("button", { type: "button", class: "small link", text: "×", title: T.remove, "aria-label": `${T.remove}: ${caption}` });
  remove.addEventListener("click", onRemove);
  const el = h("div", { class: "row cond", "data-cond": id }, h("span", { class: "cond-label", text: caption }), ...controls, remove);
  return { id, el, read: () => rowValue(id, fields.map((f) => f.value)) };
}

export interface SegmentsField extends Field {
  /** The segments as they stand in the form: what campaigns choose from and dry-run with. */
  current(): SegmentValue[];
}

export function segmentsField(ctx: Ctx, root: HTMLElement, onSegmentsChanged: () => void): SegmentsField {
  const { T } = ctx;
  const changed = () => {
    ctx.changed();
    onSegmentsChanged();
  };

  const makeCard = (segment: SegmentValue): Item<SegmentValue> => {
    const title = h("input", { type: "text", value: segment.title, "data-key": "title", "aria-label": T.segTitle });
    const id = h("input", { type: "text", value: segment.id, "data-key": "id", "aria-label": T.segId, spellcheck: "false", class: "code" });
    let rows: Row[] = [];
    const rowsBox = h("div", { class: "conds" });
    const none = h("p", { class: "empty", text: T.segNoConditions });
    const adder = h("select", { class: "add-cond", "aria-label": T.segCondAdd });
    const count = h("p", { class: "count", "aria-live": "polite" });
    const leftOut = h("p", { class: "muted" });
    const sample = h("div", { class: "sample-box" });

    const read = (): SegmentValue => Object.assign({ id: id.value.trim(), title: title.value.trim() }, ...rows.map((r) => r.read())) as SegmentValue;
    const renderRows = () => {
      rowsBox.replaceChildren(...rows.map((r) => r.el));
      none.hidden = rows.length > 0;
      const used = new Set(rows.map((r) => r.id));
      adder.replaceChildren(h("option", { value: "", text: T.segCondAdd }), ...CONDITIONS.filter((c) => !used.has(c.id)).map((c) => h("option", { value: c.id, text: label(T, c.id) })));
      adder.hidden = used.size === CONDITIONS.length;
    };
    const addRow = (cond: CondId, values: Record<string, unknown>) => {
      const row: Row = conditionRow(ctx, cond, values, () => {
        rows = rows.filter((r) => r !== row);
        renderRows();
        changed();
        refresh();
      });
      rows.push(row);
    };
    for (const cond of rowsOf(segment)) addRow(cond, segment);
    renderRows();
    adder.addEventListener("change", () => {
      const cond = adder.value as CondId;
      if (!cond) return;
      addRow(cond, {});
      renderRows();
      rows[rows.length - 1]!.el.querySelector<HTMLElement>("input,select")?.focus();
      changed();
      refresh();
    });

    let asked = 0;
    const preview = async () => {
      const n = ++asked;
      count.textContent = T.segCounting;
      const res = await ctx.post("/console/api/settings/segment-preview", { segment: read() }).catch(() => null);
      if (n !== asked) return;
      for (const i of el.querySelectorAll("[aria-invalid]")) i.removeAttribute("aria-invalid");
      leftOut.textContent = "";
      sample.replaceChildren();
      if (!res || res.status !== 200) {
        count.textContent = T.segCountFailed;
        for (const p of (res?.body?.errors ?? []) as Problem[]) {
          const key = p.path.split(".")[1];
          el.querySelector(`[data-key="${key}"]`)?.setAttribute("aria-invalid", "true");
        }
        return;
      }
      const b = res.body as { size: number; optedOut: number; noReachableChat: number; sample: { name: string; phone: string | null; lastVisit: string | null; balance: number }[] };
      count.textContent = fill(T.segCount, { n: b.size, patients: counted(b.size, T.patients, ctx.lang) });
      if (b.optedOut + b.noReachableChat > 0) leftOut.textContent = fill(T.segLeftOut, { optedOut: b.optedOut, noChat: b.noReachableChat });
      if (b.sample.length === 0) {
        sample.append(h("p", { class: "muted", text: T.segNone }));
        return;
      }
      const date = (iso: string | null) => (iso ? new Date(`${iso}T12:00:00Z`).toLocaleDateString(ctx.lang === "ru" ? "ru-RU" : "en-GB", { timeZone: "UTC" }) : T.neverVisited);
      sample.append(
        h(
          "table",
          { class: "sample" },
          h("thead", {}, h("tr", {}, ...[T.colName, T.colPhone, T.colLastVisit, T.colBalance].map((c) => h("th", { text: c })))),
          h("tbody", {}, ...b.sample.map((p) => h("tr", {}, h("td", { text: p.name }), h("td", { text: p.phone ?? "—" }), h("td", { text: date(p.lastVisit) }), h("td", { text: p.balance })))),
        ),
      );
    };
    const refresh = debounce(() => void preview(), 350);

    const el = h(
      "div",
      { class: "segment" },
      h("div", { class: "item-head" }, sub(T.segTitle, title, "grow"), sub(T.segId, id)),
      rowsBox,
      none,
      adder,
      h("div", { class: "outcome" }, count, leftOut, sample),
    );
    el.addEventListener("input", () => {
      onSegmentsChanged();
      refresh();
    });
    el.addEventListener("change", () => refresh());
    void preview();
    return { el, read, title: () => title.value.trim() || id.value.trim() };
  };

  const list: ItemList<SegmentValue> = itemList<SegmentValue>(ctx, {
    addLabel: T.segAdd,
    onChange: changed,
    fresh: () => ({ id: freshId("segment", list.items().map((i) => i.read().id)), title: T.segNew }),
    make: makeCard,
  });
  root.append(list.el);
  return {
    path: root.dataset.path!,
    root,
    set: (v) => list.replace(Array.isArray(v) ? (v as SegmentValue[]) : []),
    get: () => list.items().map((i) => i.read()),
    current: () => list.items().map((i) => i.read()),
  };
}
