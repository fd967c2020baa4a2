// Starts the fake Bot API (and, when asked, Telegram's limit in front of it) in a child process.
import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import type { ChildMessage, ChildRequest } from "./fake-telegram-child.ts";

type Report = Extract<ChildMessage, { type: "report" }>;

export interface FakeTelegram {
  readonly apiRoot: string;
  /** What the fake recorded: accepted sendMessage times (ms since the epoch) and failures. */
  report(): Promise<Report>;
  close(): Promise<void>;
}

function next(child: ChildProcess, type: ChildMessage["type"]): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildMessage) => {
      if (message.type !== type) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(message);
    };
    const onExit = (code: number | null) => reject(new Error(`the fake Bot API process exited (code ${code}) before "${type}"`));
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

export async function startFakeTelegram(options: { token: string; firstChat: number; chats: number; enforceLimit: boolean }): Promise<FakeTelegram> {
  const child = fork(path.join(import.meta.dirname, "fake-telegram-child.ts"), [], {
    execArgv: ["--import", "tsx"],
    env: {
      ...process.env,
      FAKE_TOKEN: options.token,
      FAKE_FIRST_CHAT: String(options.firstChat),
      FAKE_CHATS: String(options.chats),
      FAKE_ENFORCE_LIMIT: options.enforceLimit ? "1" : "0",
    },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = (await next(child, "ready")) as Extract<ChildMessage, { type: "ready" }>;
  const request = (message: ChildRequest) => child.send(message);
  return {
    apiRoot: ready.apiRoot,
    report: async () => {
      const answer = next(child, "report");
      request({ type: "report" });
      return (await answer) as Report;
    },
    close: async () => {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      request({ type: "close" });
      await exited;
    },
  };
}
