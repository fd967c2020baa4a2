import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";
import { attributeReferral } from "../../src/domain/referrals/attribute.ts";
import { codeFrom, referralLinks } from "../../src/domain/referrals/links.ts";
import { rewardReferral } from "../../src/domain/referrals/reward.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient } from "../support/fixtures.ts";

const rules = parseClinicSettings({}).bonus;
const now = new Date("2026-11-23T08:00:00Z");

describe("referral codes and links", () => {
  it("reads a code typed or linked, in any case", () => {
    expect(codeFrom("ref_abc234")).toBe("ABC234");
    expect(codeFrom(" ABC234 ")).toBe("ABC234");
    expect(codeFrom("hello")).toBeNull();
  });
  it("makes Telegram and MAX deep links and a WhatsApp message", () => {
    const links = referralLinks({ code: "ABC234", telegramBot: "@clinic_bot", maxBot: "clinic_max_bot", clinicPhone: "+7 (495) 123-45-67", text: "Код ABC234" });
    expect(links.telegram).toBe("https://t.me/clinic_bot?start=ref_ABC234");
    expect(links.max).toBe("https://max.ru/clinic_max_bot?start=ref_ABC234");
    expect(links.whatsapp).toBe("https://wa.me/74951234567?text=%D0%9A%D0%BE%D0%B4%20ABC234");
    expect(referralLinks({ code: "ABC234", text: "x" })).toEqual({ telegram: null, max: null, whatsapp: null });
  });
});

describe(`referral attribution and its single reward, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db)).id;
  });
  afterAll(() => t.dispose());

  const completeVisit = (patientId: number, externalId: string) =>
    db.visit.create({ data: { clinicId, patientId, externalId, doctor: "Д", service: "С", amount: 100_000, status: "completed", startsAt: now, completedAt: now } });

  it("attributes a new patient once and refuses their own code, old patients and unknown codes", async () => {
    const referrer = await createPatient(db, clinicId);
    const friend = await createPatient(db, clinicId);
    expect(await attributeReferral(db, { clinicId, refereeId: referrer.id, codeText: referrer.referralCode, now })).toEqual({ outcome: "own_code" });
    expect(await attributeReferral(db, { clinicId, refereeId: friend.id, codeText: "ref_ZZZZZZ", now })).toEqual({ outcome: "unknown_code" });
    expect(await attributeReferral(db, { clinicId, refereeId: friend.id, codeText: `ref_${referrer.referralCode.toLowerCase()}`, now })).toEqual({ outcome: "attributed", referrerId: referrer.id });
    expect(await attributeReferral(db, { clinicId, refereeId: friend.id, codeText: referrer.referralCode, now })).toEqual({ outcome: "already_referred" });

    const regular = await createPatient(db, clinicId);
    await completeVisit(regular.id, "R-regular");
    expect(await attributeReferral(db, { clinicId, refereeId: regular.id, codeText: referrer.referralCode, now })).toEqual({ outcome: "already_patient" });
  });

  it("rewards both sides after the referee's first visit, exactly once", async () => {
    const referrer = await createPatient(db, clinicId);
    const friend = await createPatient(db, clinicId);
    await attributeReferral(db, { clinicId, refereeId: friend.id, codeText: referrer.referralCode, now });
    await completeVisit(friend.id, "R-first");
    const first = await db.$transaction((tx) => rewardReferral(tx, { clinicId, refereeId: friend.id, rules, now }));
    expect(first).toMatchObject({ referrerPoints: rules.referrerReward, refereePoints: rules.refereeReward });
    expect(await db.$transaction((tx) => rewardReferral(tx, { clinicId, refereeId: friend.id, rules, now }))).toBeNull();
    const balances = await db.bonusAccount.findMany({ where: { patientId: { in: [referrer.id, friend.id] } }, orderBy: { patientId: "asc" } });
    expect(balances.map((b) => b.balance)).toEqual([rules.referrerReward, rules.refereeReward]);
    expect(await db.referral.findUniqueOrThrow({ where: { refereeId: friend.id } })).toMatchObject({ status: "rewarded", rewardedAt: now });
  });
});
