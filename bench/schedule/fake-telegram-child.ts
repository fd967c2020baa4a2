// The fake Bot API in a process of its own, as Telegram is: a stall of the benchmark's event loop
// (the dispatcher's) must not bunch up the times the fake records, nor the limit proxy's counts.
// Started by fake-telegram.ts with process.fork; speaks over the IPC channel.
import { fakeUser, startFakeBotApi } from "../../test/support/fake-bot-api/index.ts";
import { startLimitProxy } from "./telegram-limit-proxy.ts";

export type ChildRequest = { type: "report" } | { type: "close" };
export type ChildMessage =
  | { type: "ready"; apiRoot: string }
  | { type: "report"; accepted: number[]; tooManyRequests: number; otherFailures: number; refusedByProxy: number };

const env = (name: string) => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`fake-telegram-child: ${name} is not set`);
  return value;
};

const send = (message: ChildMessage) => process.send!(message);

const api = await startFakeBotApi({ token: env("FAKE_TOKEN") });
const first = Number(env("FAKE_FIRST_CHAT"));
const chats = Number(env("FAKE_CHATS"));
// The fake (like Telegram) only delivers to chats that have written to the bot.
for (let chat = first; chat < first + chats; chat++) api.sendText(fakeUser(chat), "/start");
const proxy = env("FAKE_ENFORCE_LIMIT") === "1" ? await startLimitProxy(api.apiRoot) : null;

process.on("message", async (request: ChildRequest) => {
  if (request.type === "report") {
    const sends = api.calls.filter((call) => call.method === "sendMessage");
    send({
      type: "report",
      accepted: sends.filter((call) => call.status === 200).map((call) => call.at),
      tooManyRequests: sends.filter((call) => call.status === 429).length,
      otherFailures: sends.filter((call) => call.status !== 200 && call.status !== 429).length,
      refusedByProxy: proxy?.refused ?? 0,
    });
  } else {
    await proxy?.close();
    await api.close();
    process.exit(0);
  }
});
send({ type: "ready", apiRoot: proxy?.apiRoot ?? api.apiRoot });
