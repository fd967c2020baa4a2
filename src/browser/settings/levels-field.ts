// settings.bonus.levels: the status levels, one row each (name, threshold, accrual, bill share).
import { freshId, h, numberOrText, sub } from "./dom.ts";
import { itemList } from "./item-list.ts";
import type { ItemList } from "./item-list.ts";
import type { Ctx, Field } from "./types.ts";

interface Level {
  id: string;
  name: string;
  nameEn?: string;
  fromRoubles: number | string | null;
  accrualPercent: number | string | null;
  maxBillShare: number | string | null;
}

export function levelsField(ctx: Ctx, root: HTMLElement): Field {
  const { T } = ctx;
  const list: ItemList<Level> = itemList<Level>(ctx, {
    addLabel: T.lvlAdd,
    empty: T.lvlNone,
    onChange: ctx.changed,
    fresh: () => ({ id: freshId("level", list.items().map((i) => i.read().id)), name: "", fromRoubles: 0, accrualPercent: 5, maxBillShare: 0.5 }),
    make(level) {
      const name = h("input", { type: "text", value: level.name, "data-key": "name", "aria-label": T.lvlName });
      const nameEn = h("input", { type: "text", value: level.nameEn ?? "", "data-key": "nameEn", "aria-label": T.lvlNameEn });
      const number = (key: string, value: unknown, label: string) =>
        h("input", { type: "text", inputmode: "decimal", class: "short", value: value === null || value === undefined ? "" : String(value), "data-key": key, "aria-label": label });
      const from = number("fromRoubles", level.fromRoubles, T.lvlFrom);
      const percent = number("accrualPercent", level.accrualPercent, T.lvlPercent);
      const share = number("maxBillShare", level.maxBillShare, T.lvlShare);
      const el = h("div", { class: "reply" }, sub(T.lvlName, name), sub(T.lvlNameEn, nameEn), sub(T.lvlFrom, from), sub(T.lvlPercent, percent), sub(T.lvlShare, share));
      return {
        el,
        read: () => ({
          id: level.id,
          name: name.value.trim(),
          ...(nameEn.value.trim() ? { nameEn: nameEn.value.trim() } : {}),
          fromRoubles: numberOrText(from.value),
          accrualPercent: numberOrText(percent.value),
          maxBillShare: numberOrText(share.value),
        }),
        title: () => name.value.trim() || T.lvlName,
      };
    },
  });
  root.append(list.el);
  return {
    path: root.dataset.path!,
    root,
    set: (v) => list.replace(Array.isArray(v) ? (v as Level[]) : []),
    get: () => list.items().map((i) => i.read()),
  };
}
