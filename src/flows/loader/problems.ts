/** A problem in a clinic's file, printed as `file: path.inside: what is wrong`. */
export interface Problem {
  file: string;
  path?: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  return p.path ? `${p.file}: ${p.path}: ${p.message}` : `${p.file}: ${p.message}`;
}

/** ["states", "ask", "entry", 0, "type"] → "states.ask.entry[0].type" */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
}
