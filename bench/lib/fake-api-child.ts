// The fake Bot API in a process of its own for the inbound benchmark, as Telegram is: its HTTP
// server, JSON and update queue no longer share the measured process's CPU (client CPU per
// message is the bot's alone) nor its event loop. Started by fake-api-process.ts; speaks over IPC.
import { startFakeBotApi } from "../../test/support/fake-bot-api/index.ts";
import type { FakeUser } from "../../test/support/fake-bot-api/state.ts";

export type FeedRequest =
  | { type: "text"; user: FakeUser; text: string }
  | { type: "command"; user: FakeUser; command: string }
  | { type: "update"; raw: object }
  | { type: "calls" }
  | { type: "close" };
export type FeedMessage = { type: "ready"; apiRoot: string } | { type: "calls"; lines: string[] };

const token = process.env.FAKE_TOKEN;
if (!token) throw new Error("fake-api-child: FAKE_TOKEN is not set");
const api = await startFakeBotApi({ token });
const send = (message: FeedMessage) => process.send!(message);

process.on("message", async (request: FeedRequest) => {
  switch (request.type) {
    case "text":
      api.sendText(request.user, request.text);
      break;
    case "command":
      api.sendCommand(request.user, request.command);
      break;
    case "update":
      api.pushUpdate(request.raw);
      break;
    case "calls":
      send({ type: "calls", lines: api.calls.slice(0, 8).map((c) => `${c.method} ${c.status} ${JSON.stringify(c.body).slice(0, 150)} → ${JSON.stringify(c.response).slice(0, 300)}`) });
      break;
    case "close":
      await api.close();
      process.exit(0);
  }
});
send({ type: "ready", apiRoot: api.apiRoot });
