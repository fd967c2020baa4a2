// Small server-side SVG charts. Horizontal positions are percentages of the chart's width and
// sizes are pixels, so a chart fills a laptop's card or a phone's screen with text that stays
// at its real size instead of shrinking with a viewBox. Colours come from CSS classes (the
// page's nonce'd style), never from inline style, which the console's CSP forbids.
import { html, type SafeHtml } from "../../web-assets/html.ts";

export interface Column {
  /** Under the column (a month, a score). */
  label: string;
  /** A second, quieter line under the label (a count). */
  sublabel?: string;
  /** null draws no column (no data), only the labels. */
  value: number | null;
  /** Written above a positive column, below a negative one. */
  valueLabel: string;
  /** CSS class of the column (its colour). */
  tone: string;
  /** The column's tooltip. */
  hint: string;
}

const pct = (n: number) => `${Math.round(n * 1000) / 1000}%`;

/** Vertical columns between `min` and `max` (a zero line when the range spans it). */
export function columnChart(o: { title: string; columns: Column[]; min: number; max: number; plotHeight?: number }): SafeHtml {
  const plot = o.plotHeight ?? 150;
  const pad = 16; // room for a value label above the highest / below the lowest column
  const top = pad;
  const span = o.max - o.min || 1;
  const y = (v: number) => top + ((o.max - v) / span) * plot;
  const zero = y(Math.min(Math.max(0, o.min), o.max));
  const labelsTop = top + plot + pad + 14;
  const height = labelsTop + (o.columns.some((c) => c.sublabel) ? 16 : 0) + 4;
  const slot = 100 / o.columns.length;
  const parts = o.columns.map((c, i) => {
    const center = pct((i + 0.5) * slot);
    const labels = html`<text class="axis" x="${center}" y="${labelsTop}" text-anchor="middle">${c.label}</text>${
      c.sublabel && html`<text class="sub" x="${center}" y="${labelsTop + 15}" text-anchor="middle">${c.sublabel}</text>`
    }`;
    if (c.value === null) return html`<g>${labels}</g>`;
    const end = y(Math.min(Math.max(c.value, o.min), o.max));
    const barTop = Math.min(end, zero);
    const barHeight = Math.max(Math.abs(zero - end), 1.5);
    const valueY = c.value >= 0 ? barTop - 4 : barTop + barHeight + 12;
    return html`<g><title>${c.hint}</title><rect class="${c.tone}" x="${pct((i + 0.18) * slot)}" y="${barTop.toFixed(1)}" width="${pct(slot * 0.64)}" height="${barHeight.toFixed(1)}" rx="2"></rect><text class="value" x="${center}" y="${valueY.toFixed(1)}" text-anchor="middle">${c.valueLabel}</text>${labels}</g>`;
  });
  const guides = [o.max, o.min].map((v) => html`<line class="guide" x1="0" x2="100%" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"></line>`);
  const zeroLine = html`<line class="zero" x1="0" x2="100%" y1="${zero.toFixed(1)}" y2="${zero.toFixed(1)}"></line>`;
  return html`<svg class="chart" width="100%" height="${Math.ceil(height)}" role="img" aria-label="${o.title}"><title>${o.title}</title>${guides}${zeroLine}${parts}</svg>`;
}

export interface Bar {
  label: string;
  value: number;
  /** Written at the right end of the label's line. */
  valueLabel: string;
  tone: string;
  hint: string;
}

/**
 * Horizontal bars, one per row: the label and the value on a line, the bar under them. With a
 * negative `min` the bars grow left or right of a zero mark.
 */
export function barChart(o: { title: string; bars: Bar[]; min: number; max: number }): SafeHtml {
  const row = 36;
  const span = o.max - o.min || 1;
  const x = (v: number) => ((Math.min(Math.max(v, o.min), o.max) - o.min) / span) * 100;
  const zero = x(Math.min(Math.max(0, o.min), o.max));
  const parts = o.bars.map((b, i) => {
    const base = i * row;
    const end = x(b.value);
    const left = Math.min(zero, end);
    const width = Math.max(Math.abs(end - zero), 0.4);
    return html`<g><title>${b.hint}</title><text class="label" x="0" y="${base + 13}">${b.label}</text><text class="value" x="100%" y="${base + 13}" text-anchor="end">${b.valueLabel}</text><rect class="track" x="0" y="${base + 19}" width="100%" height="11" rx="3"></rect><rect class="${b.tone}" x="${pct(left)}" y="${base + 19}" width="${pct(width)}" height="11" rx="3"></rect>${
      o.min < 0 && html`<line class="zero" x1="${pct(zero)}" x2="${pct(zero)}" y1="${base + 16}" y2="${base + 33}"></line>`
    }</g>`;
  });
  return html`<svg class="chart bars" width="100%" height="${o.bars.length * row}" role="img" aria-label="${o.title}"><title>${o.title}</title>${parts}</svg>`;
}

/** A label cut to `max` characters with an ellipsis, for a line that must not run into its value. */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
