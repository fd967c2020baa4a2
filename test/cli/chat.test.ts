import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCli } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient } from "../support/fixtures.ts";

/** `carebot chat` with a pipe for stdin: lines are written as the output asks for them; ending stdin ends the chat. */
const chat = (args: string[], env: Record<string, string>, timeoutMs = 30_000) => openCli(["chat", ...args], env, timeoutMs);

describe(`carebot chat on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let env: Record<string, string>;
  let anna: Awaited<ReturnType<typeof createPatient>>;
  let boris: Awaited<ReturnType<typeof createPatient>>;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    const clinic = await createClinic(t.db.prisma);
    anna = await createPatient(t.db.prisma, clinic.id, { fullName: "Петрова Анна Сергеевна" });
    boris = await createPatient(t.db.prisma, clinic.id, { fullName: "Иванов Борис" });
    // The terminal chat in Russian, as a clinic's staff reads it; the last case checks the English.
    env = { DATABASE_URL: t.config.url, CAREBOT_LANG: "ru" };
  });
  afterAll(() => t?.dispose());

  it("talks to the menu, picks an option by its number, shows the state, and exits at end of input", async () => {
    const c = chat(["--patient", String(anna.id)], env);
    c.write("меню");
    const [, number] = await c.waitFor(/^ {2}(\d+)\) Связаться с администратором$/m);
    c.write(number!);
    await c.waitFor(/ответят здесь же/);
    c.write("/state");
    c.end();
    expect(await c.exited).toBe(0);
    const { stdout, stderr } = c.output();
    expect(stderr).toBe("");
    expect(stdout).toContain("Клиника: Анна, чем мы можем помочь? Выберите, пожалуйста:\n");
    expect(stdout).toMatch(/Клиника: Анна, ваш запрос передан администратору клиники\. Вам ответят здесь же, в этом чате, до .+\n {9}Пока ждёте/);
    expect(stdout).toContain("Сценарий: operator-request v2, состояние: requested, статус: bot\n");
    expect(stdout).toContain('Контекст: {"question":null}\n');
    expect(stdout).toMatch(/Обращение № \d+: operator_request, приоритет high, open/);

    const identity = await t.db.prisma.channelIdentity.findFirstOrThrow({ where: { externalChatId: `cli-${anna.id}` } });
    expect(identity).toMatchObject({ channel: "web", patientId: anna.id, linkedAt: expect.any(Date) });
  });

  it("asks for the patient without --patient, starts a flow, resets", async () => {
    const c = chat([], env);
    await c.waitFor(/Номер пациента|Пациенты/);
    c.write("nobody");
    await c.waitFor(/Нет пациента с номером «nobody»/);
    c.write(String(boris.id));
    await c.waitFor(/от имени пациента Иванов Борис/);
    c.write("/start no-such-flow");
    await c.waitFor(/Нет сценария «no-such-flow»\. Есть: .*opt-out/);
    c.write("/start opt-out");
    await c.waitFor(/ {2}2\) Нет, оставить/);
    c.write("2");
    await c.waitFor(/всё остаётся как было/);
    c.write("/reset");
    c.write("/state");
    c.end();
    expect(await c.exited).toBe(0);
    const { stdout } = c.output();
    expect(stdout).toMatch(new RegExp(`^ +${anna.id} {2}Петрова Анна Сергеевна$`, "m"));
    expect(stdout).toMatch(new RegExp(`^ +${boris.id} {2}Иванов Борис$`, "m"));
    expect(stdout).toContain("Переписка сброшена");
    expect(stdout.trimEnd().endsWith("Разговора ещё нет.")).toBe(true);
    expect(await t.db.prisma.message.count({ where: { identity: { externalChatId: `cli-${boris.id}` } } })).toBe(0);
  });

  it("refuses an unknown patient with exit code 2 and one line", async () => {
    const c = chat(["--patient", "999999"], { ...env, CAREBOT_LANG: "en" });
    c.end();
    expect(await c.exited).toBe(2);
    expect(c.output().stderr).toMatch(/^carebot chat: no patient with id "999999" in .+\n$/);
  });
});
