import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

/** One import of one file: what it names and whether only types cross it. */
export interface ImportEdge {
  from: string;
  /** A path relative to the repository (`src/…`) for local files, the package name otherwise. */
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")) found.push(path);
  }
  return found;
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`, `node:fs` stays. */
function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

function specifiersOf(file: ts.SourceFile): { specifier: string; typeOnly: boolean }[] {
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((element) => element.isTypeOnly)));
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Every import of every TypeScript file under `srcDir`, read with the compiler's own parser. */
export function importGraph(root: string, srcDir = "src"): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const path of sourceFiles(join(root, srcDir))) {
    const from = relative(root, path);
    const file = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    for (const { specifier, typeOnly } of specifiersOf(file)) {
      const to = specifier.startsWith(".") ? relative(root, resolve(dirname(path), specifier)) : packageName(specifier);
      edges.push({ from, to, typeOnly });
    }
  }
  return edges;
}

/** One name one file takes from a local module (`*` for `import * as`), re-exports included. */
export interface ImportedName {
  from: string;
  to: string;
  name: string;
}

/** Every name taken from a local file (`src/…`) by a file under `srcDir`: what the edges above carry. */
export function importedNames(root: string, srcDir = "src"): ImportedName[] {
  const found: ImportedName[] = [];
  for (const path of sourceFiles(join(root, srcDir))) {
    const from = relative(root, path);
    const file = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    for (const node of file.statements) {
      if (!(ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) || !node.moduleSpecifier || !ts.isStringLiteral(node.moduleSpecifier)) continue;
      if (!node.moduleSpecifier.text.startsWith(".")) continue;
      const to = relative(root, resolve(dirname(path), node.moduleSpecifier.text));
      const bindings = ts.isImportDeclaration(node) ? node.importClause?.namedBindings : node.exportClause;
      // `export * from`, `import * as x`, `export * as x`: every name crosses.
      if (!bindings || ts.isNamespaceImport(bindings) || ts.isNamespaceExport(bindings)) {
        if (ts.isExportDeclaration(node) || bindings) found.push({ from, to, name: "*" });
        continue;
      }
      for (const element of bindings.elements) found.push({ from, to, name: (element.propertyName ?? element.name).text });
    }
  }
  return found;
}

/**
 * The cycles among local files: for every strongly connected group (Tarjan), the shortest way
 * round through each of its members, closed back on its start, without repeats.
 */
export function findCycles(edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    if (!to.startsWith("src/")) continue;
    next.set(from, [...(next.get(from) ?? []), to]);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  let counter = 0;
  const connect = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const target of next.get(node) ?? []) {
      if (!index.has(target)) {
        connect(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      const selfLoop = (next.get(node) ?? []).includes(node);
      if (group.length > 1 || selfLoop) groups.push(group);
    }
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) connect(node);
  const cycles = new Map<string, string[]>();
  for (const group of groups) {
    for (const start of [...group].sort()) {
      const cycle = cyclePath(start, new Set(group), next);
      const key = [...cycle.slice(0, -1)].sort().join(" ");
      if (!cycles.has(key)) cycles.set(key, cycle);
    }
  }
  return [...cycles.values()];
}

/** A shortest way from `start` round its strongly connected group back to it. */
function cyclePath(start: string, members: Set<string>, next: Map<string, string[]>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const target of next.get(node) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [start];
        for (let at = node; at !== start; at = cameFrom.get(at)!) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start, start];
}
