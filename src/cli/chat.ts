// `carebot chat`: talk to the clinic's flows in a terminal as one of its patients, through the
// same router and runtime as the messengers (channel "web", chat `cli-<patientId>`).
import { createInterface } from "node:readline";
import { DateTime } from "luxon";
import type { Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { OutboundOption } from "../flows/events.ts";
import { readChatState } from "../channels/web/chat-state.ts";
import { toInboundMessage } from "../channels/web/inbound.ts";
import type { WebInput } from "../channels/web/inbound.ts";
import { listClinicPatients } from "../domain/patients/list.ts";
import { resetChat } from "../channels/web/reset-chat.ts";
import { readTranscript } from "../channels/web/transcript.ts";
import { CLI_CHAT_PREFIX, linkWebIdentity } from "../channels/web/web-identity.ts";
import type { Config } from "../config.ts";
import { createCareBot } from "../core.ts";
import { escalationAlertsFor } from "../operators/alerts/escalation-alerts.ts";
import type { CareBot } from "../core.ts";
import { openDatabase } from "../db/client.ts";
import { applyMigrations } from "../db/migrate/index.ts";
import { fill, textsOf } from "../i18n/lang.ts";
import type { Dictionary, Lang } from "../i18n/lang.ts";
import { createLogger } from "../logger.ts";
import { systemClock } from "../util/clock.ts";

export interface ChatIo {
  input: Readable & { isTTY?: boolean };
  output: Writable;
  error: Writable;
}

const TEXT: Dictionary<
  | "help" | "you" | "clinic" | "heading" | "operator" | "asksPhone" | "reset" | "noPhone" | "noFlow" | "noPatient" | "noPatients" | "patients" | "optedOut"
  | "pickPrompt" | "notInList" | "noConversation" | "conversation" | "context" | "timer" | "escalation"
> = {
  ru: {
    help: "Команды: /state — где сейчас разговор, /start <сценарий> — запустить сценарий, /contact — поделиться номером, /reset — начать заново, /quit — выйти.",
    you: "Вы: ",
    clinic: "Клиника: ",
    heading: "{clinic}: чат от имени пациента {patient} (№ {id}).",
    operator: "(разговор ведёт оператор: сообщение передано ему)",
    asksPhone: "  (клиника просит номер телефона: /contact, чтобы поделиться)",
    reset: "Переписка сброшена: разговоры закрыты, можно начинать заново.",
    noPhone: "У пациента нет номера телефона в карточке.",
    noFlow: "Нет сценария «{id}». Есть: {known}.",
    noPatient: "carebot chat: {clinic}: нет пациента с номером «{id}»; запустите `carebot chat` без --patient, чтобы выбрать из списка",
    noPatients: "carebot chat: {clinic}: пациентов пока нет",
    patients: "Пациенты (первые 20 по имени):",
    optedOut: " (отписан)",
    pickPrompt: "Номер пациента: ",
    notInList: "Нет пациента с номером «{id}». Введите число из списка.",
    noConversation: "Разговора ещё нет.",
    conversation: "Сценарий: {flow} v{version}, состояние: {state}, статус: {status}",
    context: "Контекст: {context}",
    timer: "Таймер: {event} в {at}",
    escalation: "Обращение № {id}: {reason}, приоритет {priority}, {status}, ответить до {due}",
  },
  en: {
    help: "Commands: /state — where the conversation is, /start <flow> — start a flow, /contact — share the phone number, /reset — start over, /quit — leave.",
    you: "You: ",
    clinic: "Clinic: ",
    heading: "Chat with {clinic} as the patient {patient} (#{id}).",
    operator: "(an operator holds the conversation: the message went to them)",
    asksPhone: "  (the clinic asks for the phone number: /contact to share it)",
    reset: "The chat was reset: conversations closed, you can start over.",
    noPhone: "The patient has no phone number on record.",
    noFlow: 'No flow "{id}". Flows: {known}.',
    noPatient: 'carebot chat: no patient with id "{id}" in {clinic}; run `carebot chat` without --patient to pick one',
    noPatients: "carebot chat: {clinic} has no patients yet",
    patients: "Patients (the first 20 by name):",
    optedOut: " (opted out)",
    pickPrompt: "Patient number: ",
    notInList: 'No patient number "{id}". Type a number from the list.',
    noConversation: "No conversation yet.",
    conversation: "Flow: {flow} v{version}, state: {state}, status: {status}",
    context: "Context: {context}",
    timer: "Timer: {event} at {at}",
    escalation: "Request #{id}: {reason}, priority {priority}, {status}, answer by {due}",
  },
};

/** The chat's lines one at a time; piped input works the same as typing, and its end ends the chat. */
function lineReader(rl: Interface): () => Promise<string | null> {
  const lines = rl[Symbol.asyncIterator]();
  return async () => {
    const next = await lines.next();
    return next.done ? null : String(next.value);
  };
}

export async function chatCommand(config: Config, options: { patient?: string }, io: ChatIo = { input: process.stdin, output: process.stdout, error: process.stderr }, lang: Lang = "en"): Promise<number> {
  const t = textsOf(TEXT, lang);
  const PROMPT = t.you;
  const INDENT = " ".repeat(t.clinic.length);
  const print = (line = "") => io.output.write(`${line}\n`);
  const logger = createLogger({ level: config.logLevel, pretty: false, destination: io.error as unknown as { write(msg: string): void } });
  await applyMigrations(config.database);
  const db = openDatabase(config.database);
  let rl: Interface | undefined;
  try {
    const carebot = await createCareBot(config, db, { clock: systemClock, logger, lang, escalationAlerts: escalationAlertsFor(config) });
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

    const patient = await pickPatient(carebot, options.patient, print, ask, io.error, t);
    if (patient === "usage") return 2;
    if (!patient) return 0;
    const identity = await linkWebIdentity(carebot, patient.id, `${CLI_CHAT_PREFIX}${patient.id}`);
    print(fill(t.heading, { clinic: carebot.clinic.name, patient: patient.fullName, id: patient.id }));
    print(t.help);

    // Only what is new is printed; a chat picked up again remembers the buttons it last showed.
    const earlier = await readTranscript(carebot, identity.id);
    let lastSeen = earlier.at(-1)?.id ?? 0;
    let shown: OutboundOption[] | null = earlier.filter((m) => m.direction === "outbound").at(-1)?.options ?? null;
    const printNew = async () => {
      const all = await readTranscript(carebot, identity.id, lastSeen);
      lastSeen = all.at(-1)?.id ?? lastSeen;
      const fresh = all.filter((m) => m.direction === "outbound");
      for (const m of fresh) {
        print(`${t.clinic}${m.text.split("\n").join(`\n${INDENT}`)}`);
        if (m.options) m.options.forEach((o, i) => print(`  ${typeof o.value === "number" ? o.value : i + 1}) ${o.label}`));
        if (m.requestContact) print(t.asksPhone);
      }
      if (fresh.length > 0) shown = fresh.at(-1)!.options ?? null;
    };
    const send = async (input: WebInput) => {
      const result = await carebot.router.handle(toInboundMessage(identity.externalChatId, input), { numberedMenu: true });
      if (result.status === "operator") print(t.operator);
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
        print(t.help);
      } else if (command === "/state") {
        printState(await readChatState(carebot, identity.id), carebot.clinic.timezone, print, t);
      } else if (command === "/reset") {
        await resetChat(carebot, identity.id);
        shown = null;
        print(t.reset);
      } else if (command === "/contact") {
        if (!patient.phone) print(t.noPhone);
        else await send({ contact: { phone: patient.phone } });
      } else if (command === "/start" && args.length > 0) {
        const flow = carebot.flows.catalog().get(args[0]!);
        if (!flow) {
          print(fill(t.noFlow, { id: args[0]!, known: [...carebot.flows.catalog().flows.keys()].sort().join(", ") }));
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
  t: Record<keyof (typeof TEXT)["en"], string>,
): Promise<PickedPatient | "usage" | null> {
  const find = (id: number) =>
    carebot.db.prisma.patient.findFirst({ where: { id, clinicId: carebot.clinic.id }, select: { id: true, fullName: true, phone: true } });
  if (given !== undefined) {
    const patient = /^\d+$/.test(given.trim()) ? await find(Number(given.trim())) : null;
    if (!patient) error.write(`${fill(t.noPatient, { id: given, clinic: carebot.clinic.name })}\n`);
    return patient ?? "usage";
  }
  const patients = await listClinicPatients(carebot.db.prisma, carebot.clinic.id, "", 20);
  if (patients.length === 0) {
    error.write(`${fill(t.noPatients, { clinic: carebot.clinic.name })}\n`);
    return "usage";
  }
  print(t.patients);
  for (const p of patients) print(`  ${String(p.id).padStart(5)}  ${p.fullName}${p.optedOut ? t.optedOut : ""}`);
  for (;;) {
    const line = await ask(t.pickPrompt);
    if (line === null) return null;
    const patient = /^\d+$/.test(line.trim()) ? await find(Number(line.trim())) : null;
    if (patient) return patient;
    print(fill(t.notInList, { id: line.trim() }));
  }
}

function printState(state: Awaited<ReturnType<typeof readChatState>>, timezone: string, print: (line?: string) => void, t: Record<keyof (typeof TEXT)["en"], string>): void {
  const at = (iso: string) => DateTime.fromISO(iso, { zone: timezone }).toFormat("dd.MM.yyyy HH:mm");
  const c = state.conversation;
  if (!c) {
    print(t.noConversation);
  } else {
    print(fill(t.conversation, { flow: c.flowId, version: c.flowVersion, state: c.state, status: c.status }));
    print(fill(t.context, { context: JSON.stringify(c.context) }));
    for (const timer of c.timers) print(fill(t.timer, { event: timer.event, at: at(timer.dueAt) }));
  }
  for (const e of state.escalations) print(fill(t.escalation, { id: e.id, reason: e.reason, priority: e.priority, status: e.status, due: at(e.slaDueAt) }));
}
