// `carebot patients export <id>` and `carebot patients erase <id> --yes`: a data subject's requests
// (docs/consents.md). Export prints everything kept about the person as JSON; erase removes the
// person and keeps the ledger's sums and anonymous counts.
import type { Writable } from "node:stream";
import type { Config } from "../config.ts";
import { resolveClinic } from "../domain/clinic/served-clinic.ts";
import { openDatabase } from "../db/client.ts";
import type { Database } from "../db/client.ts";
import { applyMigrations } from "../db/migrate/index.ts";
import { erasePatient } from "../domain/patients/erase.ts";
import { exportPatient } from "../domain/patients/export.ts";
import { fill, textsOf } from "../i18n/lang.ts";
import type { Dictionary, Lang } from "../i18n/lang.ts";
import type { Clock } from "../util/clock.ts";
import { systemClock } from "../util/clock.ts";
import { EXIT_FAILURE, EXIT_USAGE } from "./errors.ts";

const TEXT: Dictionary<"badId" | "noPatient" | "needYes" | "erased" | "already"> = {
  ru: {
    badId: "{command}: id пациента — целое число (id в CareBot, его показывает карточка /console/patients/<id>), а указано «{id}»",
    noPatient: "{command}: в клинике нет пациента с id {id}",
    needYes: "{command}: удаление необратимо — имя, телефон, дата рождения, чаты и тексты сообщений пациента {id} исчезнут. Чтобы удалить, повторите с --yes",
    erased:
      "Пациент {id} удалён: чатов — {identities}, сообщений без текста — {messages}, бесед — {conversations}, сообщений в очереди — {outbox}, обращений — {escalations}. Баллы, визиты (суммы и даты) и записи о согласиях остались без имени.",
    already: "Пациент {id} уже удалён {date}.",
  },
  en: {
    badId: '{command}: the patient\'s id is a whole number (CareBot\'s id, shown by the card /console/patients/<id>), got "{id}"',
    noPatient: "{command}: the clinic has no patient with id {id}",
    needYes: "{command}: erasing cannot be undone — patient {id}'s name, phone, birth date, chats and message texts will be gone. To erase, run it again with --yes",
    erased:
      "Patient {id} erased: {identities} chat(s), {messages} message text(s), {conversations} conversation(s), {outbox} outbox row(s), {escalations} escalation(s). Bonus points, visits (amounts and dates) and consent records stay, without the name.",
    already: "Patient {id} was already erased on {date}.",
  },
};

export interface PatientsIo {
  stdout: Writable;
  stderr: Writable;
  clock: Clock;
}

const defaultIo = (): PatientsIo => ({ stdout: process.stdout, stderr: process.stderr, clock: systemClock });

async function withPatient(config: Config, command: string, rawId: string, io: PatientsIo, lang: Lang, fn: (db: Database, clinicId: number, id: number) => Promise<number>): Promise<number> {
  const t = textsOf(TEXT, lang);
  const id = /^\d+$/.test(rawId) ? Number(rawId) : NaN;
  if (!Number.isSafeInteger(id)) {
    io.stderr.write(`carebot ${fill(t.badId, { command, id: rawId })}\n`);
    return EXIT_USAGE;
  }
  await applyMigrations(config.database);
  const db = openDatabase(config.database);
  try {
    const clinic = await resolveClinic(db, config.clinicSlug);
    if (!(await db.prisma.patient.findFirst({ where: { id, clinicId: clinic.id }, select: { id: true } }))) {
      io.stderr.write(`carebot ${fill(t.noPatient, { command, id })}\n`);
      return EXIT_FAILURE;
    }
    return await fn(db, clinic.id, id);
  } finally {
    await db.close();
  }
}

export function exportPatientCommand(config: Config, rawId: string, io: PatientsIo = defaultIo(), lang: Lang = "en"): Promise<number> {
  return withPatient(config, "patients export", rawId, io, lang, async (db, clinicId, id) => {
    const data = await exportPatient(db.prisma, clinicId, id);
    io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    return 0;
  });
}

export function erasePatientCommand(config: Config, rawId: string, options: { yes?: boolean }, io: PatientsIo = defaultIo(), lang: Lang = "en"): Promise<number> {
  const t = textsOf(TEXT, lang);
  return withPatient(config, "patients erase", rawId, io, lang, async (db, clinicId, id) => {
    const erasedAt = (await db.prisma.patient.findUniqueOrThrow({ where: { id }, select: { erasedAt: true } })).erasedAt;
    if (erasedAt) {
      io.stdout.write(`${fill(t.already, { id, date: erasedAt.toISOString().slice(0, 10) })}\n`);
      return 0;
    }
    if (!options.yes) {
      io.stderr.write(`carebot ${fill(t.needYes, { command: "patients erase", id })}\n`);
      return EXIT_USAGE;
    }
    const summary = await db.transaction((tx) => erasePatient(tx, clinicId, id, io.clock.now()), { timeout: 60_000 });
    io.stdout.write(`${fill(t.erased, { id, ...summary! })}\n`);
    return 0;
  });
}
