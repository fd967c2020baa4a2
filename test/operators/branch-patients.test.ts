// A network of branches: a branch's receptionist finds, opens and writes to the patients of their
// branches only — a visit or an appointment there, or an open escalation filed under it. A patient
// seen by two branches is both branches'. Another branch's patient is a 404, as in the queue.
// Admins and operators of every branch see the whole clinic.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthRegistry } from "../../src/api/health.ts";
import { buildServer } from "../../src/api/server.ts";
import { loadConfig } from "../../src/config.ts";
import { createCareBot } from "../../src/core.ts";
import type { Db } from "../../src/db/client.ts";
import { createLogger } from "../../src/logger.ts";
import { createSession } from "../../src/operators/auth/session.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { ROOT } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";

interface Who {
  cookie: string;
  csrf: string;
}

describe(`a branch's operator sees only that branch's patients on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let app: FastifyInstance;
  let clinicId: number;
  const clock = new FixedClock("2026-11-23T08:00:00Z"); // Monday 11:00 in Moscow
  const branch = { north: 0, south: 0 };
  const who = {} as Record<"north" | "south" | "network" | "admin", Who>;
  const patient = {} as Record<"north" | "south" | "shared" | "asking" | "clinic" | "resolved", { id: number; fullName: string; phone: string }>;
  let seq = 0;

  const visitAt = (patientId: number, branchId: number | null) =>
    db.visit.create({
      data: { clinicId, patientId, externalId: `BV-${++seq}`, doctor: "Громов А. С.", service: "Осмотр", amount: 0, status: "completed", startsAt: new Date("2026-11-20T08:00:00Z"), completedAt: new Date("2026-11-20T09:00:00Z"), branchId },
    });
  const appointmentAt = async (patientId: number, branchId: number) => {
    const slot = await db.slot.create({ data: { clinicId, externalId: `BS-${++seq}`, doctor: "Лисицына Е. В.", service: "УЗИ", startsAt: new Date("2026-11-30T07:00:00Z"), endsAt: new Date("2026-11-30T07:30:00Z"), status: "booked", branchId } });
    return db.appointment.create({ data: { clinicId, patientId, slotId: slot.id, branchId } });
  };
  const escalationAt = (patientId: number, branchId: number, status: "open" | "resolved") =>
    db.escalation.create({ data: { clinicId, patientId, reason: "operator_request", priority: "normal", status, slaDueAt: new Date("2026-11-23T12:00:00Z"), branchId } });

  const get = (as: Who, url: string) => app.inject({ method: "GET", url, headers: { cookie: as.cookie, accept: "text/html" } });
  const names = async (as: Who, q = "") => {
    const res = await get(as, `/console/patients${q ? `?q=${encodeURIComponent(q)}` : ""}`);
    expect(res.statusCode).toBe(200);
    return [...res.body.matchAll(/<span class="r-name">([^<]+)<\/span>/g)].map((m) => m[1]);
  };

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    const clinic = await createClinic(db);
    clinicId = clinic.id;
    branch.north = (await db.branch.create({ data: { clinicId, code: "north", name: "Северный филиал", reviewLinks: [] } })).id;
    branch.south = (await db.branch.create({ data: { clinicId, code: "south", name: "Южный филиал", reviewLinks: [] } })).id;
    const operator = async (login: string, branchIds: number[], role: "operator" | "admin" = "operator") => {
      const op = await db.operator.create({ data: { clinicId, login, role, passwordHash: "-", displayName: login } });
      for (const branchId of branchIds) await db.operatorBranch.create({ data: { operatorId: op.id, branchId } });
      const s = await createSession(t.db, op.id, clock.now());
      return { cookie: `carebot_console=${s.token}`, csrf: s.csrfToken };
    };
    who.north = await operator("north-desk", [branch.north]);
    who.south = await operator("south-desk", [branch.south]);
    who.network = await operator("network-desk", []);
    // An admin ticked for a branch still sees every patient: the clinic's records are theirs to keep.
    who.admin = await operator("boss", [branch.south], "admin");

    const make = async (key: keyof typeof patient, fullName: string, phone: string) => {
      const p = await createPatient(db, clinicId, { fullName, phone });
      await linkChat(db, clinicId, p.id, `chat-${key}`);
      patient[key] = { id: p.id, fullName, phone };
      return p.id;
    };
    await visitAt(await make("north", "Северова Анна Ивановна", "+79160000001"), branch.north);
    await visitAt(await make("south", "Южанина Ольга Петровна", "+79160000002"), branch.south);
    // Seen in the north, booked in the south: both desks look after her.
    const shared = await make("shared", "Общая Мария Львовна", "+79160000003");
    await visitAt(shared, branch.north);
    await appointmentAt(shared, branch.south);
    // No visit yet, but waiting for the north's answer.
    await escalationAt(await make("asking", "Новикова Дарья Олеговна", "+79160000004"), branch.north, "open");
    // Seen at the clinic's own address before the network had branches.
    await visitAt(await make("clinic", "Прежняя Вера Андреевна", "+79160000005"), null);
    // A question the north answered long ago is no reason to keep her in the north's list.
    await escalationAt(await make("resolved", "Давняя Нина Петровна", "+79160000006"), branch.north, "resolved");

    const logger = createLogger({ level: "silent", pretty: false });
    const carebot = await createCareBot(loadConfig({ DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug }, ROOT), t.db, { clock, logger });
    app = buildServer({ db: t.db, logger, health: new HealthRegistry(), carebot });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it("lists and finds only the branch's patients; a shared patient is in both branches' lists", async () => {
    expect(await names(who.north)).toEqual(["Новикова Дарья Олеговна", "Общая Мария Львовна", "Северова Анна Ивановна"]);
    expect(await names(who.south)).toEqual(["Общая Мария Львовна", "Южанина Ольга Петровна"]);
    const everyone = ["Давняя Нина Петровна", "Новикова Дарья Олеговна", "Общая Мария Львовна", "Прежняя Вера Андреевна", "Северова Анна Ивановна", "Южанина Ольга Петровна"];
    expect(await names(who.network)).toEqual(everyone);
    expect(await names(who.admin)).toEqual(everyone);

    // By name and by phone: another branch's patient is not found.
    expect(await names(who.north, "южанина")).toEqual([]);
    expect(await names(who.north, "8 916 000-00-02")).toEqual([]);
    expect(await names(who.north, "0003")).toEqual(["Общая Мария Львовна"]);
    expect(await names(who.south, "южанина")).toEqual(["Южанина Ольга Петровна"]);
    expect(await names(who.network, "0002")).toEqual(["Южанина Ольга Петровна"]);

    // The page says whose patients these are; the network's page does not.
    const page = await get(who.north, "/console/patients");
    expect(page.body).toContain("Показаны пациенты филиала «Северный филиал»");
    expect((await get(who.network, "/console/patients")).body).not.toContain("Показаны пациенты");
  });

  it("opens the card of the branch's patients only; another branch's is a 404", async () => {
    const card = (as: Who, key: keyof typeof patient) => get(as, `/console/patients/${patient[key].id}`);
    expect((await card(who.north, "north")).statusCode).toBe(200);
    expect((await card(who.north, "shared")).statusCode).toBe(200);
    expect((await card(who.south, "shared")).statusCode).toBe(200);
    expect((await card(who.north, "asking")).statusCode).toBe(200);
    const refused = await card(who.north, "south");
    expect(refused.statusCode).toBe(404);
    expect(refused.body).toContain("Такого пациента нет");
    expect(refused.body).not.toContain(patient.south.fullName);
    expect((await card(who.north, "clinic")).statusCode).toBe(404);
    expect((await card(who.north, "resolved")).statusCode).toBe(404);
    expect((await card(who.network, "south")).statusCode).toBe(200);
    expect((await card(who.admin, "north")).statusCode).toBe(200);
  });

  it("writes first only to the branch's patients; a message to another branch's is refused and never queued", async () => {
    const write = (as: Who, key: keyof typeof patient) =>
      app.inject({ method: "POST", url: `/console/patients/${patient[key].id}/messages`, headers: { cookie: as.cookie, "x-csrf-token": as.csrf }, payload: { text: "Здравствуйте! Это регистратура клиники." } });
    const refused = await write(who.north, "south");
    expect(refused.statusCode).toBe(404);
    expect(await db.message.count({ where: { clinicId, direction: "outbound", identity: { patientId: patient.south.id } } })).toBe(0);
    expect(await db.auditEntry.count({ where: { clinicId, action: "patient.write-first", target: `patient:${patient.south.id}` } })).toBe(0);

    const sent = await write(who.north, "shared");
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toMatch(new RegExp(`^/console/patients/${patient.shared.id}\\?sent=\\d+#write$`));
    const outbound = (key: keyof typeof patient) => db.message.count({ where: { clinicId, direction: "outbound", identity: { patientId: patient[key].id } } });
    expect(await outbound("shared")).toBe(1);
    expect((await write(who.south, "shared")).statusCode).toBe(303);
    expect((await write(who.network, "south")).statusCode).toBe(303);
  });
});
