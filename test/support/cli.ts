import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { inject } from "vitest";
import type { ChildScript } from "./cli-bundle.ts";

export const ROOT = path.resolve(import.meta.dirname, "../..");
/** What README documents: the bin, which runs src/cli.ts through tsx. */
export const BIN = path.join(ROOT, "bin/carebot.js");

/**
 * How a test starts `carebot`: "bundle" runs this run's esbuild bundle of src/cli.ts
 * (test/support/cli-bundle.ts, made once in global-setup.ts), which starts without tsx
 * transpiling the import graph again; "bin" runs bin/carebot.js exactly as a clinic does.
 */
export type Via = "bundle" | "bin";

/** The arguments for `node` that run `carebot <args>`. */
export function carebotArgv(args: string[], via: Via = "bundle"): string[] {
  const bundle = via === "bundle" ? inject("cliBundle") : undefined;
  return [bundle ?? BIN, ...args];
}

/** The arguments for `node` that run one of the tests' child programs, from this run's bundle. */
export function childScriptArgv(name: ChildScript): string[] {
  return [path.join(path.dirname(inject("cliBundle")), `${name}.mjs`)];
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The bundled command line's entry (test/support/cli-bundle.ts). */
    cliBundle: string;
  }
}

/**
 * Environment for a child CareBot: the caller's, without anything that would change its behaviour.
 * Its output is English unless a test asks for Russian (CAREBOT_LANG=ru or --lang ru), whatever
 * the machine's LANG says.
 */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _d, PORT: _p, HOST: _h, CAREBOT_LANG: _l, ...rest } = process.env;
  return { ...rest, LOG_LEVEL: "warn", CAREBOT_LANG: "en", ...extra };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `carebot <args>` in a process of its own, to completion. */
export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000, via: Via = "bundle"): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, carebotArgv(args, via), { cwd: ROOT, env: childEnv(env) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`carebot ${args.join(" ")} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts `carebot start` and resolves once it prints its HTTP address. */
export function startCli(env: Record<string, string>, timeoutMs = 60_000, via: Via = "bundle"): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, carebotArgv(["start"], via), { cwd: ROOT, env: childEnv(env) });
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`carebot start printed no address in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d;
      const match = /HTTP\s+(http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => out });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`carebot start exited with ${code}:\n${out}`));
    });
  });
}

export function waitForExit(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", (code) => resolve(code))));
}
