import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../src/db/client.ts";
import { foldName, readPatientQuery, searchPatients } from "../../../src/domain/patients/search.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../../support/db.ts";
import type { MigratedDatabase } from "../../support/db.ts";
import { createClinic, createPatient, linkChat } from "../../support/fixtures.ts";

describe("reading the search box", () => {
  it("folds names the way people type them: any case, ё as е, extra spaces", () => {
    expect(foldName("  Семёнова   АННА ")).toBe("семенова анна");
  });
  it("takes digits with phone punctuation as a phone, anything with a letter as a name", () => {
    expect(readPatientQuery("8 916")).toEqual({ kind: "phone", digits: "8916" });
    expect(readPatientQuery("+7 (916) 555-01-01")).toEqual({ kind: "phone", digits: "79165550101" });
    expect(readPatientQuery("Пётр 2")).toEqual({ kind: "name", words: ["петр", "2"] });
    expect(readPatientQuery("   ")).toEqual({ kind: "all" });
  });
});

describe(`patient search on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  let otherClinicId: number;
  const ids: Record<string, number> = {};

  const names = async (q: string, page = 1, pageSize = 25) => (await searchPatients(db, clinicId, q, page, pageSize)).rows.map((r) => r.fullName);

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db)).id;
    otherClinicId = (await createClinic(db)).id;
    ids.semenova = (await createPatient(db, clinicId, { fullName: "Семёнова Анна Петровна", phone: "+79165550101" })).id;
    ids.semenov = (await createPatient(db, clinicId, { fullName: "Семенов Олег Иванович", phone: "+79261234567" })).id;
    ids.lebedeva = (await createPatient(db, clinicId, { fullName: "Лебедева Ирина Олеговна", phone: "+79031110101" })).id;
    // Another clinic's namesake with the same number: never found from this clinic.
    await createPatient(db, otherClinicId, { fullName: "Семёнова Анна Петровна", phone: "+79165550101" });
    const chat = await linkChat(db, clinicId, ids.semenova!, "search-tg-1", "telegram");
    await linkChat(db, clinicId, ids.semenova!, "search-wa-1", "whatsapp");
    await linkChat(db, clinicId, ids.semenova!, "search-web-1", "web");
    await db.channelIdentity.update({ where: { id: chat.id }, data: { unreachableAt: new Date("2026-11-01T00:00:00Z"), unreachableReason: "blocked" } });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it("finds a name in any case, with ё or е, words in any order", async () => {
    expect(await names("семенова")).toEqual(["Семёнова Анна Петровна"]);
    expect(await names("СЕМЁНОВА")).toEqual(["Семёнова Анна Петровна"]);
    expect(await names("анна семенова")).toEqual(["Семёнова Анна Петровна"]);
    // "Семенов" is in both names (the order of е and ё is the database's collation).
    expect((await names("сёменов")).sort()).toEqual(["Семенов Олег Иванович", "Семёнова Анна Петровна"]);
    expect(await names("олег")).toEqual(["Лебедева Ирина Олеговна", "Семенов Олег Иванович"]);
    expect(await names("Кузнецов")).toEqual([]);
  });

  it("finds a phone in any spelling: 8 916…, +7 (916)…, without the code, the last four digits", async () => {
    for (const q of ["8 916 555-01-01", "89165550101", "+7 (916) 555-01-01", "9165550101", "8 916", "+7916"]) {
      expect(await names(q), q).toEqual(["Семёнова Анна Петровна"]);
    }
    // The last four digits may belong to several patients.
    expect(await names("0101")).toEqual(["Лебедева Ирина Олеговна", "Семёнова Анна Петровна"]);
    expect(await names("4567")).toEqual(["Семенов Олег Иванович"]);
  });

  it("shows phones masked, the last completed visit and the messenger chats (web preview chats left out)", async () => {
    await db.patient.update({ where: { id: ids.semenova! }, data: { lastCompletedVisitAt: new Date("2026-10-05T07:00:00Z") } });
    const [row] = (await searchPatients(db, clinicId, "семёнова анна")).rows;
    expect(row).toEqual({
      id: ids.semenova,
      fullName: "Семёнова Анна Петровна",
      maskedPhone: "+7916***0101",
      lastVisitAt: new Date("2026-10-05T07:00:00Z"),
      channels: [
        { channel: "telegram", reachable: false },
        { channel: "whatsapp", reachable: true },
      ],
    });
    expect(JSON.stringify(row)).not.toContain("5550101");
  });

  it("pages through the results, name search and phone search alike", async () => {
    // Pages of one cover the whole list in its order, with no patient twice or missed.
    for (const q of ["", "семенов", "0101"]) {
      const all = await names(q);
      const first = await searchPatients(db, clinicId, q, 1, 2);
      expect(first).toMatchObject({ total: all.length, page: 1, pages: Math.ceil(all.length / 2) });
      const second = await names(q, 2, 2);
      expect([...first.rows.map((r) => r.fullName), ...second], q).toEqual(all);
    }
    expect(await names("", 1, 25)).toHaveLength(3);
    expect(await names("", 3, 2)).toEqual([]);
  });
});
