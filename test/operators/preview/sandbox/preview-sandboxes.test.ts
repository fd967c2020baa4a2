import { existsSync, readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PreviewSandboxes } from "../../../../src/operators/preview/sandbox/preview-sandboxes.ts";
import { loadConfig } from "../../../../src/config.ts";
import { createCareBot } from "../../../../src/core.ts";
import type { CareBot } from "../../../../src/core.ts";
import type { Db } from "../../../../src/db/client.ts";
import { createLogger } from "../../../../src/logger.ts";
import { FixedClock } from "../../../../src/util/clock.ts";
import { ROOT } from "../../../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../../../support/db.ts";
import type { MigratedDatabase } from "../../../support/db.ts";
import { createClinic, createPatient } from "../../../support/fixtures.ts";

describe(`preview sandboxes over a clinic on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let carebot: CareBot;
  let sandboxes: PreviewSandboxes;
  const ids: number[] = [];
  let stranger = 0;
  const clock = new FixedClock("2026-11-23T08:00:00Z");
  const files = () => readdirSync(sandboxes.folder).filter((f) => f.endsWith(".db") && f !== "template.db");

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    const clinic = await createClinic(db);
    for (const fullName of ["Петрова Анна Сергеевна", "Иванов Борис Петрович", "Смирнова Екатерина Александровна"]) {
      ids.push((await createPatient(db, clinic.id, { fullName, balance: 100 })).id);
    }
    stranger = (await createPatient(db, (await createClinic(db)).id, { fullName: "Петров Чужой" })).id;
    carebot = await createCareBot(loadConfig({ DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug }, ROOT), t.db, { clock, logger: createLogger({ level: "silent", pretty: false }) });
    sandboxes = new PreviewSandboxes(carebot, { limit: 2 });
  });
  afterAll(async () => {
    await sandboxes?.close();
    await t?.dispose();
  });

  it("gives each patient a database of their own holding only them and the clinic", async () => {
    const [anna, boris] = [await sandboxes.open(ids[0]!), await sandboxes.open(ids[1]!)];
    expect(anna.db).not.toBe(boris.db);
    expect(anna.db).not.toBe(carebot.db);
    expect(anna.db.provider).toBe("sqlite");
    expect(await anna.db.prisma.patient.findMany({ select: { id: true } })).toEqual([{ id: ids[0] }]);
    expect(await anna.db.prisma.clinic.findMany({ select: { id: true, name: true } })).toEqual([{ id: carebot.clinic.id, name: carebot.clinic.name }]);
    expect(await anna.db.prisma.bonusAccount.findMany({ select: { patientId: true, balance: true } })).toEqual([{ patientId: ids[0], balance: 100 }]);
    expect(anna.router).not.toBe(carebot.router);
    expect(anna.clock).toBe(carebot.clock);
    expect(files()).toHaveLength(2);
  });

  it("opening again copies the patient's facts afresh, over what the sandbox changed", async () => {
    const anna = await sandboxes.open(ids[0]!);
    await anna.db.prisma.bonusAccount.update({ where: { patientId: ids[0]! }, data: { balance: 600 } });
    await db.patient.update({ where: { id: ids[0]! }, data: { fullName: "Петрова Анна Викторовна" } });
    const again = await sandboxes.open(ids[0]!);
    expect(again).toBe(anna);
    expect(await again.db.prisma.patient.findUniqueOrThrow({ where: { id: ids[0]! }, select: { fullName: true } })).toEqual({ fullName: "Петрова Анна Викторовна" });
    expect((await again.db.prisma.bonusAccount.findUniqueOrThrow({ where: { patientId: ids[0]! } })).balance).toBe(100);
    expect((await db.bonusAccount.findUniqueOrThrow({ where: { patientId: ids[0]! } })).balance).toBe(100);
  });

  it("closes the longest unused sandbox beyond its limit and deletes its file", async () => {
    await sandboxes.find(ids[0]!); // Anna used last: Boris is the longest unused
    await sandboxes.open(ids[2]!);
    expect(await sandboxes.find(ids[1]!)).toBeNull();
    expect(await sandboxes.find(ids[0]!)).not.toBeNull();
    expect(await sandboxes.find(ids[2]!)).not.toBeNull();
    expect(files()).toHaveLength(2);
  });

  it("renews a sandbox as a new database, the old one gone", async () => {
    const before = await sandboxes.find(ids[0]!);
    await before!.db.prisma.bonusAccount.update({ where: { patientId: ids[0]! }, data: { balance: 9 } });
    const renewed = await sandboxes.renew(ids[0]!);
    expect(renewed).not.toBe(before);
    expect((await renewed.db.prisma.bonusAccount.findUniqueOrThrow({ where: { patientId: ids[0]! } })).balance).toBe(100);
    expect(files()).toHaveLength(2);
  });

  it("refuses a patient of another clinic and keeps nothing of the attempt", async () => {
    await expect(sandboxes.open(stranger)).rejects.toThrow();
    expect(await sandboxes.find(stranger)).toBeNull();
    expect(files()).toHaveLength(2);
  });

  it("deletes its folder when closed", async () => {
    const folder = sandboxes.folder;
    await sandboxes.close();
    expect(existsSync(folder)).toBe(false);
  });
});
