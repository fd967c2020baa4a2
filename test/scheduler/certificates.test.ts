// Gift certificates on the scheduler's clock: the daily certificates job writes off what is left
// on a certificate past its expiry (one ledger entry, balance 0) and warns the current holder two
// weeks before, in their chat.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChannelSender } from "../../src/channels/types.ts";
import { claimGift, issueCertificate, spendCertificate, startGift } from "../../src/domain/loyalty/certificates/index.ts";
import { createLogger } from "../../src/logger.ts";
import { Dispatcher } from "../../src/outbox/dispatcher.ts";
import { createScheduler } from "../../src/scheduler/scheduler.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createTestRouter } from "../support/runtime.ts";
import { clinicHelpers } from "./helpers.ts";

const silent = createLogger({ level: "silent", pretty: false });

describe(`the gift certificates job, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let h: ReturnType<typeof clinicHelpers>;
  beforeAll(async () => {
    t = await createMigratedDatabase();
    h = clinicHelpers(t.db);
  });
  afterAll(() => t.dispose());

  const issue = (clinicId: number, ownerPatientId: number | null, amount: number, issuedAt: string, validDays: number, key: string) =>
    t.db.transaction((tx) => issueCertificate(tx, { clinicId, amount, validDays, buyerPatientId: ownerPatientId, ownerPatientId, key, now: new Date(issuedAt) }));

  it("writes off a certificate past its expiry once, dated at the expiry, and refuses it at the desk as before", async () => {
    const clinic = await h.clinic();
    const holder = await h.patient(clinic.id);
    // Issued 1 December 2025 for 3 000 ₽, valid 365 days: it expires at 09:00 UTC on 1 December 2026.
    const { certificate } = await issue(clinic.id, holder.id, 300_000, "2025-12-01T09:00:00Z", 365, "sale-1");
    await t.db.transaction((tx) => spendCertificate(tx, { clinicId: clinic.id, code: certificate.code, amount: 50_000, key: "visit-1", patientId: holder.id, visitExternalId: "V-1", now: new Date("2026-03-01T09:00:00Z") }));
    // Spent in full: nothing to write off.
    const spent = await issue(clinic.id, holder.id, 100_000, "2025-12-01T09:00:00Z", 365, "sale-2");
    await t.db.transaction((tx) => spendCertificate(tx, { clinicId: clinic.id, code: spent.certificate.code, amount: 100_000, key: "visit-2", patientId: holder.id, visitExternalId: "V-2", now: new Date("2026-03-01T09:00:00Z") }));

    const clock = new FixedClock("2026-12-01T08:59:00Z");
    const test = createTestRouter(t.db, clock, clinic.id);
    const scheduler = await createScheduler({ db: t.db, clinic, flows: test.flows, router: test.router, logger: silent }, { clock });
    // A minute before its expiry: still valid, nothing written.
    expect((await scheduler.runSlot("certificates")).counts).toMatchObject({ certificatesExpired: 0, certificateKopecksExpired: 0 });

    clock.set("2026-12-02T09:00:00Z");
    const run = await scheduler.runSlot("certificates");
    expect(run).toMatchObject({ status: "done", error: null });
    expect(run.counts).toMatchObject({ certificatesExpired: 1, certificateKopecksExpired: 250_000 });
    const row = await h.prisma.giftCertificate.findUniqueOrThrow({ where: { id: certificate.id } });
    expect(row.balance).toBe(0);
    const ledger = await h.prisma.giftCertificateEntry.findMany({ where: { certificateId: certificate.id }, orderBy: { id: "asc" } });
    expect(ledger.map((e) => [e.kind, e.amount])).toEqual([["issue", 300_000], ["spend", -50_000], ["expiry", -250_000]]);
    expect(ledger[2]).toMatchObject({ sourceKey: `cert:expiry:${certificate.id}`, patientId: holder.id, createdAt: new Date("2026-12-01T09:00:00Z") });
    // The ledger adds up to the balance.
    expect(ledger.reduce((sum, e) => sum + e.amount, 0)).toBe(0);
    expect(await h.prisma.giftCertificateEntry.count({ where: { certificateId: spent.certificate.id, kind: "expiry" } })).toBe(0);

    // The next day's run (and a replay of any) finds nothing more.
    clock.set("2026-12-03T09:00:00Z");
    expect((await scheduler.runSlot("certificates")).counts).toMatchObject({ certificatesExpired: 0 });
    expect(await h.prisma.giftCertificateEntry.count({ where: { clinicId: clinic.id, kind: "expiry" } })).toBe(1);
    await expect(
      t.db.transaction((tx) => spendCertificate(tx, { clinicId: clinic.id, code: certificate.code, amount: 100, key: "visit-3", patientId: holder.id, visitExternalId: "V-3", now: clock.now() })),
    ).rejects.toMatchObject({ reason: "expired" });
    await scheduler.stop();
  });

  it("warns the certificate's current holder two weeks before it expires, in their chat, once", async () => {
    const clinic = await h.clinic();
    const buyer = await h.patient(clinic.id);
    const friend = await h.patient(clinic.id);
    await h.prisma.patient.update({ where: { id: friend.id }, data: { firstName: "Ольга" } });
    // Expires at 09:00 UTC (12:00 in Moscow) on 15 December 2026.
    const { certificate } = await issue(clinic.id, buyer.id, 250_000, "2025-12-15T09:00:00Z", 365, "sale-gift");
    // A certificate expiring the next day and one spent in full on the same day are not announced yet / at all.
    await issue(clinic.id, buyer.id, 100_000, "2025-12-16T09:00:00Z", 365, "sale-later");
    const empty = await issue(clinic.id, buyer.id, 100_000, "2025-12-15T10:00:00Z", 365, "sale-empty");
    await t.db.transaction((tx) => spendCertificate(tx, { clinicId: clinic.id, code: empty.certificate.code, amount: 100_000, key: "v-empty", patientId: buyer.id, visitExternalId: null, now: new Date("2026-06-01T09:00:00Z") }));
    // The buyer gave it to a friend: the friend holds it now.
    const gift = await t.db.transaction((tx) => startGift(tx, { clinicId: clinic.id, certificateId: certificate.id, ownerPatientId: buyer.id, now: new Date("2026-06-01T09:00:00Z") }));
    const claimed = await t.db.transaction((tx) => claimGift(tx, { clinicId: clinic.id, token: gift!.token, patientId: friend.id, now: new Date("2026-06-02T09:00:00Z") }));
    expect(claimed.outcome).toBe("claimed");

    // 12:00 on 1 December in Moscow: the day announced is 15 December.
    const clock = new FixedClock("2026-12-01T09:00:00Z");
    const test = createTestRouter(t.db, clock, clinic.id);
    const sent: { chatId: string; text: string }[] = [];
    const sender: ChannelSender = { channel: "telegram", send: async (chatId, message) => (sent.push({ chatId, text: message.text }), { ok: true }) };
    const dispatcher = new Dispatcher({
      db: t.db,
      clock,
      logger: silent,
      senders: { telegram: sender },
      limits: { telegram: { perSecond: 0, perChatIntervalMs: 0 } },
      startFlow: (identityId, flowId, options) => test.router.startFlow(identityId, flowId, options),
    });
    const scheduler = await createScheduler({ db: t.db, clinic, flows: test.flows, router: test.router, logger: silent }, { clock });
    const run = await scheduler.runSlot("certificates");
    expect(run).toMatchObject({ status: "done", planned: 1, counts: { flow: "certificate-expiry", certificatesExpired: 0 } });
    const key = `cert-expiry:2026-12-15:${certificate.id}`;
    const row = await h.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: key } });
    expect(row).toMatchObject({ patientId: friend.id, category: "marketing", payload: { startFlow: "certificate-expiry", context: { certificateId: certificate.id, code: claimed.certificate!.code, balance: 250_000 } } });

    await dispatcher.drain();
    expect((await h.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: key } })).status).toBe("sent");
    const friendChat = await h.prisma.channelIdentity.findFirstOrThrow({ where: { patientId: friend.id } });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.chatId).toBe(friendChat.externalChatId);
    expect(sent[0]!.text.replace(/[\u00a0\u202f]/g, " ")).toBe(
      `Ольга, здравствуйте! Напоминаем о вашем подарочном сертификате ${claimed.certificate!.code}: на нём осталось 2 500 ₽, а срок его действия заканчивается 15 декабря 2026. Им можно оплатить любую услугу клиники — назовите код администратору. Будем рады вас видеть!`,
    );

    // Later that day: nothing twice.
    clock.set("2026-12-01T15:00:00Z");
    expect(await scheduler.runSlot("certificates")).toMatchObject({ planned: 0, alreadyQueued: 1 });
    await scheduler.stop();
  });
});
