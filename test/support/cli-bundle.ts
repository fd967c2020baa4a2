import { readFile } from "node:fs/promises";
import { mkdtempSync, rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import type { Plugin } from "esbuild";

/**
 * The command line bundled once per test run: `node <bundle>` starts in a fraction of what
 * `bin/carebot.js` costs, where tsx transpiles the whole import graph again in every process.
 * The bundle is the same sources compiled by esbuild (what tsx uses too); each file keeps its
 * own location (see `keepLocation`) and packages stay external, loaded from node_modules as
 * before. A few tests still spawn the real `bin/carebot.js` (what README documents).
 */
export interface CliBundle {
  /** The bundle's entry: `node <entry> <args>` runs `carebot <args>`. */
  entry: string;
  /** Deletes the bundle's folder. */
  remove(): void;
}

/**
 * Programs the reliability tests start in processes of their own (a bare dispatcher, a SQLite lock
 * holder), bundled beside the command line: `node <dir>/<name>.mjs` instead of `node --import tsx`.
 */
export const CHILD_SCRIPTS = {
  "dispatch-child": "test/reliability/dispatch-child.ts",
  "sqlite-lock-child": "test/reliability/support/sqlite-lock-child.ts",
} as const;
export type ChildScript = keyof typeof CHILD_SCRIPTS;

export async function bundleCli(root: string): Promise<CliBundle> {
  const dir = mkdtempSync(path.join(tmpdir(), "carebot-cli-"));
  try {
    await build({
      // The test's own child programs ride along: they import the same sources, so they share chunks.
      entryPoints: { cli: path.join(root, "src/cli.ts"), ...Object.fromEntries(Object.entries(CHILD_SCRIPTS).map(([name, file]) => [name, path.join(root, file)])) },
      outdir: dir,
      outExtension: { ".js": ".mjs" },
      bundle: true,
      // Each command's module stays a chunk of its own, loaded when that command runs (as src/cli.ts means).
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20",
      logLevel: "silent",
      plugins: [keepLocation(), packagesFromTheirInstall()],
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { entry: path.join(dir, "cli.mjs"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Sources find files beside themselves (migrations, word lists, browser code, the Prisma client's
 * folder) through `import.meta`: in a bundle it would name the bundle, so each file's own URL,
 * path and folder are written in instead. Any other use of `import.meta` stops the build.
 */
function keepLocation(): Plugin {
  return {
    name: "keep-location",
    setup(b) {
      b.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
        const source = await readFile(args.path, "utf8");
        const contents = source
          .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href))
          .replaceAll("import.meta.dirname", JSON.stringify(path.dirname(args.path)))
          .replaceAll("import.meta.filename", JSON.stringify(args.path));
        if (contents.includes("import.meta")) {
          return { errors: [{ text: `${args.path} uses import.meta in a way the test bundle cannot keep (only url, dirname and filename)` }] };
        }
        return { contents, loader: "ts" };
      });
    },
  };
}

/**
 * Packages are left to Node.js, by absolute URL: the bundle lives in a temporary folder where a
 * bare `import "commander"` would find no node_modules. esbuild resolves them as Node.js does
 * (the `import` and `node` conditions), so each package loads the very file it loaded before.
 */
function packagesFromTheirInstall(): Plugin {
  const builtins = new Set(builtinModules);
  return {
    name: "packages-from-their-install",
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData?.resolving) return undefined;
        if (args.path.startsWith("node:") || builtins.has(args.path)) return { path: args.path, external: true };
        const found = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { resolving: true } });
        if (found.errors.length > 0) return { errors: found.errors };
        return { path: pathToFileURL(found.path).href, external: true };
      });
    },
  };
}
