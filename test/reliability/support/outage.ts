// Making the database unavailable for a while, the way each provider allows from outside:
// PostgreSQL behind a TCP proxy that is cut and restored; SQLite held by another process's
// exclusive lock longer than CareBot's busy timeout.
import { spawn } from "node:child_process";
import type { DatabaseConfig } from "../../../src/config.ts";
import { childScriptArgv, ROOT } from "../../support/cli.ts";
import { startTcpProxy } from "../../support/tcp-proxy.ts";
import type { TcpProxy } from "../../support/tcp-proxy.ts";

export interface Outage {
  /** The DATABASE_URL CareBot must use so the outage reaches it. */
  readonly url: string;
  /** Makes the database unavailable for about `ms`; resolves once it is unavailable. */
  begin(ms: number): Promise<void>;
  /** Resolves when the database is back. */
  end(): Promise<void>;
  close(): Promise<void>;
}

export async function prepareOutage(config: DatabaseConfig): Promise<Outage> {
  if (config.provider === "postgresql") return proxyOutage(config.url, await startTcpProxyFor(config.url));
  return lockOutage(config);
}

async function startTcpProxyFor(url: string): Promise<TcpProxy> {
  const u = new URL(url);
  return startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
}

function proxyOutage(url: string, proxy: TcpProxy): Outage {
  let timer: NodeJS.Timeout | undefined;
  let back: Promise<void> = Promise.resolve();
  return {
    url: proxy.via(url),
    begin: async (ms) => {
      proxy.cut();
      back = new Promise((resolve) => {
        timer = setTimeout(() => {
          proxy.restore();
          resolve();
        }, ms);
      });
    },
    end: () => back,
    close: async () => {
      clearTimeout(timer);
      await proxy.close();
    },
  };
}

function lockOutage(config: DatabaseConfig): Outage {
  let back: Promise<void> = Promise.resolve();
  return {
    url: config.url,
    begin: (ms) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, childScriptArgv("sqlite-lock-child"), {
          cwd: ROOT,
          env: { ...process.env, DB_FILE: config.file!, HOLD_MS: String(ms) },
          stdio: ["ignore", "pipe", "inherit"],
        });
        back = new Promise((done) => child.once("exit", () => done()));
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d;
          if (out.includes("locked")) resolve();
        });
        child.once("exit", (code) => {
          if (!out.includes("locked")) reject(new Error(`the SQLite lock holder exited with ${code} before locking`));
        });
      }),
    end: () => back,
    close: async () => {
      await back;
    },
  };
}
