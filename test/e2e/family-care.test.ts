// Families end to end, after the visit: a mother's Telegram chat is the only chat of her two
// children. Each child's survey and next-day check-in reach her, each naming the child («Оцените,
// пожалуйста, визит Миши…», «Как Маша себя чувствует…»); what she answers is recorded on that
// child's visit, a complaint is escalated naming the child and her; the birthday greeting names
// the child and goes only with the advertising consent she gave for them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService } from "../../src/app.ts";
import type { RunningService } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { runPlanner } from "../../src/scheduler/run-planner.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { fakeUser, startFakeBotApi } from "../support/fake-bot-api/index.ts";
import type { FakeBotApi, SentMessage } from "../support/fake-bot-api/index.ts";
import { ROOT } from "../support/cli.ts";
import { settleOutbox } from "../support/settle.ts";
import { createEmptyDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { TestDatabase } from "../support/db.ts";

const TOKEN = "123456:FAMILY-CARE-E2E-TOKEN-0000000";
const API_TOKEN = "family-care-e2e-api-token-0123456789";

describe(`a guardian hears about each child after their visits (HTTP API, dispatcher, grammY) on ${TEST_PROVIDER}`, () => {
  let target: TestDatabase;
  let api: FakeBotApi;
  let service: RunningService;
  // Tuesday 1 December 2026, 11:00 in Moscow.
  const clock = new FixedClock("2026-12-01T08:00:00Z");
  const user = fakeUser(9201, { firstName: "Анна" });
  let seen = 0;

  const mis = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${API_TOKEN}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  const buttonOf = (message: SentMessage, label: string) => {
    const buttons = ((message.replyMarkup as { inline_keyboard?: { text: string; callback_data: string }[][] })?.inline_keyboard ?? []).flat();
    const button = buttons.find((b) => b.text === label);
    if (!button) throw new Error(`no button ${label} in ${JSON.stringify(buttons)}`);
    return button.callback_data;
  };
  const settle = () => settleOutbox(service.db, service.dispatcher, () => clock.now());
  /** The next message in the mother's chat. */
  const next = async () => {
    const message = (await api.waitForMessages(user.id, seen + 1, 10_000))[seen]!;
    seen++;
    return message;
  };
  /** Nothing more in her chat for now. */
  const quiet = async () => expect((await api.waitForMessages(user.id, 0, 300)).length).toBe(seen);
  /** Half an hour on: a conversation waiting behind another in her chat may start. */
  const later = async (iso: string) => {
    await settle();
    clock.set(iso);
    await settle();
  };
  const patientId = async (externalId: string) => (await service.db.prisma.patient.findFirstOrThrow({ where: { externalId } })).id;

  beforeAll(async () => {
    target = await createEmptyDatabase();
    api = await startFakeBotApi({ token: TOKEN });
    const config = loadConfig(
      { DATABASE_URL: target.config.url, PORT: "0", API_TOKEN, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.apiRoot, TELEGRAM_CHAT_INTERVAL_MS: "0", SCHEDULER_ENABLED: "0" },
      ROOT,
    );
    service = await startService(config, { logger: createLogger({ level: "silent", pretty: false }), clock });
  }, 180_000);
  afterAll(async () => {
    await service?.stop();
    await api?.close();
    await target?.drop();
  });

  it("a survey and a check-in about each child, each named, answers recorded on that child's visit, a birthday greeting naming the child", async () => {
    const mother = "+79165553001";
    expect((await mis("POST", "/api/patients", { externalId: "FC-M", fullName: "Петрова Анна Сергеевна", phone: mother })).status).toBe(201);
    // Both children were born on 2 December. Their mother signed Misha's medical and advertising
    // consents; Masha's neither. Neither child has a chat.
    const signed = { at: "2026-11-01T10:00:00+03:00", source: "paper", byGuardian: true };
    const misha = await mis("POST", "/api/patients", {
      externalId: "FC-1", fullName: "Петров Михаил Игоревич", firstName: "Миша", phone: "+79165553011", birthDate: "2018-12-02",
      guardians: [{ externalId: "FC-M", relation: "parent" }],
      consents: [{ kind: "medical", textVersion: "МЕД-2026", ...signed }, { kind: "advertising", textVersion: "РЕКЛ-2026", ...signed }],
    });
    expect(misha.status).toBe(201);
    const masha = await mis("POST", "/api/patients", { externalId: "FC-2", fullName: "Петрова Мария Игоревна", firstName: "Маша", phone: "+79165553012", birthDate: "2020-12-02", guardians: [{ phone: mother }] });
    expect(masha.status).toBe(201);

    api.sendCommand(user, "/start");
    await api.waitForMessages(user.id, 1, 10_000);
    api.sendContact(user, { phone: mother });
    seen = (await api.waitForMessages(user.id, 3, 10_000)).length;
    await settle();
    await quiet();

    // This morning both children had a tooth out; the clinic's MIS posts the visits.
    const doctor = "Белова Анна Игоревна";
    const visits = { "FC-1": "2026-12-01T07:00:00Z", "FC-2": "2026-12-01T07:40:00Z" };
    for (const [patientExternalId, completedAt] of Object.entries(visits)) {
      const posted = await mis("POST", "/api/visits", {
        externalId: `V-${patientExternalId}`, patientExternalId, doctor, service: "Удаление зуба", isProcedure: true, amount: 350000, status: "completed", startsAt: "2026-12-01T06:30:00Z", completedAt,
      });
      expect(posted.status).toBeLessThan(300);
    }
    const visitOf = async (externalId: string) => (await service.db.prisma.visit.findFirstOrThrow({ where: { externalId: `V-${externalId}` } })).id;

    // Two hours after Misha's visit: his survey, in her chat, about him.
    await later("2026-12-01T09:00:00Z");
    const mishaSurvey = await next();
    expect(mishaSurvey.text).toBe(
      "Здравствуйте! Оцените, пожалуйста, визит Миши к врачу Белова Анна Игоревна: насколько вероятно, что вы порекомендуете нас друзьям? От 0 (точно нет) до 10 (обязательно).",
    );
    // She types her score and a word.
    api.sendText(user, "8");
    expect((await next()).text).toMatch(/^Спасибо за честную оценку\. Что нам стоит улучшить\?/);
    api.sendText(user, "Врач внимательная, но долго ждали");
    expect((await next()).text).toMatch(/^Спасибо за ответ!/);
    await quiet();

    // Masha's survey comes two hours after hers; a button answers it.
    await later("2026-12-01T09:40:00Z");
    const mashaSurvey = await next();
    expect(mashaSurvey.text).toMatch(/^Здравствуйте! Оцените, пожалуйста, визит Маши к врачу Белова Анна Игоревна:/);
    api.pressButton(user, mashaSurvey.messageId, buttonOf(mashaSurvey, "10"));
    const comment = await next();
    expect(comment.text).toMatch(/^Спасибо! Что вам понравилось больше всего\?/);
    api.pressButton(user, comment.messageId, buttonOf(comment, "Пропустить"));
    expect((await next()).text).toMatch(/^Спасибо, нам очень приятно!/);

    // Each score on that child's own visit.
    const children = [await patientId("FC-1"), await patientId("FC-2")];
    const answers = await service.db.prisma.npsResponse.findMany({ where: { patientId: { in: children } }, orderBy: { id: "asc" }, select: { patientId: true, visitId: true, score: true, comment: true } });
    expect(answers).toEqual([
      { patientId: await patientId("FC-1"), visitId: await visitOf("FC-1"), score: 8, comment: "Врач внимательная, но долго ждали" },
      { patientId: await patientId("FC-2"), visitId: await visitOf("FC-2"), score: 10, comment: null },
    ]);

    // Wednesday 10:00 in Moscow: the check-ins the visits queued.
    await later("2026-12-02T07:00:00Z");

    // The two are due together; one at a time in her chat, whichever first.
    const texts = {
      misha: "Здравствуйте! Как Миша себя чувствует после вчерашнего приёма (Удаление зуба)?",
      masha: "Здравствуйте! Как Маша себя чувствует после вчерашнего приёма?",
    };
    const answer = async (checkin: SentMessage) => {
      if (checkin.text === texts.misha) {
        api.sendText(user, "Миша хорошо, спасибо");
        expect((await next()).text).toBe("Рады это слышать! Берегите себя и Мишу. Если что-то изменится, просто напишите сюда.");
        return "misha";
      }
      // Masha's names no procedure: her mother gave no medical consent for her.
      expect(checkin.text).toBe(texts.masha);
      api.sendText(user, "у Маши опухла щека и болит");
      expect((await next()).text).toMatch(/^Мы срочно передали ваше сообщение врачу \(Белова Анна Игоревна\)\. Вам позвонят до /);
      return "masha";
    };
    const first = await answer(await next());
    await quiet();
    await later("2026-12-02T07:31:00Z");
    const second = await answer(await next());
    expect([first, second].sort()).toEqual(["masha", "misha"]);

    // The complaint is Masha's, from her mother's chat, and the queue's line says who to call.
    const escalation = await service.db.prisma.escalation.findFirstOrThrow({ where: { reason: "health_complaint", patientId: { in: children } } });
    expect(escalation.patientId).toBe(await patientId("FC-2"));
    expect(escalation.priority).toBe("urgent");
    expect(escalation.summary).toBe("Жалоба на самочувствие после процедуры (о пациенте: Петрова Мария Игоревна; пишет родитель: Петрова Анна Сергеевна)");
    const chat = await service.db.prisma.channelIdentity.findFirstOrThrow({ where: { id: escalation.identityId! } });
    expect(chat.patientId).toBe(await patientId("FC-M"));

    // The birthday greetings of the day: both children are planned; only Misha's goes, with his
    // gift on his account. Masha's waits for an advertising consent her mother has not given.
    await later("2026-12-02T08:05:00Z");
    const birthdays = await runPlanner(service.db, "birthday", { clinicId: service.carebot.clinic.id, now: clock.now(), catalog: service.carebot.flows.catalog() });
    expect(birthdays.planned).toBeGreaterThanOrEqual(2);
    await settle();
    const greeting = await next();
    expect(greeting.text).toMatch(/^Поздравляем Мишу с днём рождения! Желаем крепкого здоровья, радости и отличного настроения\. В подарок от клиники «.+» — 500\sбаллов на счёт Миши, они действуют до /);
    await quiet();
    const rows = await service.db.prisma.outbox.findMany({ where: { kind: "start-flow", idempotencyKey: { startsWith: "birthday:" }, patientId: { in: children } }, select: { status: true, lastError: true, patient: { select: { externalId: true } } } });
    expect(rows.map((r) => [r.patient!.externalId, r.status, r.lastError]).sort()).toEqual([
      ["FC-1", "sent", null],
      ["FC-2", "skipped", "no advertising consent"],
    ]);
    const gifts = await service.db.prisma.bonusEntry.findMany({ where: { kind: "birthday", patientId: { in: children } }, select: { patientId: true, amount: true } });
    expect(gifts).toEqual([{ patientId: await patientId("FC-1"), amount: 500 }]);
  }, 120_000);

  it("the doctor's recommended follow-up for a child: the nudge names the child and a tap books the child", async () => {
    // The doctor wants to see Misha again by Thursday; the MIS posts his visit with it, and the slots.
    const posted = await mis("POST", "/api/visits", {
      externalId: "V-FC-1", patientExternalId: "FC-1", doctor: "Белова Анна Игоревна", service: "Удаление зуба", isProcedure: true, amount: 350000, status: "completed",
      startsAt: "2026-12-01T06:30:00Z", completedAt: "2026-12-01T07:00:00Z", followUp: { dueAt: "2026-12-02T06:00:00Z", service: "Контрольный осмотр", doctor: "Белова Анна Игоревна" },
    });
    expect(posted.status).toBeLessThan(300);
    const slots = await mis("POST", "/api/slots", { slots: [{ externalId: "S-FC-1", doctor: "Белова Анна Игоревна", service: "Контрольный осмотр", startsAt: "2026-12-04T07:00:00Z", endsAt: "2026-12-04T07:30:00Z" }] });
    expect(slots.status).toBe(200);

    // Wednesday 12:00 in Moscow: the follow-up is overdue, and Misha has no chat: his mother's.
    await later("2026-12-02T09:00:00Z");
    const run = await runPlanner(service.db, "followup", { clinicId: service.carebot.clinic.id, now: clock.now(), catalog: service.carebot.flows.catalog() });
    expect(run.planned).toBeGreaterThanOrEqual(1);
    await settle();
    const nudge = await next();
    // His points (the visit's and the birthday gift) can pay part of it.
    expect(nudge.text).toMatch(/^Здравствуйте! Мише пора на повторный приём: Контрольный осмотр, врач Белова Анна Игоревна\. Вот ближайшее свободное время — выберите удобное:\nБаллами Миши можно оплатить до \d+\sбаллов стоимости визита\.$/);
    const slot = ((nudge.replyMarkup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard.flat()).find((b) => b.callback_data.includes("slot-"))!;
    api.pressButton(user, nudge.messageId, slot.callback_data);
    expect((await next()).text).toMatch(/^Готово, Миша записан: .*4 дек.* 10:00, Контрольный осмотр, врач Белова Анна Игоревна\./s);

    // The appointment is Misha's, and his follow-up is booked.
    const appointment = await service.db.prisma.appointment.findFirstOrThrow({ where: { slot: { externalId: "S-FC-1" } } });
    expect(appointment.patientId).toBe(await patientId("FC-1"));
    const followUp = await service.db.prisma.followUp.findFirstOrThrow({ where: { patientId: await patientId("FC-1") } });
    expect(followUp.status).toBe("booked");
  }, 60_000);
});
