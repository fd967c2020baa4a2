import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { PassThrough, Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { inject } from "vitest";
import { runCarebot } from "../../src/cli/run.ts";
import type { ChildScript } from "./cli-bundle.ts";

export const ROOT = path.resolve(import.meta.dirname, "../..");
/** What README documents: the bin, which runs src/cli.ts through tsx. */
export const BIN = path.join(ROOT, "bin/carebot.js");

/**
 * How a test runs `carebot`: "inproc" calls src/cli/run.ts's runCarebot in the test's own process,
 * with the environment, stdin and output given to it (no process to start: the CLI tests' default);
 * "bundle" runs this run's esbuild bundle of src/cli.ts (test/support/cli-bundle.ts, made once in
 * global-setup.ts) in a process of its own; "bin" runs bin/carebot.js exactly as a clinic does.
 * The tests about the process itself (the bin, a running service, signals, its exit code) use a process.
 */
export type Via = "inproc" | "bundle" | "bin";
export type ProcessVia = Exclude<Via, "inproc">;

/** The arguments for `node` that run `carebot <args>`. */
export function carebotArgv(args: string[], via: ProcessVia = "bundle"): string[] {
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
 * Environment for a CareBot run: the caller's, without anything that would change its behaviour.
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

/** Runs `carebot <args>` to completion, in this process unless `via` names a process. */
export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000, via: Via = "inproc"): Promise<CliResult> {
  return runCliWithInput(args, "", env, timeoutMs, via);
}

/** Runs `carebot <args>` with `stdin` piped to it (its end is the input's end), to completion. */
export async function runCliWithInput(args: string[], stdin: string, env: Record<string, string> = {}, timeoutMs = 60_000, via: Via = "inproc"): Promise<CliResult> {
  if (via !== "inproc") return runInProcessOfItsOwn(args, stdin, env, timeoutMs, via);
  const session = openCli(args, env, timeoutMs);
  session.end(stdin);
  const code = await session.exited;
  return { code, ...session.output() };
}

/** A text sink standing for stdout or stderr: what was written, as one string. */
class Captured extends Writable {
  text = "";
  private readonly decoder = new StringDecoder("utf8");
  constructor(private readonly onText: () => void = () => {}) {
    super({ decodeStrings: false });
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += typeof chunk === "string" ? chunk : this.decoder.write(chunk);
    this.onText();
    done();
  }
}

/**
 * `carebot <args>` in this process with a pipe for stdin: lines can be written as the output asks for
 * them, and ending stdin ends what reads it (`carebot chat`). `exited` fails if the run takes longer
 * than `timeoutMs` (it cannot be killed: the test fails instead). Relative paths are read from this
 * process's working directory, vitest's root: ROOT, where a spawned `carebot` runs too.
 */
export function openCli(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000) {
  const stdin = new PassThrough();
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const match = stdout.text.match(w.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(match);
      }
    }
  };
  const stdout = new Captured(check);
  const stderr = new Captured();
  const output = () => ({ stdout: stdout.text, stderr: stderr.text });
  let timer: NodeJS.Timeout | undefined;
  const exited = Promise.race([
    runCarebot(args, { env: childEnv(env), stdin, stdout, stderr }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`carebot ${args.join(" ")} did not finish in ${timeoutMs} ms\n${stdout.text}\n${stderr.text}`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
  return {
    write: (line: string) => stdin.write(`${line}\n`),
    end: (rest = "") => stdin.end(rest),
    /** Resolves once stdout matches (fails with the output so far when the run ends first). */
    waitFor: (pattern: RegExp) =>
      Promise.race([
        new Promise<RegExpMatchArray>((resolve) => {
          waiters.push({ pattern, resolve });
          check();
        }),
        exited.then(() => {
          throw new Error(`stdout never matched ${pattern}:\n${stdout.text}\n${stderr.text}`);
        }),
      ]),
    exited,
    output,
  };
}

/** `carebot <args>` in a process of its own, to completion. */
function runInProcessOfItsOwn(args: string[], stdin: string, env: Record<string, string>, timeoutMs: number, via: ProcessVia): Promise<CliResult> {
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
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

/** Starts `carebot start` and resolves once it prints its HTTP address. */
export function startCli(env: Record<string, string>, timeoutMs = 60_000, via: ProcessVia = "bundle"): Promise<{ child: ChildProcess; url: string; output: () => string }> {
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
