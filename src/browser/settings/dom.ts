// Small DOM helpers for the settings page's forms: elements from a tag and attributes (text goes in
// as textContent, never markup), `{x}` fills, and counted words in Russian and English.

type Child = Node | string | null | undefined | false;

/** h("input", { type: "text", "aria-label": "…" }): attributes; `text` sets textContent, `value` the value. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | number | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === "text") el.textContent = String(value);
    else if (name === "value") (el as HTMLInputElement).value = String(value);
    else if (name === "checked") (el as HTMLInputElement).checked = Boolean(value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) if (child) el.append(child);
  return el;
}

/** A labelled input stacked: the small caption above, the control below. */
export function sub(caption: string, control: HTMLElement, extraClass = ""): HTMLElement {
  return h("label", { class: `sub ${extraClass}`.trim() }, h("span", { text: caption }), control);
}

export const fill = (text: string, values: Record<string, string | number>): string => text.replace(/\{(\w+)\}/g, (_, k: string) => (k in values ? String(values[k]) : ""));

/** "пациент|пациента|пациентов" for n in Russian; "patient|patients" in English. */
export function counted(n: number, forms: string, lang: string): string {
  const [one, few, many] = forms.split("|");
  if (lang !== "ru") return n === 1 ? one! : (few ?? one!);
  const d10 = n % 10;
  const d100 = n % 100;
  return d10 === 1 && d100 !== 11 ? one! : d10 >= 2 && d10 <= 4 && (d100 < 12 || d100 > 14) ? few! : many!;
}

/** A number as typed ("7,5" too); anything else goes to the server as typed, which names the problem. */
export function numberOrText(text: string): number | string | null {
  const s = text.trim().replace(",", ".");
  if (s === "") return null;
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : text.trim();
}

/** Calls `fn` once things have been quiet for `ms` (a live count while someone types). */
export function debounce(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

/** A list of values typed comma-separated. */
export const splitList = (text: string): string[] => text.split(",").map((s) => s.trim()).filter(Boolean);

/** A fresh id not in `taken`: "segment-1", "segment-2", … */
export function freshId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  let n = 1;
  while (used.has(`${prefix}-${n}`)) n++;
  return `${prefix}-${n}`;
}
