import { createServer } from "node:http";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIS_WEBHOOK_KIND } from "../../src/domain/appointments/mis-changes.ts";
import { createLogger } from "../../src/logger.ts";
import { Dispatcher } from "../../src/outbox/dispatcher.ts";
import { misWebhookSignature } from "../../src/outbox/mis-webhook.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic } from "../support/fixtures.ts";

const SECRET = "mis-webhook-test-secret-0123456789";

describe(`the MIS webhook through the outbox, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let server: Server;
  let url = "";
  let clinicId: number;
  /** What the MIS answers next (then 204), and what it received. */
  const answers: number[] = [];
  const received: { body: string; signature: string; delivery: string }[] = [];
  const clock = new FixedClock("2026-12-02T09:00:00Z");

  beforeAll(async () => {
    t = await createMigratedDatabase();
    clinicId = (await createClinic(t.db.prisma)).id;
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        received.push({ body, signature: String(req.headers["x-carebot-signature"]), delivery: String(req.headers["x-carebot-delivery"]) });
        res.writeHead(answers.shift() ?? 204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.dispose();
  });

  const dispatcher = (withWebhook = true) =>
    new Dispatcher({ db: t.db, clinicId, clock, logger: createLogger({ level: "silent", pretty: false }), senders: {}, ...(withWebhook ? { misWebhook: { url, secret: SECRET } } : {}) });
  const change = (key: string) =>
    t.db.prisma.outbox.create({
      data: { clinicId, idempotencyKey: key, kind: MIS_WEBHOOK_KIND, category: "transactional", payload: { event: "appointment.cancelled", appointment: { id: 7, status: "cancelled" } }, dueAt: clock.now() },
    });

  it("signs the body, retries a failing MIS with backoff, and sends once it answers", async () => {
    const row = await change("mis:appointment:7:cancelled");
    answers.push(503);
    await dispatcher().drain();
    expect(await t.db.prisma.outbox.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "pending", attempts: 1, lastError: "the MIS answered 503" });
    // Nothing more until the backoff has passed.
    await dispatcher().drain();
    expect(received).toHaveLength(1);
    clock.advance(60_000);
    await dispatcher().drain();
    expect(await t.db.prisma.outbox.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "sent" });
    expect(received).toHaveLength(2);
    const last = received.at(-1)!;
    expect(JSON.parse(last.body)).toEqual({ event: "appointment.cancelled", appointment: { id: 7, status: "cancelled" } });
    expect(last.signature).toBe(misWebhookSignature(SECRET, last.body));
    expect(last.delivery).toBe("mis:appointment:7:cancelled");
  });

  it("gives up on a change the MIS refuses, and skips changes when no webhook is set", async () => {
    const refused = await change("mis:appointment:8:cancelled");
    answers.push(400);
    await dispatcher().drain();
    expect(await t.db.prisma.outbox.findUniqueOrThrow({ where: { id: refused.id } })).toMatchObject({ status: "dead", lastError: "the MIS answered 400" });
    const unset = await change("mis:appointment:9:cancelled");
    await dispatcher(false).drain();
    expect(await t.db.prisma.outbox.findUniqueOrThrow({ where: { id: unset.id } })).toMatchObject({ status: "skipped", lastError: "MIS_WEBHOOK_URL is not set" });
  });
});
