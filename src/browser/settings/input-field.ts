// A plain input of the settings form: its text ↔ the document's value, by kind.
import type { InputKind } from "../../operators/settings/fields.ts";
import { numberOrText, splitList } from "./dom.ts";
import type { Field } from "./types.ts";

export function inputField(el: HTMLInputElement): Field {
  const kind = el.dataset.kind as InputKind;
  return {
    path: el.dataset.path!,
    root: el,
    set(value) {
      if (kind === "yes-no") el.checked = value === true;
      else if (value === undefined || value === null) el.value = "";
      else if (kind === "list-text" || kind === "list-number") el.value = Array.isArray(value) ? value.join(", ") : String(value);
      else el.value = String(value);
    },
    get() {
      if (kind === "yes-no") return el.checked;
      const text = el.value;
      switch (kind) {
        case "number":
          return numberOrText(text);
        case "optional-text":
          return text.trim() === "" ? undefined : text.trim();
        case "list-text":
          return splitList(text);
        case "list-number":
          return text.split(/[,;\s]+/).filter(Boolean).map(numberOrText);
        default:
          return text.trim();
      }
    },
  };
}
