// A loopback fake of the MAX Bot API for tests (see server.ts).
export { startFakeMaxApi } from "./server.ts";
export type { FakeMaxApi, FakeMaxApiOptions } from "./server.ts";
export { fakeMaxUser } from "./state.ts";
export type { FakeMaxUser, MaxApiCall, MaxCallbackAnswer, MaxFault, MaxSentMessage, MaxSubscription } from "./state.ts";
