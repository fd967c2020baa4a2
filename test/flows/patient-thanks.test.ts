import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { createTestRouter } from "../support/runtime.ts";

/**
 * A patient's «спасибо!» after a birthday greeting or a referral link got the whole menu back
 * («Анна, чем мы можем помочь? Выберите…»), and while waiting for the front desk «Спасибо,
 * добавили ваше сообщение к обращению». A caring clinic says «Пожалуйста!»; a question beside
 * the thanks is still a question for a person.
 */
describe(`a patient's thank-you and other short wishes out of the blue, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  const clock = new FixedClock("2026-11-23T08:00:00Z"); // Monday 11:00 in Moscow
  let r: ReturnType<typeof createTestRouter>;
  let chats = 0;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db)).id;
    r = createTestRouter(t.db, clock, clinicId);
  });
  afterAll(() => t?.dispose());

  const chat = async () => {
    const patient = await createPatient(db, clinicId, { fullName: "Анна Петрова" });
    const chatId = `thanks-${++chats}`;
    const identity = await linkChat(db, clinicId, patient.id, chatId);
    const last = async () => (await r.outbox(chatId)).at(-1)!;
    const escalations = () => db.escalation.findMany({ where: { identityId: identity.id }, orderBy: { id: "asc" } });
    return { chatId, last, escalations };
  };

  it.each(["спасибо!", "Спасибо большое", "спасибо за поздравление!", "спасибо что напомнили"])("«%s» with nobody waiting is answered warmly, without the menu or a request", async (text) => {
    const p = await chat();
    await r.text(p.chatId, text);
    const said = await p.last();
    expect(said.text).toBe("Пожалуйста, Анна! Если что-то понадобится — просто напишите сюда или наберите «меню».");
    expect(said.options ?? []).toEqual([]);
    expect(await p.escalations()).toEqual([]);
  });

  it.each(["спасибо, а когда можно подъехать", "спасибо как долго заживает"])("«%s» asks something: it goes to the front desk", async (text) => {
    const p = await chat();
    await r.text(p.chatId, text);
    expect((await p.last()).text).toMatch(/^Спасибо, передали ваше сообщение администратору клиники — вам ответят здесь до /);
    expect(await p.escalations()).toMatchObject([{ status: "open" }]);
  });

  it("«спасибо!» while the front desk has the question is added to it and answered «Пожалуйста!»", async () => {
    const p = await chat();
    await r.text(p.chatId, "сколько стоит чистка зубов");
    expect(await p.escalations()).toHaveLength(1);
    await r.text(p.chatId, "спасибо!");
    expect((await p.last()).text).toMatch(/^Пожалуйста! Администратор видит ваше обращение и ответит здесь до 2\d ноября в \d\d:\d\d\.$/);
    expect(await p.escalations()).toHaveLength(1);
  });

  it.each([
    ["хочу подарить сертификат маме", "gift-certificate"],
    ["отпишите меня от рекламы", "consents"],
  ])("«%s» out of the blue opens %s (it went to the front desk, or stopped every message)", async (text, flowId) => {
    const p = await chat();
    await r.text(p.chatId, text);
    expect((await r.conversation(p.chatId))?.flowId).toBe(flowId);
    expect(await p.escalations()).toEqual([]);
  });
});
