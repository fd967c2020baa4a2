import type { Lang } from "../../i18n/lang.ts";

/**
 * JSON.parse with the line and column of a syntax error, which is what a person editing a file
 * needs; the engine's own words for the error stay as they are (Node.js speaks only English).
 */
export function parseJson(text: string, lang: Lang = "en"): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    const lineCol = /line (\d+) column (\d+)/.exec(message);
    const position = /position (\d+)/.exec(message);
    let where: { line: number; column: number };
    if (lineCol) where = { line: Number(lineCol[1]), column: Number(lineCol[2]) };
    else where = lineAndColumn(text, position ? Number(position[1]) : text.length);
    const what = message.replace(/\s*(in JSON )?at position \d+.*$/, "").replace(/\s*\(line \d+ column \d+\)/, "");
    const at = lang === "ru" ? `ошибка в JSON: строка ${where.line}, позиция ${where.column}` : `invalid JSON at line ${where.line}, column ${where.column}`;
    return { ok: false, message: `${at}: ${what}` };
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}
