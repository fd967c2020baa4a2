import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService } from "../../src/app.ts";
import type { RunningService } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { runPlanner } from "../../src/scheduler/run-planner.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { ROOT } from "../support/cli.ts";
import { settleOutbox } from "../support/settle.ts";
import { createEmptyDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { TestDatabase } from "../support/db.ts";
import { signBody, startFakeGraphApi } from "../support/fake-graph-api/index.ts";
import type { FakeGraphApi, GraphSent } from "../support/fake-graph-api/index.ts";

const API_TOKEN = "whatsapp-cloud-e2e-api-token-0123456789";
const CLOUD = { token: "EAAG-fake-cloud-token-0123456789", phoneNumberId: "109876543210", appSecret: "fake-app-secret-0123456789abcdef", verifyToken: "carebot-verify-0123" };

/**
 * CareBot as a clinic runs it on the WhatsApp Cloud API: the service with WHATSAPP_TRANSPORT=cloud,
 * its webhook on the real HTTP server, the dispatcher sending to a loopback fake Graph API that
 * keeps the 24-hour window by itself and signs the patients' messages as Meta does.
 */
describe(`WhatsApp Cloud API end to end (webhook, buttons, 24-hour window, templates) on ${TEST_PROVIDER}`, () => {
  let target: TestDatabase;
  let graph: FakeGraphApi;
  let service: RunningService;
  // Tuesday 1 December 2026, 09:00 in Moscow.
  const clock = new FixedClock("2026-12-01T06:00:00Z");

  const mis = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${API_TOKEN}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const settle = () => settleOutbox(service.db, service.dispatcher, () => clock.now());
  const buttonsOf = (m: GraphSent) => (m.body.interactive?.action?.buttons ?? []).map((b: { reply: { id: string; title: string } }) => b.reply);
  const rowsOf = (m: GraphSent) => (m.body.interactive?.action?.sections ?? []).flatMap((s: { rows: { id: string; title: string }[] }) => s.rows);
  const bodyOf = (m: GraphSent): string => m.body.text?.body ?? m.body.interactive?.body?.text ?? "";

  beforeAll(async () => {
    target = await createEmptyDatabase();
    graph = await startFakeGraphApi({ ...CLOUD, now: () => clock.now() });
    const config = loadConfig(
      {
        DATABASE_URL: target.config.url,
        PORT: "0",
        API_TOKEN,
        SCHEDULER_ENABLED: "0",
        WHATSAPP_TRANSPORT: "cloud",
        WHATSAPP_CLOUD_TOKEN: CLOUD.token,
        WHATSAPP_PHONE_NUMBER_ID: CLOUD.phoneNumberId,
        WHATSAPP_APP_SECRET: CLOUD.appSecret,
        WHATSAPP_VERIFY_TOKEN: CLOUD.verifyToken,
        WHATSAPP_GRAPH_URL: graph.graphUrl,
      },
      ROOT,
    );
    service = await startService(config, { logger: createLogger({ level: "silent", pretty: false }), clock });
    graph.webhookUrl = `${service.url}/whatsapp/webhook`;
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await graph?.close();
    await target?.drop();
  });

  it("answers Meta's subscription check only with the verify token", async () => {
    const ok = await fetch(`${service.url}/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=${CLOUD.verifyToken}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("1158201444");
    const wrong = await fetch(`${service.url}/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1`);
    expect(wrong.status).toBe(403);
  });

  it("refuses a webhook whose signature does not match, and stores nothing of it", async () => {
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [{ id: "W", changes: [{ field: "messages", value: { metadata: { phone_number_id: CLOUD.phoneNumberId }, messages: [{ from: "79990000001", id: "wamid.FORGED", type: "text", text: { body: "меню" } }] } }] }],
    });
    expect(await graph.postRaw(body, signBody("another-secret-entirely", body))).toBe(401);
    expect(await graph.postRaw(body, undefined)).toBe(401);
    // The same body with one byte changed after signing.
    expect(await graph.postRaw(body.replace("меню", "меню "), signBody(CLOUD.appSecret, body))).toBe(401);
    expect(await service.db.prisma.channelIdentity.count({ where: { externalChatId: "79990000001@c.us" } })).toBe(0);
    expect(await service.db.prisma.message.count({ where: { identity: { externalChatId: "79990000001@c.us" } } })).toBe(0);
  });

  it("«меню» brings a list, a pick answers; a reminder goes as the template outside the window and as buttons inside it; 130429 is retried", async () => {
    await mis("POST", "/api/patients", { externalId: "WAC-1", fullName: "Смирнова Ольга", phone: "+79165552001" });
    await mis("POST", "/api/patients", { externalId: "WAC-2", fullName: "Петров Иван", phone: "+79165552002" });
    const clinic = await service.db.prisma.clinic.findUniqueOrThrow({ where: { id: service.carebot.clinic.id } });
    await service.db.prisma.clinic.update({
      where: { id: clinic.id },
      data: {
        settings: {
          ...(clinic.settings as object),
          whatsappTemplates: { "visit.reminder": { name: "visit_reminder", language: "ru", params: ["{{patient.firstName}}", "{{datetime result.visit.startsAt}}"] } },
        },
      },
    });

    // Olga writes on Tuesday at 09:00: linked by the number WhatsApp vouches for, she gets the menu.
    expect(await graph.text("79165552001", "меню", "Ольга")).toBe(200);
    await settle();
    const [menu] = await graph.waitForSent("79165552001", 1);
    // Seven entries: more than three buttons hold, so a list (titles fit 24 characters; the long one is shown whole under it).
    expect(menu!.body.interactive).toMatchObject({ type: "list", body: { text: "Ольга, чем мы можем помочь? Выберите, пожалуйста:" }, action: { button: "Выбрать" } });
    expect(rowsOf(menu!)).toEqual([
      { id: "s:menu-bonus-balance", title: "Мои бонусы" },
      { id: "s:menu-referral", title: "Пригласить друга" },
      { id: "s:menu-rebook-followup", title: "Записаться на приём" },
      { id: "s:menu-waitlist-join", title: "Лист ожидания" },
      { id: "s:menu-gift-certificate", title: "Подарить сертификат" },
      { id: "s:menu-consents", title: "Мои согласия" },
      { id: "s:menu-operator-request", title: "Связаться с администрат…", description: "Связаться с администратором" },
    ]);
    const identity = await service.db.prisma.channelIdentity.findFirstOrThrow({ where: { externalChatId: "79165552001@c.us" }, include: { patient: true } });
    expect(identity).toMatchObject({ channel: "whatsapp", phone: "+79165552001", patient: expect.objectContaining({ externalId: "WAC-1" }) });

    // Ivan writes at 15:00 and picks «Мои бонусы» in the list.
    clock.set("2026-12-01T12:00:00Z");
    await graph.text("79165552002", "меню", "Иван");
    await settle();
    const [ivanMenu] = await graph.waitForSent("79165552002", 1);
    expect(await graph.chooseRow("79165552002", rowsOf(ivanMenu!)[0]!)).toBe(200);
    await settle();
    const [, answer] = await graph.waitForSent("79165552002", 2);
    expect(bodyOf(answer!)).toMatch(/^Иван, на вашем счёте 0\sбаллов\./);

    // Both have a visit on Thursday at 15:00; the day-before reminder is due Wednesday at 12:00 (Moscow).
    const doctor = "Белова Анна Игоревна";
    const slot = (externalId: string, startsAt: string) => ({ externalId, doctor, service: "Лечение кариеса", startsAt, endsAt: new Date(new Date(startsAt).getTime() + 1800_000).toISOString() });
    await mis("POST", "/api/slots", { slots: [slot("WAC-S1", "2026-12-03T12:00:00Z"), slot("WAC-S2", "2026-12-03T13:00:00Z")] });
    await mis("POST", "/api/visits", { externalId: "WAC-V1", patientExternalId: "WAC-1", doctor, service: "Лечение кариеса", amount: 0, status: "scheduled", startsAt: "2026-12-03T12:00:00Z" });
    await mis("POST", "/api/visits", { externalId: "WAC-V2", patientExternalId: "WAC-2", doctor, service: "Лечение кариеса", amount: 0, status: "scheduled", startsAt: "2026-12-03T13:00:00Z" });

    // Wednesday 12:00 in Moscow: Olga last wrote 27 hours ago, Ivan 21 hours ago. Graph is busy once.
    const sentBefore = graph.sent.length;
    clock.set("2026-12-02T09:00:00Z");
    graph.rateLimitNext(1);
    const run = await runPlanner(service.db, "reminder", { clinicId: service.carebot.clinic.id, now: clock.now(), catalog: service.carebot.flows.catalog() });
    expect(run).toMatchObject({ planned: 2 });
    await settle();
    expect(graph.answers.filter((a) => a.code === 130429)).toHaveLength(1);
    const waiting = await service.db.prisma.outbox.findMany({ where: { status: "pending", lastError: { contains: "130429" } } });
    expect(waiting).toHaveLength(1);
    // The rate limit's wait passes on the clock; the held message goes.
    clock.set("2026-12-02T09:00:30Z");
    await settle();

    const olga = graph.sent.slice(sentBefore).filter((m) => m.to === "79165552001");
    expect(olga).toHaveLength(1);
    expect(olga[0]!.type).toBe("template");
    expect(olga[0]!.body.template).toEqual({
      name: "visit_reminder",
      language: { code: "ru" },
      components: [{ type: "body", parameters: [{ type: "text", text: "Ольга" }, { type: "text", text: expect.stringMatching(/3 дек.* 15:00/) }] }],
    });

    const ivan = graph.sent.slice(sentBefore).filter((m) => m.to === "79165552002");
    expect(ivan).toHaveLength(1);
    expect(ivan[0]!.type).toBe("interactive");
    expect(bodyOf(ivan[0]!)).toMatch(/^Иван, напоминаем о вашем визите: .*3 дек.* 16:00, Лечение кариеса, врач Белова Анна Игоревна\./s);
    expect(buttonsOf(ivan[0]!).map((b: { title: string }) => b.title)).toEqual(["Подтверждаю", "Перенести", "Отменить"]);
    // Nothing was refused for the window: CareBot's clock and Graph's agree.
    expect(graph.answers.filter((a) => a.code === 131047)).toHaveLength(0);

    // Ivan confirms with the button; the appointment is confirmed.
    const confirm = buttonsOf(ivan[0]!).find((b: { title: string }) => b.title === "Подтверждаю")!;
    const count = graph.sent.filter((m) => m.to === "79165552002").length;
    expect(await graph.pressButton("79165552002", confirm)).toBe(200);
    await settle();
    await graph.waitForSent("79165552002", count + 1);
    const appointment = await service.db.prisma.appointment.findFirstOrThrow({ where: { patient: { externalId: "WAC-2" } } });
    expect(appointment.confirmedAt).not.toBeNull();

    // Olga answers the template's quick-reply button: her window opens and her visit is confirmed.
    const olgaCount = graph.sent.filter((m) => m.to === "79165552001").length;
    expect(await graph.templateButton("79165552001", "Подтверждаю")).toBe(200);
    await settle();
    const thanks = (await graph.waitForSent("79165552001", olgaCount + 1))[olgaCount]!;
    expect(thanks.type).toBe("text");
    const olgaVisit = await service.db.prisma.appointment.findFirstOrThrow({ where: { patient: { externalId: "WAC-1" } } });
    expect(olgaVisit.confirmedAt).not.toBeNull();

    // Thursday 13:00 in Moscow, the two-hour reminder: Olga last wrote 25 hours ago and the clinic
    // has since removed its template. Nothing goes to her, and the outbox says why.
    const current = await service.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinic.id } });
    await service.db.prisma.clinic.update({ where: { id: clinic.id }, data: { settings: { ...(current.settings as object), whatsappTemplates: {} } } });
    const olgaSoFar = graph.sent.filter((m) => m.to === "79165552001").length;
    clock.set("2026-12-03T10:00:00Z");
    expect(await runPlanner(service.db, "reminder", { clinicId: clinic.id, now: clock.now(), catalog: service.carebot.flows.catalog() })).toMatchObject({ planned: 1 });
    await settle();
    expect(graph.sent.filter((m) => m.to === "79165552001")).toHaveLength(olgaSoFar);
    const skipped = await service.db.prisma.outbox.findFirstOrThrow({ where: { status: "skipped", identity: { externalChatId: "79165552001@c.us" } } });
    expect(skipped.lastError).toBe('outside WhatsApp\'s 24-hour window (the patient last wrote 2026-12-02T09:00:30.000Z), and settings.whatsappTemplates has no template for "visit.reminder"');
  }, 90_000);
});
