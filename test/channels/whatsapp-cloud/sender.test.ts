import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCloudSender, createGraphApi } from "../../../src/channels/whatsapp-cloud/index.ts";
import { silentLogger } from "../../../src/channels/logger.ts";
import type { OutboundMessage } from "../../../src/channels/types.ts";
import { FixedClock } from "../../../src/util/clock.ts";
import { startFakeGraphApi } from "../../support/fake-graph-api/index.ts";
import type { FakeGraphApi } from "../../support/fake-graph-api/index.ts";

const CLOUD = { token: "EAAG-fake-cloud-token-0123456789", phoneNumberId: "109876543210", appSecret: "fake-app-secret-0123456789abcdef" };
const CHAT = "79161112233@c.us";
const reminder = (template = true): OutboundMessage => ({
  text: "Вера, напоминаем о визите завтра в 15:00.",
  options: [{ value: "confirm", label: "Подтверждаю" }],
  whatsapp: { kind: "visit.reminder", ...(template && { template: { name: "visit_reminder", language: "ru", params: ["Вера", "3 декабря в 15:00"] } }) },
});

// The sender against the loopback fake Graph API over HTTP: what goes out, and what each refusal becomes.
describe("the Cloud API sender and WhatsApp's 24-hour window", () => {
  const clock = new FixedClock("2026-12-02T09:00:00Z");
  let graph: FakeGraphApi;
  let send: ReturnType<typeof createCloudSender>;
  const hoursAgo = (h: number) => new Date(clock.now().getTime() - h * 3_600_000);
  beforeAll(async () => {
    graph = await startFakeGraphApi({ ...CLOUD, now: () => clock.now() });
    send = createCloudSender(createGraphApi({ graphUrl: graph.graphUrl, token: CLOUD.token, phoneNumberId: CLOUD.phoneNumberId }), clock, silentLogger);
  });
  afterAll(() => graph.close());

  it("inside the window the message goes as it is, with its wamid", async () => {
    graph.setLastInbound("79161112233", hoursAgo(23));
    const result = await send(CHAT, reminder(), { lastInboundAt: hoursAgo(23) });
    expect(result).toEqual({ ok: true, externalMessageId: graph.sent.at(-1)!.id });
    expect(graph.sent.at(-1)).toMatchObject({ to: "79161112233", type: "interactive" });
  });

  it("outside it the clinic's template goes; without one nothing goes and the reason names the kind", async () => {
    const count = graph.sent.length;
    expect(await send(CHAT, reminder(), { lastInboundAt: hoursAgo(25) })).toMatchObject({ ok: true });
    expect(graph.sent.at(-1)).toMatchObject({ type: "template", body: { template: { name: "visit_reminder" } } });
    const none = await send(CHAT, reminder(false), { lastInboundAt: null });
    expect(none).toEqual({
      ok: false,
      reason: "window_closed",
      permanent: true,
      error: 'outside WhatsApp\'s 24-hour window (the patient last wrote never), and settings.whatsappTemplates has no template for "visit.reminder"',
    });
    expect(graph.sent.length).toBe(count + 1);
  });

  it("when Graph says the window closed (131047) although CareBot thought it open, the template goes instead", async () => {
    graph.setLastInbound("79160000001", hoursAgo(30)); // Graph's record: long ago
    const result = await send("79160000001@c.us", reminder(), { lastInboundAt: hoursAgo(1) });
    expect(result).toMatchObject({ ok: true });
    expect(graph.answers.at(-2)).toEqual({ status: 400, code: 131047 });
    expect(graph.sent.at(-1)).toMatchObject({ to: "79160000001", type: "template" });
  });

  it("Graph's errors become the dispatcher's decisions", async () => {
    const inside = { lastInboundAt: hoursAgo(1) };
    graph.rateLimitNext();
    expect(await send(CHAT, reminder(), inside)).toMatchObject({ ok: false, reason: "rate_limited", permanent: false, retryAfterMs: 5000 });
    graph.failNext({ code: 131026, message: "Message undeliverable" });
    expect(await send(CHAT, reminder(), inside)).toMatchObject({ ok: false, reason: "blocked", permanent: true, error: expect.stringContaining("131026") });
    graph.failNext({ code: 131051, message: "Unsupported message type" });
    expect(await send(CHAT, reminder(), inside)).toMatchObject({ ok: false, reason: "bad_request", permanent: true });
    graph.failNext({ code: 131000, status: 500, message: "Something went wrong" });
    expect(await send(CHAT, reminder(), inside)).toMatchObject({ ok: false, reason: "server", permanent: false });
    graph.failNext({ code: 100, message: "Invalid parameter" });
    expect(await send(CHAT, reminder(), inside)).toMatchObject({ ok: false, reason: "bad_request", permanent: true });
    expect(await send("not-a-number", reminder(), inside)).toMatchObject({ ok: false, reason: "bad_request", permanent: true });
    const wrongToken = createCloudSender(createGraphApi({ graphUrl: graph.graphUrl, token: "EAAG-someone-elses-token-000", phoneNumberId: CLOUD.phoneNumberId }), clock, silentLogger);
    expect(await wrongToken(CHAT, reminder(), inside)).toMatchObject({ ok: false, reason: "server", permanent: false, error: expect.stringContaining("190") });
    const away = createCloudSender(createGraphApi({ graphUrl: "http://127.0.0.1:1/v21.0", token: CLOUD.token, phoneNumberId: CLOUD.phoneNumberId }), clock, silentLogger);
    expect(await away(CHAT, reminder(), inside)).toMatchObject({ ok: false, reason: "network", permanent: false, error: expect.stringMatching(/^TypeError: fetch failed \(.+\)$/) });
  });
});
