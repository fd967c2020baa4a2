// A network of branches: an operator limited to one branch sees only that branch's escalations in
// the queue (API), hears only its conversations in the live stream (real HTTP), and can neither
// open, take nor answer another branch's conversation. An operator with no branches sees all.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthRegistry } from "../../src/api/health.ts";
import { buildServer } from "../../src/api/server.ts";
import { toInboundMessage } from "../../src/channels/web/inbound.ts";
import { loadConfig } from "../../src/config.ts";
import { createCareBot } from "../../src/core.ts";
import type { CareBot } from "../../src/core.ts";
import type { Db } from "../../src/db/client.ts";
import { createLogger } from "../../src/logger.ts";
import { hashPassword } from "../../src/operators/password.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { ROOT } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";

const PASSWORD = "branch-secret-pass-4";

interface Login {
  cookie: string;
  csrf: string;
}

describe(`a branch's operator sees only that branch's queue on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let app: FastifyInstance;
  let carebot: CareBot;
  let url: string;
  let clinicId: number;
  const clock = new FixedClock("2026-11-23T08:00:00Z");
  const branch = { north: 0, south: 0 };
  let northOperator: Login;
  let everyBranch: Login;
  let seq = 0;

  const login = async (name: string): Promise<Login> => {
    const res = await app.inject({ method: "POST", url: "/console/login", payload: { login: name, password: PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    const token = /carebot_console=([^;]+)/.exec(String(res.headers["set-cookie"]))![1]!;
    return { cookie: `carebot_console=${token}`, csrf: (res.json() as { csrfToken: string }).csrfToken };
  };
  const call = (who: Login, method: "GET" | "POST", path: string, payload?: object) =>
    app.inject({ method, url: path, headers: { cookie: who.cookie, ...(method === "POST" ? { "x-csrf-token": who.csrf } : {}) }, ...(payload ? { payload } : {}) });

  /** A patient whose last visit was at `branchId` asks for a person in a web chat. */
  const asksForOperator = async (fullName: string, branchId: number) => {
    const patient = await createPatient(db, clinicId, { fullName });
    await db.visit.create({
      data: { clinicId, patientId: patient.id, externalId: `V-${++seq}`, doctor: "Громов А. С.", service: "Осмотр", amount: 0, status: "completed", startsAt: new Date("2026-11-20T08:00:00Z"), completedAt: new Date("2026-11-20T09:00:00Z"), branchId },
    });
    const chatId = `branch-chat-${seq}`;
    await linkChat(db, clinicId, patient.id, chatId, "web");
    await carebot.router.handle(toInboundMessage(chatId, { text: "оператор" }));
    const escalation = await db.escalation.findFirstOrThrow({ where: { patientId: patient.id } });
    return { chatId, escalation, conversationId: escalation.conversationId! };
  };

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    const clinic = await createClinic(db);
    clinicId = clinic.id;
    branch.north = (await db.branch.create({ data: { clinicId, code: "north", name: "Северный филиал", reviewLinks: [] } })).id;
    branch.south = (await db.branch.create({ data: { clinicId, code: "south", name: "Южный филиал", reviewLinks: [] } })).id;
    const north = await db.operator.create({ data: { clinicId, login: "north-op", passwordHash: await hashPassword(PASSWORD), displayName: "Оператор Севера" } });
    await db.operatorBranch.create({ data: { operatorId: north.id, branchId: branch.north } });
    await db.operator.create({ data: { clinicId, login: "all-op", passwordHash: await hashPassword(PASSWORD), displayName: "Оператор сети" } });
    await db.operator.create({ data: { clinicId, login: "boss", role: "admin", passwordHash: await hashPassword(PASSWORD), displayName: "Главврач" } });
    const logger = createLogger({ level: "silent", pretty: false });
    carebot = await createCareBot(loadConfig({ DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug }, ROOT), t.db, { clock, logger });
    app = buildServer({ db: t.db, logger, health: new HealthRegistry(), carebot });
    url = await app.listen({ port: 0, host: "127.0.0.1" });
    northOperator = await login("north-op");
    everyBranch = await login("all-op");
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it("files each escalation under the patient's branch; the branch's operator lists, opens and takes only theirs", async () => {
    const south = await asksForOperator("Южанина Ольга Петровна", branch.south);
    const north = await asksForOperator("Северова Анна Ивановна", branch.north);
    expect(south.escalation.branchId).toBe(branch.south);
    expect(north.escalation.branchId).toBe(branch.north);

    const queue = (who: Login) => call(who, "GET", "/console/api/queue").then((r) => (r.json() as { queue: { id: number; patientName: string }[] }).queue.map((q) => q.patientName));
    expect(await queue(northOperator)).toEqual(["Северова Анна Ивановна"]);
    expect((await queue(everyBranch)).sort()).toEqual(["Северова Анна Ивановна", "Южанина Ольга Петровна"]);

    // Another branch's conversation is as if it did not exist: not shown, not taken, not answered.
    expect((await call(northOperator, "GET", `/console/api/conversations/${south.conversationId}`)).statusCode).toBe(404);
    expect((await call(northOperator, "POST", `/console/api/conversations/${south.conversationId}/take`)).statusCode).toBe(404);
    expect((await call(northOperator, "POST", `/console/api/conversations/${south.conversationId}/reply`, { text: "Здравствуйте!" })).statusCode).toBe(404);
    expect((await call(northOperator, "POST", `/console/api/escalations/${south.escalation.id}/resolve`)).statusCode).toBe(404);
    expect(await db.conversation.findUniqueOrThrow({ where: { id: south.conversationId } })).toMatchObject({ status: "bot", operatorId: null });

    // Their own branch's: opened, taken, answered and handed back.
    expect((await call(northOperator, "GET", `/console/api/conversations/${north.conversationId}`)).statusCode).toBe(200);
    expect((await call(northOperator, "POST", `/console/api/conversations/${north.conversationId}/take`)).statusCode).toBe(200);
    expect((await call(northOperator, "POST", `/console/api/conversations/${north.conversationId}/reply`, { text: "Анна, здравствуйте! Чем помочь?" })).statusCode).toBe(200);
    expect((await call(northOperator, "POST", `/console/api/conversations/${north.conversationId}/hand-back`)).statusCode).toBe(200);
    // The network's operator works every branch.
    expect((await call(everyBranch, "POST", `/console/api/conversations/${south.conversationId}/take`)).statusCode).toBe(200);
  });

  it("the live stream tells the branch's operator about their branch's conversations only", async () => {
    const south = await asksForOperator("Южин Пётр Олегович", branch.south);
    const north = await asksForOperator("Северин Илья Андреевич", branch.north);
    const controller = new AbortController();
    const res = await fetch(`${url}/console/api/events`, { headers: { cookie: northOperator.cookie }, signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let received = "";
    const next = async () => {
      const { value, done } = await reader.read();
      if (done) throw new Error("the stream ended");
      received += decoder.decode(value, { stream: true });
    };
    while (!received.includes(": connected")) await next();

    // The south patient writes first, then the north one: only the north conversation may arrive.
    await carebot.router.handle(toInboundMessage(south.chatId, { text: "Жду ответа, спасибо" }));
    await carebot.router.handle(toInboundMessage(north.chatId, { text: "Жду ответа, спасибо" }));
    while (!received.includes(`"conversationId":${north.conversationId}`)) await next();
    controller.abort();
    const transcripts = [...received.matchAll(/event: transcript\ndata: (\{[^\n]*\})/g)].map((m) => (JSON.parse(m[1]!) as { conversationId: number }).conversationId);
    expect(transcripts.length).toBeGreaterThan(0);
    expect(new Set(transcripts)).toEqual(new Set([north.conversationId]));
  });

  it("an admin sets an operator's branches on the staff page; the queue follows at once", async () => {
    const boss = await login("boss");
    const north = await db.operator.findUniqueOrThrow({ where: { login: "north-op" } });
    const page = await call(boss, "GET", "/console/team");
    expect(page.body).toContain("Филиалы сотрудников");
    expect(page.body).toContain("Южный филиал");
    const res = await call(boss, "POST", "/console/team/branches", { operator: [north.id], [`op${north.id}`]: [branch.south] });
    expect(res.statusCode, res.body).toBe(200);
    expect(await db.operatorBranch.findMany({ where: { operatorId: north.id }, select: { branchId: true } })).toEqual([{ branchId: branch.south }]);
    const names = (await call(northOperator, "GET", "/console/api/queue")).json() as { queue: { patientName: string }[] };
    expect(names.queue.map((q) => q.patientName).sort()).toEqual(["Южанина Ольга Петровна", "Южин Пётр Олегович"]);
    // An operator may not change anyone's branches.
    expect((await call(northOperator, "POST", "/console/team/branches", { operator: [north.id] })).statusCode).toBe(403);
  });
});
