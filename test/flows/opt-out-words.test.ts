import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { createTestRouter } from "../support/runtime.ts";

/**
 * «Вы хотите, чтобы мы больше не присылали вам сообщения?» answered in words: «да» used to get
 * «Извините, не получилось разобрать ответ» (only the buttons were read). A plain yes stops the
 * messages, a plain no keeps them, anything unsure is asked again and changes nothing.
 */
describe(`the opt-out question answered in words, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  const clock = new FixedClock("2026-11-23T08:00:00Z");
  let r: ReturnType<typeof createTestRouter>;
  let chats = 0;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db)).id;
    r = createTestRouter(t.db, clock, clinicId);
  });
  afterAll(() => t?.dispose());

  const asked = async (wish: string) => {
    const patient = await createPatient(db, clinicId, { fullName: "Анна Петрова" });
    const chatId = `opt-out-words-${++chats}`;
    await linkChat(db, clinicId, patient.id, chatId);
    await r.text(chatId, wish);
    const last = async () => (await r.outbox(chatId)).at(-1)!;
    expect((await last()).text).toMatch(/^Вы хотите, чтобы мы больше не присылали вам сообщения/);
    const optedOut = async () => (await db.patient.findUniqueOrThrow({ where: { id: patient.id } })).optedOutAt !== null;
    return { chatId, last, optedOut };
  };

  it.each([
    ["хватит писать", "да"],
    ["уберите рассылку", "Да, больше не присылать"],
    ["надоели ваши сообщения", "ок"],
  ])("«%s», then «%s»: messages stop", async (wish, answer) => {
    const p = await asked(wish);
    await r.text(p.chatId, answer);
    expect((await p.last()).text).toMatch(/^Готово: мы больше не будем писать вам первыми\./);
    expect(await p.optedOut()).toBe(true);
  });

  it.each(["нет", "нет, оставьте"])("«%s» keeps them", async (answer) => {
    const p = await asked("отпишите меня");
    await r.text(p.chatId, answer);
    expect((await p.last()).text).toBe("Хорошо, всё остаётся как было. Спасибо, что остаётесь с нами!");
    expect(await p.optedOut()).toBe(false);
  });

  it.each(["не знаю", "да наверное"])("«%s» is asked again and changes nothing", async (answer) => {
    const p = await asked("отпишите меня");
    await r.text(p.chatId, answer);
    expect((await p.last()).text).toMatch(/^Извините, не получилось разобрать ответ\. Выберите, пожалуйста, вариант ниже/);
    expect(await p.optedOut()).toBe(false);
  });
});
