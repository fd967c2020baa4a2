// A clinic's own flow versions at run time, on a real database: the published version starts new
// conversations (with its own texts), one started before finishes on its old definition and old
// text, a rollback brings the old text back, a flow turned off starts for nobody, and the page's
// counts say how many conversations run each version.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FlowDefinition } from "../../src/flows/definition/schema.ts";
import { checkFlowDraft } from "../../src/operators/flows/check-draft.ts";
import { compareFlows } from "../../src/operators/flows/compare.ts";
import { flowDetail, publishFlowVersion, rollBackFlow, saveFlowDraft } from "../../src/operators/flows/store.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { createTestRouter } from "../support/runtime.ts";

const NEW_ASK = "Как вам у нас сегодня? Поставьте оценку от 0 до 10, пожалуйста.";
const NEW_COMMENT = "Спасибо! Расскажите, что запомнилось.";

describe(`published flow versions at run time on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let clinicId: number;
  let operatorId: number;
  const clock = new FixedClock("2026-12-03T09:00:00Z");
  let harness: ReturnType<typeof createTestRouter>;
  let chats = 0;

  const newChat = async () => {
    const patient = await createPatient(t.db.prisma, clinicId, { fullName: `Смирнова Анна Сергеевна`, phone: `+7900000${String(++chats).padStart(4, "0")}` });
    const identity = await linkChat(t.db.prisma, clinicId, patient.id, `chat-${chats}`);
    return { chatId: identity.externalChatId, identityId: identity.id };
  };
  const lastText = async (chatId: string) => (await harness.outbox(chatId)).at(-1)!;
  const files = () => harness.flows.catalog();
  const edited = (): FlowDefinition => {
    const def = structuredClone(files().get("nps")!.def);
    const ask = (def.states.score!.entry as unknown as { params: { options: unknown[] } }[])[0]!;
    ask.params.options.push({ value: "option-1", label: "nps.score.button-1" });
    def.states.score!.on!.CHOICE = [{ guard: { type: "optionIs", params: { value: "option-1" } }, target: "expired" }];
    def.texts = {
      "nps.ask": { ru: NEW_ASK, en: "How was your visit today? Rate us from 0 to 10, please." },
      "nps.comment": { ru: NEW_COMMENT, en: "Thank you! What stayed with you?" },
      "nps.score.button-1": { ru: "Не хочу оценивать", en: "I'd rather not rate" },
    };
    return def;
  };

  beforeAll(async () => {
    t = await createMigratedDatabase();
    clinicId = (await createClinic(t.db.prisma)).id;
    operatorId = (await t.db.prisma.operator.create({ data: { clinicId, login: "admin", role: "admin", passwordHash: "x", displayName: "Ирина" } })).id;
    harness = createTestRouter(t.db, clock, clinicId);
  });
  afterAll(() => t?.dispose());

  it("starts new conversations on the published version, finishes old ones on theirs, and rolls back", async () => {
    const before = await newChat();
    await harness.router.startFlow(before.identityId, "nps", { category: "care" });
    expect((await lastText(before.chatId)).text).toContain("Оцените, пожалуйста, насколько вероятно");
    expect((await harness.conversation(before.chatId))!.contentVersionId).toBeNull();

    const saved = await saveFlowDraft(t.db, { clinicId, flowId: "nps", definition: edited(), operatorId, now: clock.now(), files: files() });
    expect(saved).toEqual({ status: "saved", version: 1 });
    // A draft changes nothing for patients.
    const whileDraft = await newChat();
    await harness.router.startFlow(whileDraft.identityId, "nps", { category: "care" });
    expect((await lastText(whileDraft.chatId)).text).toContain("Оцените, пожалуйста");

    expect(await publishFlowVersion(t.db, { clinicId, flowId: "nps", version: 1, operatorId, now: clock.now(), files: files() })).toEqual({ status: "done", published: 1 });
    const after = await newChat();
    await harness.router.startFlow(after.identityId, "nps", { category: "care" });
    const ask = await lastText(after.chatId);
    expect(ask.text).toBe(NEW_ASK);
    expect(ask.options!.map((o) => o.label)).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "Не хочу оценивать"]);
    const row = await harness.conversation(after.chatId);
    expect(row!.contentVersionId).not.toBeNull();

    // The new button leads where the editor said.
    await harness.send(after.chatId, { type: "CHOICE", value: "option-1" });
    expect((await harness.conversation(after.chatId))!.status).toBe("closed");

    // The conversation started before publishing finishes on the file: its next question is the old text.
    await harness.text(before.chatId, "9");
    expect((await lastText(before.chatId)).text).toContain("Что вам понравилось больше всего?");

    const detail = await flowDetail(t.db, clinicId, "nps", files());
    expect(detail!.current.version).toBe(1);
    // whileDraft still waits for a score on the file; before is at its comment, on the file too.
    expect(detail!.runningOnFile).toBe(2);
    const third = await newChat();
    await harness.router.startFlow(third.identityId, "nps", { category: "care" });
    expect((await flowDetail(t.db, clinicId, "nps", files()))!.versions.find((v) => v.version === 1)!.running).toBe(1);

    expect(await rollBackFlow(t.db, { clinicId, flowId: "nps", version: 0, operatorId, now: clock.now(), files: files() })).toEqual({ status: "done", published: 0 });
    const rolled = await newChat();
    await harness.router.startFlow(rolled.identityId, "nps", { category: "care" });
    expect((await lastText(rolled.chatId)).text).toContain("Оцените, пожалуйста, насколько вероятно");
    // …while the one started on version 1 keeps its text to the end.
    await harness.text(third.chatId, "10");
    expect((await lastText(third.chatId)).text).toBe(NEW_COMMENT);

    // Rolling back to version 1 publishes a copy of it as version 2.
    expect(await rollBackFlow(t.db, { clinicId, flowId: "nps", version: 1, operatorId, now: clock.now(), files: files() })).toEqual({ status: "done", published: 2 });
    const again = await newChat();
    await harness.router.startFlow(again.identityId, "nps", { category: "care" });
    expect((await lastText(again.chatId)).text).toBe(NEW_ASK);

    const audit = await t.db.prisma.auditEntry.findMany({ where: { clinicId, target: "flow:nps" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["flow.draft", "flow.publish", "flow.rollback", "flow.rollback"]);
    expect(audit.every((a) => a.operatorId === operatorId)).toBe(true);
  });

  it("a flow turned off starts for nobody: not by its keyword, not by the scheduler", async () => {
    const balance = structuredClone(files().get("bonus-balance")!.def);
    balance.enabled = false;
    const saved = await saveFlowDraft(t.db, { clinicId, flowId: "bonus-balance", definition: balance, operatorId, now: clock.now(), files: files() });
    expect(saved.status).toBe("saved");
    const chat = await newChat();
    await harness.text(chat.chatId, "баланс");
    expect((await harness.conversation(chat.chatId))!.flowId).toBe("bonus-balance");

    await publishFlowVersion(t.db, { clinicId, flowId: "bonus-balance", version: 1, operatorId, now: clock.now(), files: files() });
    await harness.text(chat.chatId, "баланс");
    expect((await harness.conversation(chat.chatId))!.flowId).not.toBe("bonus-balance");
    await expect(harness.router.startFlow(chat.identityId, "bonus-balance", { category: "transactional" })).rejects.toThrow('the clinic turned the flow "bonus-balance" off');
    const catalog = await harness.router.clinicCatalog();
    expect(catalog.forScheduledKind("balance")).toBeUndefined();
    expect(catalog.menu().map((m) => m.flowId)).not.toContain("bonus-balance");
  });

  it("refuses a broken draft with its problems in Russian, and compares versions in words", () => {
    const broken = edited();
    (broken.states.score!.on!.CHOICE as { target: string }[])[0]!.target = "nowhere";
    broken.texts!["nps.ask"]!.ru = "Оцените нас, {{context.mood}}";
    const checked = checkFlowDraft(broken, "nps", files());
    expect(checked.ok).toBe(false);
    const problems = checked.ok ? [] : checked.problems;
    expect(problems).toContainEqual({ path: "states.score.on.CHOICE[0].target", message: expect.stringMatching(/^нет шага «nowhere» \(есть: score, comment/) });
    expect(problems).toContainEqual({ path: "texts.nps.ask.ru", message: "использует context.mood, которого нет в «context» сценария" });
    const menu = checkFlowDraft({ ...files().get("main-menu")!.def, enabled: false }, "main-menu", files());
    expect(menu.ok ? [] : menu.problems).toEqual([{ path: "enabled", message: "этот сценарий нужен CareBot всегда, выключить его нельзя" }]);

    const later = edited();
    later.states.score!.after = { P3D: "expired" };
    const changes = compareFlows(files().get("nps")!.def, later, files().templates, "ru").map((c) => c.text);
    // Steps are named by their question (the new one here), never by the file's ids; a step with no text by what it does.
    // A long text is shortened in the comparison; the new one is shown whole.
    const ask = "Шаг «Как вам у нас сегодня?»";
    expect(changes.some((c) => c.startsWith(`${ask}, текст (рус.): «{{#if ward.name}}`) && c.endsWith(`» → «${NEW_ASK}»`))).toBe(true);
    expect(changes.some((c) => c.startsWith("Шаг «Расскажите, что запомнилось.», текст (англ.): «{{#if context.happy}}") && c.endsWith("» → «Thank you! What stayed with you?»"))).toBe(true);
    expect(changes).toContain(`${ask}: новая кнопка «Не хочу оценивать», ведёт к шагу «Конец разговора»`);
    expect(changes).toContain(`${ask}: таймер через 2 дня → через 3 дня`);
    expect(changes.join("\n")).not.toMatch(/«(score|comment|expired)»/);
  });
});
