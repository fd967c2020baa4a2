// `carebot chat`: talk to the clinic's flows in a terminal as one of its patients, through the
// same router and runtime as the messengers (channel "web", chat `cli-<patientId>`).
import { createInterface } from "node:readline";
import { DateTime } from "luxon";
import type { Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { OutboundOption } from "../channels/types.ts";
import { readChatState } from "../channels/web/chat-state.ts";
import { toInboundMessage } from "../channels/web/inbound.ts";
import type { WebInput } from "../channels/web/inbound.ts";
import { listPatients } from "../channels/web/list-patients.ts";
import { resetChat } from "../channels/web/reset-chat.ts";
import { readTranscript } from "../channels/web/transcript.ts";
import { CLI_CHAT_PREFIX, linkWebIdentity } from "../channels/web/web-identity.ts";
import type { Config } from "../config.ts";
import { createCareBot } from "../core.ts";
import type { CareBot } from "../core.ts";
import { openDatabase } from "../db/client.ts";
import { applyMigrations } from "../db/migrate/index.ts";
import { createLogger } from "../logger.ts";
import { systemClock } from "../util/clock.ts";

export interface ChatIo {
  input: Readable & { isTTY?: boolean };
  output: Writable;
  error: Writable;
}

const HELP = "Команды: /state — где сейчас разговор, /start <сценарий> — запустить сценарий, /contact — поделиться номером, /reset — начать заново, /quit — выйти.";
const PROMPT = "Вы: ";
const INDENT = " ".repeat("Клиника: ".length);

/** The chat's lines one at a time; piped input works the same as typing, and its end ends the chat. */
function lineReader(rl: Interface): () => Promise<string | null> {
  const lines = rl[Symbol.asyncIterator]();
  return async () => {
    const next = await lines.next();
    return next.done ? null : String(next.value);
  };
}

export async function chatCommand(config: Config, options: { patient?: string }, io: ChatIo = { input: process.stdin, output: process.stdout, error: process.stderr }): Promise<number> {
  const print = (line = "") => io.output.write(`${line}\n`);
  const logger = createLogger({ level: config.logLevel, pretty: false, destination: io.error as unknown as { write(msg: string): void } });
  await applyMigrations(config.database);
  const db = openDatabase(config.database);
  let rl: Interface | undefined;
  try {
    const carebot = await createCareBot(config, db, { clock: systemClock, logger });
    const tty = io.input.isTTY === true;
    rl = createInterface({ input: io.input, output: tty ? io.output : undefined, terminal: tty });
    const readLine = lineReader(rl);
    const ask = async (prompt: string) => {
      if (tty) {
        rl!.setPrompt(prompt);
        rl!.prompt();
      }
      return readLine();
    };

    const patient = await pickPatient(carebot, options.patient, print, ask, io.error);
    if (patient === "usage") return 2;
    if (!patient) return 0;
    const identity = await linkWebIdentity(carebot, patient.id, `${CLI_CHAT_PREFIX}${patient.id}`);
    print(`Чат с клиникой «${carebot.clinic.name}» от имени пациента ${patient.fullName} (№ ${patient.id}).`);
    print(HELP);

    // Only what is new is printed; a chat picked up again remembers the buttons it last showed.
    const earlier = await readTranscript(carebot, identity.id);
    let lastSeen = earlier.at(-1)?.id ?? 0;
    let shown: OutboundOption[] | null = earlier.filter((m) => m.direction === "outbound").at(-1)?.options ?? null;
    const printNew = async () => {
      const all = await readTranscript(carebot, identity.id, lastSeen);
      lastSeen = all.at(-1)?.id ?? lastSeen;
      const fresh = all.filter((m) => m.direction === "outbound");
      for (const m of fresh) {
        print(`Клиника: ${m.text.split("\n").join(`\n${INDENT}`)}`);
        if (m.options) m.options.forEach((o, i) => print(`  ${typeof o.value === "number" ? o.value : i + 1}) ${o.label}`));
        if (m.requestContact) print("  (клиника просит номер телефона: /contact, чтобы поделиться)");
      }
      if (fresh.length > 0) shown = fresh.at(-1)!.options ?? null;
    };
    const send = async (input: WebInput) => {
      const result = await carebot.router.handle(toInboundMessage(identity.externalChatId, input), { numberedMenu: true });
      if (result.status === "operator") print("(разговор ведёт оператор: сообщение передано ему)");
      await printNew();
    };

    for (;;) {
      const raw = await ask(PROMPT);
      if (raw === null) break;
      const line = raw.trim();
      if (!line) continue;
      if (!tty) print(`${PROMPT}${line}`);
      const [command, ...args] = line.split(/\s+/);
      if (command === "/quit" || command === "/exit") break;
      if (command === "/help") {
        print(HELP);
      } else if (command === "/state") {
        printState(await readChatState(carebot, identity.id), carebot.clinic.timezone, print);
      } else if (command === "/reset") {
        await resetChat(carebot, identity.id);
        shown = null;
        print("Переписка сброшена: разговоры закрыты, можно начинать заново.");
      } else if (command === "/contact") {
        if (!patient.phone) print("У пациента нет номера телефона в карточке.");
        else await send({ contact: { phone: patient.phone } });
      } else if (command === "/start" && args.length > 0) {
        const flow = carebot.flows.catalog().get(args[0]!);
        if (!flow) {
          print(`Нет сценария «${args[0]}». Есть: ${[...carebot.flows.catalog().flows.keys()].sort().join(", ")}.`);
          continue;
        }
        await carebot.router.startFlow(identity.id, flow.def.id, { category: flow.def.category });
        await printNew();
      } else {
        await send(pickedOption(line, shown) ?? { text: line });
      }
    }
    return 0;
  } finally {
    rl?.close();
    await db.close();
  }
}

/** A typed number picks a shown option: its place in the list, or its value when the values are numbers (a score). */
function pickedOption(line: string, shown: OutboundOption[] | null): WebInput | null {
  if (!shown || shown.length === 0 || !/^\d{1,2}$/.test(line)) return null;
  const n = Number(line);
  if (shown.some((o) => typeof o.value === "number")) {
    const byValue = shown.find((o) => o.value === n);
    return byValue ? { choice: byValue.value } : null;
  }
  const byPlace = shown[n - 1];
  return byPlace ? { choice: byPlace.value } : null;
}

type PickedPatient = { id: number; fullName: string; phone: string | null };

async function pickPatient(
  carebot: CareBot,
  given: string | undefined,
  print: (line?: string) => void,
  ask: (prompt: string) => Promise<string | null>,
  error: Writable,
): Promise<PickedPatient | "usage" | null> {
  const find = (id: number) =>
    carebot.db.prisma.patient.findFirst({ where: { id, clinicId: carebot.clinic.id }, select: { id: true, fullName: true, phone: true } });
  if (given !== undefined) {
    const patient = /^\d+$/.test(given.trim()) ? await find(Number(given.trim())) : null;
    if (!patient) error.write(`carebot chat: no patient with id "${given}" in ${carebot.clinic.name}; run \`carebot chat\` without --patient to pick one\n`);
    return patient ?? "usage";
  }
  const patients = await listPatients(carebot, "", 20);
  if (patients.length === 0) {
    error.write(`carebot chat: ${carebot.clinic.name} has no patients yet\n`);
    return "usage";
  }
  print("Пациенты (первые 20 по имени):");
  for (const p of patients) print(`  ${String(p.id).padStart(5)}  ${p.fullName}${p.optedOut ? " (отписан)" : ""}`);
  for (;;) {
    const line = await ask("Номер пациента: ");
    if (line === null) return null;
    const patient = /^\d+$/.test(line.trim()) ? await find(Number(line.trim())) : null;
    if (patient) return patient;
    print(`Нет пациента с номером «${line.trim()}». Введите число из списка.`);
  }
}

function printState(state: Awaited<ReturnType<typeof readChatState>>, timezone: string, print: (line?: string) => void): void {
  const at = (iso: string) => DateTime.fromISO(iso, { zone: timezone }).toFormat("dd.MM.yyyy HH:mm");
  const c = state.conversation;
  if (!c) {
    print("Разговора ещё нет.");
  } else {
    print(`Сценарий: ${c.flowId} v${c.flowVersion}, состояние: ${c.state}, статус: ${c.status}`);
    print(`Контекст: ${JSON.stringify(c.context)}`);
    for (const t of c.timers) print(`Таймер: ${t.event} в ${at(t.dueAt)}`);
  }
  for (const e of state.escalations) print(`Обращение № ${e.id}: ${e.reason}, приоритет ${e.priority}, ${e.status}, ответить до ${at(e.slaDueAt)}`);
}
