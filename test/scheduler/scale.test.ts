// Planning is set-based: the number of statements does not grow with the number of patients.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import type { PlannerKind } from "../../src/scheduler/kinds.ts";
import { clinicHelpers } from "./helpers.ts";

const N = 5000;

describe(`planning ${N} patients, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let h: ReturnType<typeof clinicHelpers>;
  let clinicId: number;
  beforeAll(async () => {
    t = await createMigratedDatabase();
    h = clinicHelpers(t.db);
    clinicId = (await h.clinic({ birthdayWindow: { daysBefore: 0, daysAfter: 0 } })).id;
    const prisma = h.prisma;
    // Everyone has points, a birthday on 15 March and a missed follow-up; every tenth lives in Vladivostok.
    await prisma.patient.createMany({
      data: Array.from({ length: N }, (_, i) => ({
        clinicId,
        externalId: `S-${i}`,
        fullName: `Пациент ${i}`,
        referralCode: `SCALE${i}`,
        birthDate: "1990-03-15",
        birthMonthDay: 315,
        timezone: i % 10 === 0 ? "Asia/Vladivostok" : null,
      })),
    });
    const patients = await prisma.patient.findMany({ where: { clinicId }, select: { id: true }, orderBy: { id: "asc" } });
    await prisma.bonusAccount.createMany({ data: patients.map((p) => ({ clinicId, patientId: p.id, balance: 100 })) });
    await prisma.channelIdentity.createMany({ data: patients.map((p) => ({ clinicId, channel: "telegram" as const, externalChatId: `scale-${p.id}`, patientId: p.id })) });
    await prisma.followUp.createMany({
      data: patients.map((p) => ({ clinicId, patientId: p.id, service: "Осмотр", dueAt: new Date("2026-03-01T07:00:00Z"), missedAt: new Date("2026-03-01T07:00:00Z") })),
    });
  }, 120_000);
  afterAll(() => t.dispose());

  const planCounting = async (kind: PlannerKind, at: string) => {
    const statements: string[] = [];
    const run = await h.plan(clinicId, kind, at, { onStatement: (sql) => statements.push(sql) });
    return { run, statements: statements.length };
  };

  it.each([
    // kind, at, planned, statements (a count and an insert; + the zones' query and a pair per group of zones;
    // + the follow-up bump; + recording the follow-ups too old to nudge), already queued on a second run
    ["balance", "2026-03-15T08:00:00Z", N, 2, N],
    // 23:30 on the 14th in Moscow, the 15th in Vladivostok: two groups of zones, only Vladivostok greeted.
    ["birthday", "2026-03-14T20:30:00Z", N / 10, 5, N / 10],
    // 10:00 in Moscow, 17:00 in Vladivostok: one date, one group; Vladivostok was greeted already.
    ["birthday", "2026-03-15T07:00:00Z", N - N / 10, 3, N],
    // A follow-up just nudged waits for its gap (counted apart), so nothing is "already queued".
    ["followup", "2026-03-15T08:00:00Z", N, 4, 0],
  ] as const)("%s at %s: %i rows in %i statements, and none on a second run", async (kind, at, planned, statements, queued) => {
    const first = await planCounting(kind, at);
    expect(first.run.planned).toBe(planned);
    expect(first.statements).toBe(statements);
    const again = await planCounting(kind, at);
    expect(again.run).toMatchObject({ planned: 0, alreadyQueued: queued });
    if (kind === "followup") expect(again.run.counts.waitingForGap).toBe(N);
    expect(again.statements).toBeLessThanOrEqual(statements);
  });

  it("bumped every follow-up once", async () => {
    expect(await h.prisma.followUp.count({ where: { clinicId, attempts: 1 } })).toBe(N);
  });
});
