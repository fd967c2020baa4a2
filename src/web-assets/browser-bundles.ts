// Browser code is TypeScript in src/browser/<page>.ts, type-checked with the rest of the project.
// esbuild bundles each page once per process (milliseconds, on first use) into one IIFE; pages load
// it from /assets/<page>.js with their CSP nonce, so no inline script text is ever needed.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { raw, type SafeHtml } from "./html.ts";

const BROWSER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../browser");

export interface BrowserBundle {
  name: string;
  code: string;
  /** Content hash: the URL changes when the code does, so the file can be cached for good. */
  hash: string;
}

/** The page names that have a bundle: every src/browser/<name>.ts (lib/ holds shared modules). */
export function browserPageNames(): string[] {
  return fs
    .readdirSync(BROWSER_DIR)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => f.slice(0, -3))
    .sort();
}

const bundles = new Map<string, Promise<BrowserBundle>>();

/** The bundle of one page, built on first use and kept for the life of the process. */
export function browserBundle(name: string): Promise<BrowserBundle> {
  if (!/^[a-z][a-z0-9-]*$/.test(name) || !browserPageNames().includes(name)) {
    return Promise.reject(new Error(`no browser page named "${name}" in src/browser`));
  }
  let pending = bundles.get(name);
  if (!pending) {
    pending = buildBundle(name);
    // A failed build is not cached: the next request tries again (and reports the error again).
    pending.catch(() => bundles.delete(name));
    bundles.set(name, pending);
  }
  return pending;
}

async function buildBundle(name: string): Promise<BrowserBundle> {
  const result = await build({
    entryPoints: [path.join(BROWSER_DIR, `${name}.ts`)],
    bundle: true,
    write: false,
    format: "iife",
    target: "es2020",
    platform: "browser",
    minify: true,
    legalComments: "none",
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.text ?? "";
  return { name, code, hash: createHash("sha256").update(code).digest("hex").slice(0, 12) };
}

/** The tag a page puts at the end of <body>: its bundle, allowed by the response's CSP nonce. */
export async function pageScript(name: string, nonce: string): Promise<SafeHtml> {
  const bundle = await browserBundle(name);
  return raw(`<script nonce="${nonce}" src="/assets/${bundle.name}.js?v=${bundle.hash}"></script>`);
}
