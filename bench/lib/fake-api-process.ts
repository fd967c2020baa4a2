// Starts the fake Bot API in a child process (fake-api-child.ts) and feeds it updates over IPC,
// in order, as the in-process fake's sendText / sendCommand / pushUpdate would.
import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import type { FakeUser } from "../../test/support/fake-bot-api/state.ts";
import type { FeedMessage, FeedRequest } from "./fake-api-child.ts";

export interface FakeApiProcess {
  readonly token: string;
  readonly apiRoot: string;
  sendText(user: FakeUser, text: string): void;
  sendCommand(user: FakeUser, command: string): void;
  pushUpdate(raw: object): void;
  /** The first Bot API calls the fake saw, one line each (for an error message). */
  firstCalls(): Promise<string[]>;
  close(): Promise<void>;
}

function next<T extends FeedMessage["type"]>(child: ChildProcess, type: T): Promise<Extract<FeedMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FeedMessage) => {
      if (message.type !== type) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(message as Extract<FeedMessage, { type: T }>);
    };
    const onExit = (code: number | null) => reject(new Error(`the fake Bot API process exited (code ${code}) before "${type}"`));
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

export async function startFakeApiProcess(token: string): Promise<FakeApiProcess> {
  const child = fork(path.join(import.meta.dirname, "fake-api-child.ts"), [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, FAKE_TOKEN: token },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const { apiRoot } = await next(child, "ready");
  const request = (message: FeedRequest) => void child.send(message);
  return {
    token,
    apiRoot,
    sendText: (user, text) => request({ type: "text", user, text }),
    sendCommand: (user, command) => request({ type: "command", user, command }),
    pushUpdate: (raw) => request({ type: "update", raw }),
    firstCalls: async () => {
      const answer = next(child, "calls");
      request({ type: "calls" });
      return (await answer).lines;
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      request({ type: "close" });
      await exited;
    },
  };
}
