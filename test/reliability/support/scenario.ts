// Shared by the fault and restart tests: a fresh migrated database with a clinic and its patients, the
// fake Bot API, CareBot in a child process, chats linked to the patients, and what the database says afterwards.
import { openDatabase } from "../../../src/db/client.ts";
import type { Database } from "../../../src/db/client.ts";
import { createMigratedTarget } from "../../support/db.ts";
import { fakeUser, startFakeBotApi } from "../../support/fake-bot-api/index.ts";
import type { FakeBotApi, FakeUser } from "../../support/fake-bot-api/index.ts";
import { createClinic, createPatient, linkChat } from "../../support/fixtures.ts";
import { startChildCareBot } from "./child-service.ts";
import type { ChildCareBot } from "./child-service.ts";
import { prepareOutage } from "./outage.ts";
import { TOKEN } from "./service.ts";

export type Cleanup = () => Promise<unknown>;

/** Patients of the clinic a scenario starts with: one for each chat a test links (linkedUsers). */
const CLINIC_PATIENTS = 30;

/**
 * The clinic a scenario's CareBot serves unless the test prepares its own: made here rather than
 * seeded by CareBot's first start (the demo clinic, SEED_DEMO), which cost each of these child
 * processes ~2 s of CPU for data these tests never read. Seeding is tested in test/seed.
 */
async function smallClinic(db: Database): Promise<void> {
  const clinic = await createClinic(db.prisma);
  for (let i = 0; i < CLINIC_PATIENTS; i++) await createPatient(db.prisma, clinic.id, { fullName: `Тестова Пациентка${i} Ивановна` });
}

/** Chats linked to the clinic's patients, through the test's own connection. */
export async function linkedUsers(db: Database, count: number, firstId: number): Promise<FakeUser[]> {
  const clinic = await db.prisma.clinic.findFirstOrThrow();
  const patients = await db.prisma.patient.findMany({ where: { clinicId: clinic.id }, orderBy: { id: "asc" } });
  const users = Array.from({ length: count }, (_, i) => fakeUser(firstId + i, { firstName: `Пациент${i}`, languageCode: "ru" }));
  for (const [i, user] of users.entries()) await linkChat(db.prisma, clinic.id, patients[i % patients.length]!.id, String(user.id));
  return users;
}

/** Facts from the database after a run: inbound rows, and outbox rows in creation order with their chat. */
export async function ledger(db: Database) {
  const inbound = await db.prisma.message.findMany({ where: { direction: "inbound" }, select: { dedupeKey: true, identityId: true } });
  const identities = new Map((await db.prisma.channelIdentity.findMany({ select: { id: true, externalChatId: true } })).map((i) => [i.id, i.externalChatId]));
  const rows = await db.prisma.outbox.findMany({
    orderBy: { id: "asc" },
    select: { id: true, kind: true, status: true, externalMessageId: true, lastError: true, sentVia: true, identityId: true, patientId: true, idempotencyKey: true },
  });
  // The chat a row went to: the identity it was sent through (replies name the patient, not the chat).
  const outbox = rows.map((r) => ({ ...r, chatId: identities.get(r.sentVia ?? r.identityId ?? -1) }));
  return { inbound: inbound.map((m) => ({ ...m, chatId: identities.get(m.identityId) })), outbox };
}

export interface ScenarioOptions {
  mode?: "polling" | "webhook";
  env?: Record<string, string>;
  /** Put the database behind an outage switch (see outage.ts). */
  outage?: boolean;
  /** Fills the database (through the test's connection) before CareBot first starts, instead of the small clinic made by default. */
  prepare?: (db: Database, api: FakeBotApi) => Promise<void>;
}

export async function startScenario(cleanups: Cleanup[], options: ScenarioOptions = {}) {
  const target = await createMigratedTarget();
  cleanups.push(() => target.drop());
  // The test's one connection for what it writes and reads: opening one costs ~130 ms of CPU
  // (a Prisma client), which a check polled every 25 ms would take from CareBot's processes.
  // Straight to the database, past any outage switch.
  const db = openDatabase(target.config);
  cleanups.push(() => db.close());
  const outage = options.outage ? await prepareOutage(target.config) : undefined;
  if (outage) cleanups.push(() => outage.close());
  const api = await startFakeBotApi({ token: TOKEN, webhookMaxAttempts: 10_000, webhookRetryDelayMs: 200, webhookTimeoutMs: 30_000 });
  cleanups.push(() => api.close());
  const databaseUrl = outage?.url ?? target.config.url;
  await (options.prepare ?? smallClinic)(db, api);
  const start = async (): Promise<ChildCareBot> => {
    const carebot = await startChildCareBot({ databaseUrl, api, mode: options.mode ?? "polling", env: { SEED_DEMO: "0", ...options.env } });
    cleanups.push(() => carebot.kill("SIGKILL"));
    return carebot;
  };
  const carebot = await start();
  /** Another CareBot on the same database and Bot API, as after a restart. */
  return { target, db, outage, api, carebot, databaseUrl, restart: start };
}

export const messageCount = (api: FakeBotApi, user: FakeUser): number => api.messagesTo(user.id).length;

export async function healthy(carebot: ChildCareBot): Promise<boolean> {
  const health = (await (await fetch(`${carebot.url}/health`)).json()) as { components?: { telegram?: { ok?: boolean } } };
  return health.components?.telegram?.ok === true;
}
