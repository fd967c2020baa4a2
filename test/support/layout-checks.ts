// Layout checks a browser test runs at 1280 and 390 px: what a person would see as cut off.
import type { Page } from "playwright-core";

/** Tables (in a `.scroll` box) wider than their box: a column hidden behind a sideways scroll. */
export function cutTables(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll(".scroll"))
      .filter((box) => box.scrollWidth > box.clientWidth + 1)
      .map((box) => `${box.querySelector("caption")?.textContent}: ${box.scrollWidth} > ${box.clientWidth}`),
  );
}

/**
 * The console's top bar: every shown piece (the clinic's name, the sections, the operator, logout)
 * whole, and the bar no wider than the page. Returns what is cut.
 */
export function clippedHeader(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const header = document.querySelector("header.top") as HTMLElement | null;
    if (!header) return ["no header.top"];
    const cut: string[] = [];
    if (header.scrollWidth > document.documentElement.clientWidth) cut.push(`the bar is ${header.scrollWidth}px wide`);
    for (const el of Array.from(header.querySelectorAll<HTMLElement>(".brand,.clinic,nav a,.me,.end a,.end button"))) {
      if (el.offsetParent === null) continue; // hidden on this width on purpose
      if (el.scrollWidth > el.clientWidth + 1) cut.push(`«${el.textContent?.trim()}» cut to ${el.clientWidth}px of ${el.scrollWidth}px`);
      const box = el.getBoundingClientRect();
      if (box.right > document.documentElement.clientWidth + 1) cut.push(`«${el.textContent?.trim()}» runs off the page`);
    }
    return cut;
  });
}
