import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService } from "../../src/app.ts";
import type { RunningService } from "../../src/app.ts";
import type { ChatState } from "../../src/channels/web/chat-state.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { hashPassword } from "../../src/operators/password.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { fakeUser, startFakeBotApi } from "../support/fake-bot-api/index.ts";
import type { FakeBotApi, FakeUser, SentMessage } from "../support/fake-bot-api/index.ts";
import { ROOT } from "../support/cli.ts";
import { createEmptyDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { TestDatabase } from "../support/db.ts";

const TOKEN = "123456:UNDERSTANDING-E2E-TOKEN-00";
const API_TOKEN = "understanding-e2e-api-token-0123456789";

/**
 * Issue 14's cases as a clinic runs CareBot: its MIS posts patients and visits over HTTP, staff
 * use the preview and the console over HTTP, and a patient types ordinary Russian in Telegram
 * (the real grammY bot against the loopback fake Bot API). Only the clock is ours.
 */
describe(`patients' free text end to end (preview over HTTP, Telegram via the fake Bot API) on ${TEST_PROVIDER}`, () => {
  let target: TestDatabase;
  let api: FakeBotApi;
  let service: RunningService;
  const clock = new FixedClock("2026-11-23T07:00:00Z"); // Monday 10:00 in Moscow
  let staff = { cookie: "", csrf: "" };

  const http = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${service.url}${path}`, { method, headers: { ...(body ? { "content-type": "application/json" } : {}), ...headers }, body: body ? JSON.stringify(body) : undefined });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const mis = (method: string, path: string, body?: unknown) => http(method, path, body, { authorization: `Bearer ${API_TOKEN}` });
  const console_ = (path: string) => http("POST", path, {}, { cookie: staff.cookie, "x-csrf-token": staff.csrf });
  const preview = (path: string, body: unknown) => http("POST", path, body, { cookie: staff.cookie }) as Promise<ChatState & { chatId: string }>;
  /** The operator logs in to the console (again, once the clock has run past the 12-hour session). */
  const logIn = async () => {
    const login = await fetch(`${service.url}/console/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ login: "e2e-admin", password: "e2e-admin-password" }) });
    staff = { cookie: /carebot_console=[^;]+/.exec(String(login.headers.get("set-cookie")))![0], csrf: ((await login.json()) as { csrfToken: string }).csrfToken };
  };
  const lastSaid = (state: ChatState) => state.transcript.filter((m) => m.direction === "outbound").at(-1)!;

  /** A patient the MIS sends, with a preview chat open for them. */
  const previewPatient = async (externalId: string, fullName: string, phone: string) => {
    const { id } = (await mis("POST", "/api/patients", { externalId, fullName, phone })) as { id: number };
    const { chatId } = await preview("/preview/api/session", { patientId: id });
    const say = (text: string) => preview("/preview/api/send", { chatId, text });
    const press = (choice: string | number) => preview("/preview/api/send", { chatId, choice });
    const start = (flowId: string) => preview("/preview/api/start", { chatId, flowId });
    return { id, chatId, say, press, start };
  };

  beforeAll(async () => {
    target = await createEmptyDatabase();
    api = await startFakeBotApi({ token: TOKEN });
    const config = loadConfig(
      { DATABASE_URL: target.config.url, PORT: "0", API_TOKEN, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.apiRoot, TELEGRAM_CHAT_INTERVAL_MS: "0" },
      ROOT,
    );
    service = await startService(config, { logger: createLogger({ level: "silent", pretty: false }), clock });
    const clinic = await service.db.prisma.clinic.findFirstOrThrow();
    await service.db.prisma.operator.create({ data: { clinicId: clinic.id, login: "e2e-admin", passwordHash: await hashPassword("e2e-admin-password"), displayName: "Ольга" } });
    await logIn();
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await api?.close();
    await target?.drop();
  });

  describe("in the preview", () => {
    it("a check-in answered «хорошо», «Всё отлично!», «нормально», «всё нормально, спасибо» is fine, not urgent", async () => {
      const anna = await previewPatient("U-P1", "Анна Петрова", "+79165551001");
      for (const text of ["хорошо", "Всё отлично!", "нормально", "всё нормально, спасибо"]) {
        const asked = await anna.start("care-checkin");
        expect(lastSaid(asked).text).toMatch(/^Анна, здравствуйте! Как вы себя чувствуете/);
        const answered = await anna.say(text);
        expect(lastSaid(answered).text).toBe("Рады это слышать! Берегите себя. Если что-то изменится, просто напишите сюда.");
        expect(answered.escalations).toEqual([]);
      }
      // Unsure: the confirming question, and only «да» makes it urgent.
      await anna.start("care-checkin");
      const unsure = await anna.say("ну так себе");
      expect(lastSaid(unsure)).toMatchObject({ text: "Правильно понимаю, что вас что-то беспокоит после приёма?", options: [{ value: "yes", label: "Да" }, { value: "no", label: "Нет" }] });
      expect(unsure.escalations).toEqual([]);
      const confirmed = await anna.say("да");
      expect(confirmed.escalations).toMatchObject([{ reason: "health_complaint", priority: "urgent" }]);
    });

    it("NPS: «11» is re-asked naming 0–10; 10 with «Зуб больше не болит, врач супер!» thanks a happy patient", async () => {
      const anna = await previewPatient("U-P2", "Анна Петрова", "+79165551002");
      await anna.start("nps");
      const reasked = await anna.say("11");
      // One short line with the score buttons again, not the whole question a second time.
      const said = reasked.transcript.filter((m) => m.direction === "outbound");
      expect(said.at(-1)!.text).toContain("от 0 до 10");
      expect(said.at(-1)!.options).toHaveLength(11);
      expect(said.at(-2)!.text).toContain("насколько вероятно, что вы порекомендуете нас");
      expect(reasked.escalations).toEqual([]);
      const again = await anna.say("12");
      expect(again.escalations).toEqual([]);
      await anna.say("десять");
      const thanked = await anna.say("Зуб больше не болит, врач супер!");
      expect(lastSaid(thanked).text).toMatch(/^Спасибо, нам очень приятно!/);
      expect(thanked.escalations).toEqual([]);
    });

    it("rebooking: «Можно в субботу утром?» after «Другое время» reaches the front desk; the female doctor «рекомендовала»", async () => {
      const anna = await previewPatient("U-P3", "Анна Петрова", "+79165551003");
      await mis("POST", "/api/slots", { slots: [{ externalId: "U-S1", doctor: "Орлова Ирина Викторовна", service: "Профессиональная гигиена", startsAt: "2026-11-26T07:00:00Z", endsAt: "2026-11-26T07:45:00Z" }] });
      await mis("POST", "/api/visits", {
        externalId: "U-V3", patientExternalId: "U-P3", doctor: "Орлова Ирина Викторовна", service: "Лечение кариеса", amount: 500_000, status: "completed",
        startsAt: "2026-10-01T07:00:00Z", followUp: { dueAt: "2026-11-30T07:00:00Z", service: "Профессиональная гигиена", doctor: "Орлова Ирина Викторовна" },
      });
      const offer = await anna.start("rebook-followup");
      expect(lastSaid(offer).text).toMatch(/^Анна, врач рекомендовала повторный визит: Профессиональная гигиена, Орлова Ирина Викторовна\./);
      await anna.press("other");
      const wish = await anna.say("Можно в субботу утром?");
      expect(lastSaid(wish).text).toMatch(/^Спасибо, передали администратору — он подберёт время и ответит здесь до /);
      expect(wish.conversation).toMatchObject({ flowId: "rebook-followup", state: "other-time" });
      expect(wish.escalations).toMatchObject([{ reason: "rebook_other_time", priority: "normal", status: "open" }]);
    });

    it("a request for a person stays in the preview's sandbox: the console's queue never shows it, nobody can take it", async () => {
      const anna = await previewPatient("U-P4", "Анна Петрова", "+79165551004");
      const escalationsBefore = await service.db.prisma.escalation.count(); // the demo clinic's history
      const requested = await anna.say("оператор");
      expect(requested.escalations).toMatchObject([{ reason: "operator_request", status: "open" }]);
      const queue = (await http("GET", "/console/api/queue", undefined, { cookie: staff.cookie })) as { queue: unknown[] };
      expect(queue.queue).toEqual([]);
      // The operator's take-over and hand-back after it are Telegram's case below: here there is nothing to take.
      await expect(console_(`/console/api/conversations/${requested.conversation!.id}/take`)).rejects.toThrow(/: 404 /);
      // What she adds is noted on the sandbox's request, still out of the clinic's queue.
      const after = await anna.say("Спасибо, жду звонка");
      expect(lastSaid(after).text).toMatch(/^Спасибо, сообщение сохранено в обращении/);
      expect(after.escalations).toHaveLength(1);
      expect(await service.db.prisma.escalation.count()).toBe(escalationsBefore);
    });
  });

  describe("what patients write in their own words (preview)", () => {
    it("on the consents screen, «хочу записаться к врачу» leaves for booking; an unclear reply is re-asked in one short line with the same buttons", async () => {
      const anna = await previewPatient("U-P5", "Анна Петрова", "+79165551005");
      const screen = await anna.start("consents");
      expect(lastSaid(screen).text).toMatch(/^Ваши согласия в клинике/);
      const unclear = await anna.say("ну не знаю");
      expect(lastSaid(unclear).text).toMatch(/^Извините, не получилось разобрать ответ\. Выберите, пожалуйста, вариант ниже/);
      expect(lastSaid(unclear).options).toEqual(lastSaid(screen).options);
      expect(unclear.transcript.filter((m) => m.direction === "outbound" && /^Ваши согласия/.test(m.text))).toHaveLength(1);
      const thanked = await anna.say("спасибо");
      expect(thanked.escalations).toEqual([]); // politeness is not counted as a wrong answer
      // A thank-you is not a wrong answer: a warm word and the same buttons, no apology.
      expect(lastSaid(thanked).text).toBe("Пожалуйста! Когда будете готовы, выберите вариант ниже — или напишите «меню», если нужно что-то другое.");
      expect(lastSaid(thanked).options).toEqual(lastSaid(screen).options);
      const booking = await anna.say("хочу записаться к врачу");
      expect(booking.conversation).toMatchObject({ flowId: "rebook-followup" });
      expect(lastSaid(booking).text).not.toMatch(/не получилось разобрать/);
      expect(booking.escalations).toEqual([]);
    });

    it("«привет, сколько у меня баллов?» answers the balance, from idle and from inside another flow's question", async () => {
      const anna = await previewPatient("U-P6", "Анна Петрова", "+79165551006");
      const idle = await anna.say("привет, сколько у меня баллов?");
      expect(idle.conversation).toMatchObject({ flowId: "bonus-balance" });
      expect(lastSaid(idle).text).toMatch(/^Анна, .*балл/);
      expect(idle.escalations).toEqual([]);
      await anna.start("consents");
      const fromConsents = await anna.say("а сколько у меня бонусов?");
      expect(fromConsents.conversation).toMatchObject({ flowId: "bonus-balance" });
      expect(fromConsents.escalations).toEqual([]);
      // Where any text is the answer (the NPS comment), it stays the answer: leaving would lose the score.
      await anna.start("nps");
      await anna.say("9");
      const inComment = await anna.say("а сколько у меня бонусов?");
      expect(inComment.conversation).toMatchObject({ flowId: "nps" });
      // The answer is recorded (the flow reaches its promoter thanks only after recordNps).
      expect(lastSaid(inComment).text).toMatch(/^Спасибо, нам очень приятно!/);
      await anna.start("consents");
      const person = await anna.say("позовите администратора");
      expect(person.conversation).toMatchObject({ flowId: "operator-request" });
      expect(person.escalations).toMatchObject([{ reason: "operator_request" }]);
    });

    it("«отпишите меня» stops messages even where any text is an answer; a red flag on a button screen reaches a doctor", async () => {
      const anna = await previewPatient("U-P7", "Анна Петрова", "+79165551007");
      await anna.start("nps");
      await anna.say("10");
      const stop = await anna.say("отпишите меня пожалуйста");
      expect(stop.conversation).toMatchObject({ flowId: "opt-out" });
      expect(lastSaid(stop).text).toMatch(/^Вы хотите, чтобы мы больше не присылали вам сообщения/);
      await anna.start("consents");
      const red = await anna.say("у меня кровь не останавливается после удаления");
      expect(lastSaid(red).text).toMatch(/^Это может быть серьёзно\./);
      expect(red.escalations).toMatchObject([{ reason: "health_complaint", priority: "urgent" }]);
    });

    it("«не хочу записываться» is not a booking", async () => {
      const refused = await (await previewPatient("U-P8", "Анна Петрова", "+79165551008")).say("не хочу записываться");
      expect(refused.conversation?.flowId).not.toBe("rebook-followup");
      expect(lastSaid(refused).text).not.toMatch(/Выберите, пожалуйста, услугу/);
    });
  });

  describe("in Telegram", () => {
    let user: FakeUser;
    let seen = 0;
    const next = async (): Promise<SentMessage> => (await api.waitForMessages(user.id, ++seen, 10_000))[seen - 1]!;
    const button = (message: SentMessage, label: string) => {
      const rows = (message.replyMarkup as { inline_keyboard?: { text: string; callback_data: string }[][] })?.inline_keyboard ?? [];
      const found = rows.flat().find((b) => b.text === label);
      if (!found) throw new Error(`no button ${label} in ${JSON.stringify(rows)}`);
      return found.callback_data;
    };
    const advance = async (ms: number) => {
      clock.advance(ms);
      await service.dispatcher.drain();
    };

    it("«Анна Петрова» is greeted as Анна when her chat links", async () => {
      await mis("POST", "/api/patients", { externalId: "U-T1", fullName: "Анна Петрова", phone: "+79165552001" });
      user = fakeUser(901, { firstName: "Анна", languageCode: "ru" });
      api.sendCommand(user, "/start");
      await next();
      api.sendContact(user, { phone: "+79165552001" });
      expect((await next()).text).toMatch(/^Спасибо, Анна! Мы нашли вашу карту/);
      await next(); // the menu
    });

    it("NPS: «11», «десять», then «Зуб больше не болит, врач супер!» ends with thanks, not an urgent reply", async () => {
      await mis("POST", "/api/visits", {
        externalId: "U-TV1", patientExternalId: "U-T1", doctor: "Орлова Ирина Викторовна", service: "Удаление зуба", serviceCategory: "dentistry",
        isProcedure: true, amount: 600_000, status: "completed", startsAt: "2026-11-23T06:30:00Z",
      });
      await advance(2 * 3600_000 + 60_000);
      expect((await next()).text).toContain("насколько вероятно, что вы порекомендуете нас");
      api.sendText(user, "11");
      const reasked = await next();
      expect(reasked.text).toContain("от 0 до 10");
      expect(button(reasked, "10")).toBeTruthy(); // the buttons again, under a short line
      api.sendText(user, "десять");
      expect((await next()).text).toMatch(/^Спасибо! Что вам понравилось больше всего\?/);
      api.sendText(user, "Зуб больше не болит, врач супер!");
      expect((await next()).text).toMatch(/^Спасибо, нам очень приятно!/);
      const open = (await mis("GET", "/api/escalations?status=open")) as { patientExternalId: string }[];
      expect(open.filter((e) => e.patientExternalId === "U-T1")).toEqual([]);
    });

    it("the next-day check-in answered «всё нормально, спасибо» is fine", async () => {
      await advance(24 * 3600_000);
      expect((await next()).text).toMatch(/^Анна, здравствуйте! Как вы себя чувствуете после вчерашнего приёма/);
      api.sendText(user, "всё нормально, спасибо");
      expect((await next()).text).toBe("Рады это слышать! Берегите себя. Если что-то изменится, просто напишите сюда.");
      const open = (await mis("GET", "/api/escalations?status=open")) as { patientExternalId: string }[];
      expect(open.filter((e) => e.patientExternalId === "U-T1")).toEqual([]);
    });

    it("rebooking: after «Другое время», «Можно в субботу утром?» reaches the front desk, not the menu", async () => {
      await mis("POST", "/api/slots", { slots: [{ externalId: "U-TS1", doctor: "Орлова Ирина Викторовна", service: "Профессиональная гигиена", startsAt: "2026-11-27T07:00:00Z", endsAt: "2026-11-27T07:45:00Z" }] });
      await mis("POST", "/api/visits", {
        externalId: "U-TV2", patientExternalId: "U-T1", doctor: "Орлова Ирина Викторовна", service: "Лечение кариеса", amount: 700_000, status: "completed",
        startsAt: "2026-10-01T07:00:00Z", followUp: { dueAt: "2026-11-23T07:00:00Z", service: "Профессиональная гигиена", doctor: "Орлова Ирина Викторовна" },
      });
      await mis("POST", "/api/visits", {
        externalId: "U-TV3", patientExternalId: "U-T1", doctor: "Орлова Ирина Викторовна", service: "Профессиональная гигиена", amount: 0, status: "missed", startsAt: "2026-11-23T07:00:00Z",
      });
      await advance(60_000);
      const offer = await next();
      expect(offer.text).toMatch(/^Анна, врач рекомендовала повторный визит: Профессиональная гигиена/);
      // A thank-you under the buttons is not a wrong answer: a warm word and the same buttons again.
      api.sendText(user, "спасибо!");
      const thanked = await next();
      expect(thanked.text).toBe("Пожалуйста! Когда будете готовы, выберите вариант ниже — или напишите «меню», если нужно что-то другое.");
      api.pressButton(user, thanked.messageId, button(thanked, "Другое время"));
      expect((await next()).text).toMatch(/^Хорошо, передали администратору — он подберёт удобное время/);
      api.sendText(user, "Можно в субботу утром?");
      const noted = await next();
      expect(noted.text).not.toMatch(/чем мы можем помочь/);
      expect(noted.text).toMatch(/^Спасибо, передали администратору — он подберёт время и ответит здесь до /);
      const escalation = await service.db.prisma.escalation.findFirstOrThrow({ where: { identity: { externalChatId: String(user.id) }, status: "open" } });
      expect(escalation).toMatchObject({ reason: "rebook_other_time", details: { notes: [{ text: "Можно в субботу утром?" }] } });
      // The front desk takes the chat, books the visit, hands the chat back and closes the request.
      await logIn();
      await console_(`/console/api/conversations/${escalation.conversationId}/take`);
      await console_(`/console/api/conversations/${escalation.conversationId}/hand-back`);
      expect((await next()).text).toMatch(/^Если появятся ещё вопросы — пишите/);
      await console_(`/console/api/escalations/${escalation.id}/resolve`);
    });

    it("a question typed out of the blue goes to the front desk, and a red flag is urgent with the emergency advice", async () => {
      api.sendText(user, "Подскажите, когда можно чистить зубы в месте удаления?");
      expect((await next()).text).toMatch(/^Спасибо, передали ваше сообщение администратору клиники — вам ответят здесь до /);
      api.sendText(user, "и кровь не останавливается");
      expect((await next()).text).toMatch(/^Это может быть серьёзно\..*103/s);
      const open = (await mis("GET", "/api/escalations?status=open")) as { patientExternalId: string; reason: string; priority: string }[];
      expect(open.filter((e) => e.patientExternalId === "U-T1")).toEqual([expect.objectContaining({ reason: "health_complaint", priority: "urgent" })]);
    });

    it("after the operator hands back, «Спасибо, жду звонка» is a note on the same escalation, not the menu", async () => {
      const conversation = await service.db.prisma.conversation.findFirstOrThrow({ where: { identity: { externalChatId: String(user.id) } }, orderBy: { id: "desc" } });
      const escalation = await service.db.prisma.escalation.findFirstOrThrow({ where: { identity: { externalChatId: String(user.id) }, status: "open" } });
      await logIn();
      await console_(`/console/api/conversations/${conversation.id}/take`);
      await console_(`/console/api/conversations/${conversation.id}/hand-back`);
      api.sendText(user, "Спасибо, жду звонка");
      const reply = await next();
      expect(reply.text).not.toMatch(/чем мы можем помочь/);
      expect(reply.text).toMatch(/^Спасибо, добавили ваше сообщение к обращению — вам ответят здесь до /);
      const notes = ((await service.db.prisma.escalation.findUniqueOrThrow({ where: { id: escalation.id } })).details as { notes: { text: string }[] }).notes;
      expect(notes.map((n) => n.text)).toEqual(["Подскажите, когда можно чистить зубы в месте удаления?", "и кровь не останавливается", "Спасибо, жду звонка"]);
    });
  });
});
