/** JSON.parse with the line and column of a syntax error, which is what a person editing a file needs. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
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
    return { ok: false, message: `invalid JSON at line ${where.line}, column ${where.column}: ${what}` };
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}
