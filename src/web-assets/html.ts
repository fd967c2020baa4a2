// HTML built from tagged templates that escape every interpolated value by default, so a patient's
// name or a clinic's text can never become markup. Trusted markup (another `html` result) passes
// through unchanged; `raw()` marks the rare string that is already safe HTML.

/** A piece of HTML that is safe to put into a page as it is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Marks markup the caller built and vouches for (a constant, or output of a renderer that escapes). */
export const raw = (markup: string): SafeHtml => new SafeHtml(markup);

type Interpolated = SafeHtml | string | number | boolean | null | undefined | readonly Interpolated[];

function piece(value: Interpolated): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(piece).join("");
  return escapeHtml(String(value));
}

/** `html\`<p>${name}</p>\`` → SafeHtml with `name` escaped; arrays are joined, null/false/undefined vanish. */
export function html(strings: TemplateStringsArray, ...values: Interpolated[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += piece(value) + (strings[i + 1] ?? "");
  });
  return new SafeHtml(out);
}

/**
 * A page's data for its script, as JSON in a non-executed script element. "<" is escaped so no
 * value can close the element; the browser side reads it with `readPageData()` (src/browser/lib).
 */
export const pageData = (data: unknown): SafeHtml =>
  raw(`<script type="application/json" id="page-data">${JSON.stringify(data).replace(/</g, "\\u003c")}</script>`);
