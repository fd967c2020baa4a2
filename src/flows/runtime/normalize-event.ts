import type { InboundEvent, OutboundOption } from "../events.ts";
import type { Facts } from "../registry/types.ts";
import { normalizeWords } from "../../domain/understanding/index.ts";
import { BoundedMap } from "../../util/bounded-map.ts";

// The labels of the buttons shown are few and the same on every message (eleven scores, «Да»,
// «Пропустить»): each is normalized once, not once per option per message.
const labels = new BoundedMap<string, string>(2_000);

function normalizedLabel(label: string): string {
  let words = labels.get(label);
  if (words === undefined) {
    words = normalizeWords(label);
    labels.set(label, words);
  }
  return words;
}

/**
 * A typed answer stands for a button when it names one ("Да" for the option labelled "Да") or,
 * where the channel showed a numbered list, gives its number. A plain number becomes NUMBER
 * (an NPS score typed as "9"), and so does a score in words («на девятку», «10 из 10») where
 * the buttons shown were numbers; anything else stays TEXT.
 */
export function normalizeEvent(event: InboundEvent, shown: OutboundOption[] | null, numberedMenu: boolean, read?: Facts["read"]): InboundEvent {
  if (event.type !== "TEXT") return event;
  const text = event.text.trim();
  if (shown && shown.length > 0) {
    const words = normalizeWords(text);
    const byLabel = shown.find((o) => normalizedLabel(o.label) === words || String(o.value) === words);
    if (byLabel) return optionEvent(byLabel);
    if (numberedMenu && /^\d{1,2}$/.test(text) && shown.every((o) => typeof o.value !== "number")) {
      const picked = shown[Number(text) - 1];
      if (picked) return optionEvent(picked);
    }
  }
  if (/^[+-]?\d{1,9}$/.test(text)) return { type: "NUMBER", value: Number(text) };
  if (read && shown && shown.length > 0 && shown.every((o) => typeof o.value === "number")) {
    const reading = read(text, "nps-score");
    if (reading.intent === "number" && reading.number !== undefined && Number.isInteger(reading.number)) return { type: "NUMBER", value: reading.number };
  }
  return event;
}

function optionEvent(option: OutboundOption): InboundEvent {
  return typeof option.value === "number" ? { type: "NUMBER", value: option.value } : { type: "CHOICE", value: option.value };
}
