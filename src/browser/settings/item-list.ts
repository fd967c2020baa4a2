// A list of items edited in place (canned replies, reminders, categories, segments, campaigns):
// add, remove and reorder, each item numbered (data-item) so an error can find its row.
import { h } from "./dom.ts";
import type { Ctx } from "./types.ts";

export interface Item<V> {
  el: HTMLElement;
  read(): V;
  /** A short name for errors and buttons: «Сегмент «Студенты»». */
  title(): string;
}

export interface ItemList<V> {
  el: HTMLElement;
  items(): Item<V>[];
  replace(values: V[]): void;
  add(value: V): Item<V>;
}

export function itemList<V>(
  ctx: Ctx,
  o: { addLabel: string; empty?: string; reorder?: boolean; max?: number; make(value: V): Item<V>; fresh(): V; onChange(): void; onRemove?(): void },
): ItemList<V> {
  const { T } = ctx;
  let items: Item<V>[] = [];
  const box = h("div", { class: "items" });
  const empty = o.empty ? h("p", { class: "empty", text: o.empty }) : null;
  const add = h("button", { type: "button", class: "small add", text: `+ ${o.addLabel}` });
  const el = h("div", { class: "item-list" }, box, empty, add);

  const render = () => {
    box.replaceChildren(...items.map((i) => i.el));
    items.forEach((item, n) => {
      item.el.dataset.item = String(n);
      item.el.dataset.title = item.title();
      const up = item.el.querySelector<HTMLButtonElement>(":scope > .item-tools .up");
      const down = item.el.querySelector<HTMLButtonElement>(":scope > .item-tools .down");
      if (up) up.disabled = n === 0;
      if (down) down.disabled = n === items.length - 1;
    });
    if (empty) empty.hidden = items.length > 0;
    add.disabled = o.max !== undefined && items.length >= o.max;
  };

  const wrap = (value: V): Item<V> => {
    const item = o.make(value);
    const move = (by: number) => {
      const i = items.indexOf(item);
      const j = i + by;
      if (j < 0 || j >= items.length) return;
      [items[i], items[j]] = [items[j]!, items[i]!];
      render();
      o.onChange();
    };
    const tools = h(
      "div",
      { class: "item-tools" },
      o.reorder ? h("button", { type: "button", class: "small up", text: "↑", title: T.moveUp, "aria-label": `${T.moveUp}: ${item.title()}` }) : null,
      o.reorder ? h("button", { type: "button", class: "small down", text: "↓", title: T.moveDown, "aria-label": `${T.moveDown}: ${item.title()}` }) : null,
      h("button", { type: "button", class: "small link remove", text: T.remove, "aria-label": `${T.remove}: ${item.title()}` }),
    );
    tools.querySelector(".up")?.addEventListener("click", () => move(-1));
    tools.querySelector(".down")?.addEventListener("click", () => move(1));
    tools.querySelector(".remove")!.addEventListener("click", () => {
      items = items.filter((i) => i !== item);
      render();
      o.onRemove?.();
      o.onChange();
    });
    item.el.prepend(tools);
    item.el.classList.add("item");
    // Titles in buttons and errors follow what is typed.
    item.el.addEventListener("input", () => {
      item.el.dataset.title = item.title();
      for (const b of tools.querySelectorAll("button")) b.setAttribute("aria-label", `${b.title || T.remove}: ${item.title()}`);
    });
    return item;
  };

  add.addEventListener("click", () => {
    const item = wrap(o.fresh());
    items.push(item);
    render();
    o.onChange();
    item.el.querySelector<HTMLElement>("input,textarea,select")?.focus();
  });

  return {
    el,
    items: () => items,
    replace(values) {
      items = values.map(wrap);
      render();
    },
    add(value) {
      const item = wrap(value);
      items.push(item);
      render();
      return item;
    },
  };
}
