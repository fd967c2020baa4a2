// Small HTML pieces the dashboard's sections share: a table of figures, tiles, an empty state.
import { html, type SafeHtml } from "../../web-assets/html.ts";

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

function headText(h: Head, compact: boolean): SafeHtml {
  if (typeof h === "string") return html`${h}`;
  const short = html`<abbr title="${h.full}"${!compact && html` class="short"`}>${h.text}</abbr>`;
  return compact ? short : html`<span class="long">${h.full}</span>${short}`;
}

/** A table of figures; its caption is for screen readers (the card's heading already shows). */
export function table(t: Table): SafeHtml {
  const cells = (row: string[]) => row.map((cell, i) => (i === 0 ? html`<th scope="row">${cell}</th>` : html`<td class="num">${cell}</td>`));
  return html`<div class="scroll"><table><caption class="sr-only">${t.caption}</caption>
<thead><tr>${t.head.map((h, i) => html`<th scope="col"${i !== 0 && html` class="num"`}>${headText(h, t.compact === true)}</th>`)}</tr></thead>
<tbody>${t.rows.map((r) => html`<tr>${cells(r)}</tr>`)}</tbody>${t.foot && html`<tfoot><tr>${cells(t.foot)}</tr></tfoot>`}
</table></div>`;
}

/** A table folded under a summary line, for charts whose labels already carry the numbers. */
export function foldedTable(summary: string, t: Table): SafeHtml {
  return html`<details><summary>${summary}</summary>${table(t)}</details>`;
}

export function tiles(items: { label: string; value: string; tone?: string; testid?: string }[]): SafeHtml {
  return html`<dl class="tiles">${items.map(
    (i) => html`<div class="tile${i.tone && html` ${i.tone}`}"${i.testid && html` data-testid="${i.testid}"`}><dt>${i.label}</dt><dd>${i.value}</dd></div>`,
  )}</dl>`;
}

export function emptyState(text: string): SafeHtml {
  return html`<p class="empty">${text}</p>`;
}

export function section(o: { id: string; title: string; note?: string; wide?: boolean; body: SafeHtml }): SafeHtml {
  return html`<section class="card${o.wide && " wide"}" data-testid="${o.id}" aria-labelledby="${o.id}-title">
<h2 id="${o.id}-title">${o.title}</h2>${o.note && html`<p class="note">${o.note}</p>`}
${o.body}
</section>`;
}
