import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWhatsAppChannel, phoneOfChat } from "../../src/channels/whatsapp/index.ts";
import type { Db } from "../../src/db/client.ts";
import { createLogger } from "../../src/logger.ts";
import { Dispatcher } from "../../src/outbox/dispatcher.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { FakeWhatsAppClient, incoming } from "../channels/whatsapp/fake-client.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient } from "../support/fixtures.ts";
import { createTestRouter } from "../support/runtime.ts";

// WhatsApp's servers are out of reach: the client is a test double with whatsapp-web.js's event
// surface; everything from the channel inwards is real.
describe(`a WhatsApp conversation through the channel, router, outbox and dispatcher, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db)).id;
  });
  afterAll(() => t.dispose());

  it("links the chat by its number, shows options as a numbered list and takes «2» as the second", async () => {
    const clock = new FixedClock("2026-11-23T08:00:00Z");
    const r = createTestRouter(t.db, clock, clinicId);
    const patient = await createPatient(db, clinicId, { phone: "+79161112233", fullName: "Орлова Вера" });
    const client = new FakeWhatsAppClient();
    const channel = createWhatsAppChannel({
      client,
      printQr: false,
      onInbound: async (m) => void (await r.router.handle({ ...m, senderPhone: phoneOfChat(m.chatId) }, { numberedMenu: true })),
    });
    const dispatcher = new Dispatcher({ db: t.db, clock, logger: createLogger({ level: "silent", pretty: false }), senders: { whatsapp: channel.sender }, limits: { whatsapp: { perSecond: 0, perChatIntervalMs: 0 } } });
    await channel.start();
    client.emitReady();
    try {
      const chat = "79161112233@c.us";
      client.emitMessage(incoming({ from: chat, body: "стоп" }));
      await expect.poll(async () => (await db.conversation.count({ where: { identity: { externalChatId: chat } } })), { timeout: 5000 }).toBe(1);
      await dispatcher.drain();
      expect(client.sent.at(-1)!.text).toMatch(/Вы хотите, чтобы мы больше не присылали вам сообщения[\s\S]*\n1\. Да, больше не присылать\n2\. Нет, оставить/);
      const identity = await db.channelIdentity.findFirstOrThrow({ where: { externalChatId: chat } });
      expect(identity).toMatchObject({ channel: "whatsapp", patientId: patient.id });

      client.emitMessage(incoming({ from: chat, body: "2" }));
      await expect.poll(async () => (await r.conversation(chat))?.status, { timeout: 5000 }).toBe("closed");
      await dispatcher.drain();
      expect(client.sent.at(-1)!.text).toContain("всё остаётся как было");
      expect((await db.patient.findUniqueOrThrow({ where: { id: patient.id } })).optedOutAt).toBeNull();
    } finally {
      await channel.stop();
    }
  });
});
