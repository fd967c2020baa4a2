// Public surface of the fake Telegram Bot API used by CareBot's tests.
export { startFakeBotApi } from "./server.ts";
export type { FakeBotApi, FakeBotApiOptions, FaultSpec } from "./server.ts";
export { fakeUser } from "./state.ts";
export type { ApiCall, CallbackAnswer, FakeUser, ReplyMarkup, SentMessage, WebhookConfig, WebhookDelivery } from "./state.ts";
export type { ContactInput } from "./users.ts";
