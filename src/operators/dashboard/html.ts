// Small HTML pieces the dashboard's sections share: a table of figures, tiles, an empty state.
import { escapeHtml } from "../../web-assets/html.ts";

/**
 * A column heading. `full` is the whole word and `text` its short form: a `compact` table (a
 * half-width card) always shows the short form, others only on a phone; the full word stays the
 * abbreviation's title either way.
 */
export type Head = string | { text: string; full: string };

export interface Table {
  caption: string;
  head: Head[];
  /** Cells as text (escaped here); the first column is a row heading, the rest are numbers. */
  rows: string[][];
  foot?: string[];
  compact?: boolean;
}

function headText(h: Head, compact: boolean): string {
  if (typeof h === "string") return escapeHtml(h);
  const short = `<abbr title="${escapeHtml(h.full)}"${compact ? "" : ' class="short"'}>${escapeHtml(h.text)}</abbr>`;
  return compact ? short : `<span class="long">${escapeHtml(h.full)}</span>${short}`;
}

/** A table of figures; its caption is for screen readers (the card's heading already shows). */
export function table(t: Table): string {
  const cells = (row: string[], tag: "td" | "th") =>
    row.map((cell, i) => (i === 0 ? `<th scope="row">${escapeHtml(cell)}</th>` : `<${tag} class="num">${escapeHtml(cell)}</${tag}>`)).join("");
  return `<div class="scroll"><table><caption class="sr-only">${escapeHtml(t.caption)}</caption>
<thead><tr>${t.head.map((h, i) => `<th scope="col"${i === 0 ? "" : ' class="num"'}>${headText(h, t.compact === true)}</th>`).join("")}</tr></thead>
<tbody>${t.rows.map((r) => `<tr>${cells(r, "td")}</tr>`).join("")}</tbody>${t.foot ? `<tfoot><tr>${cells(t.foot, "td")}</tr></tfoot>` : ""}
</table></div>`;
}

/** A table folded under a summary line, for charts whose labels already carry the numbers. */
export function foldedTable(summary: string, t: Table): string {
  return `<details><summary>${escapeHtml(summary)}</summary>${table(t)}</details>`;
}

export function tiles(items: { label: string; value: string; tone?: string; testid?: string }[]): string {
  return `<dl class="tiles">${items
    .map((i) => `<div class="tile${i.tone ? ` ${escapeHtml(i.tone)}` : ""}"${i.testid ? ` data-testid="${escapeHtml(i.testid)}"` : ""}><dt>${escapeHtml(i.label)}</dt><dd>${escapeHtml(i.value)}</dd></div>`)
    .join("")}</dl>`;
}

export function emptyState(text: string): string {
  return `<p class="empty">${escapeHtml(text)}</p>`;
}

export function section(o: { id: string; title: string; note?: string; wide?: boolean; body: string }): string {
  return `<section class="card${o.wide ? " wide" : ""}" data-testid="${escapeHtml(o.id)}" aria-labelledby="${escapeHtml(o.id)}-title">
<h2 id="${escapeHtml(o.id)}-title">${escapeHtml(o.title)}</h2>${o.note ? `<p class="note">${escapeHtml(o.note)}</p>` : ""}
${o.body}
</section>`;
}
