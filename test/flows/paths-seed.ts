// What the path walk's worlds say the clinic knows, for all of a flow's walks at once: one INSERT
// per table (insertRows) instead of some twenty Prisma statements before each walk, which took a
// third of the walk's time. Each walk still gets rows of its own: its patient, chat, visits, slots,
// a friend whose code it follows, and the gift certificates of both.
import type { Db } from "../../src/db/client.ts";
import { insertRows } from "../../src/db/insert-rows.ts";
import type { ColumnType } from "../../src/db/insert-rows.ts";
import { sqlRunner } from "../../src/db/sql-statement.ts";
import type { Provider, SqlRunner } from "../../src/db/sql-statement.ts";
import { newReferralCode } from "../../src/domain/referrals/code.ts";

/** What a world says about the patient (paths-walk.ts's WORLDS). */
export interface WorldFacts {
  balance: number;
  linked: boolean;
  followUp: "with-slots" | "no-slots" | "none";
  code: "friend" | "own" | "unknown";
}

/** One walk to prepare: a world, a language, the clinic it happens at, and its chat. */
export interface WalkSpec {
  world: WorldFacts;
  locale: "ru" | "en";
  clinicId: number;
  chatId: string;
}

/** What a scheduled flow is started with in this world: the visit ahead, and a freed slot offered from the waitlist. */
export type StartContext = { appointmentId?: number; slotId?: number; entryId?: number };

/** A walk's own rows. */
export interface SeededWalk {
  patientId: number | null;
  identityId: number;
  context: StartContext;
  /** The code a deep link in this world carries. */
  code: string;
}

/** A JSON column for insertRows: its text cast to jsonb on PostgreSQL (as an enum is cast to its type), kept as text on SQLite. */
const JSON_VALUE = { enum: "jsonb" } as const;
const DOCTOR = "Громов Артур Сергеевич";
const DAY = 86_400_000;
/** Phones of their own (+7998…): the walker's CONTACT (+79990000001) must find none of them, as before. */
let phones = 0;
/** Batches seeded in this process: each batch's patients get external ids of their own. */
let seeded = 0;

interface PatientRow {
  walk: number;
  role: "walker" | "friend";
  clinicId: number;
  fullName: string;
  locale: string | null;
  balance: number;
}

/**
 * Inserts, for each walk, what `prepare`, `createPatient`, `linkChat` and `codeFor` made one
 * statement at a time: the same rows and values. `now` is the walk's clock (visits, slots, due dates).
 */
export async function seedWalks(db: Db, provider: Provider, specs: readonly WalkSpec[], now: Date): Promise<SeededWalk[]> {
  const sql = sqlRunner(db, provider);
  const at = new Date();
  const batch = ++seeded;
  const key = (walk: number, role: string) => `PW-${batch}-${walk}-${role}`;

  // Patients (the walker if linked, and a friend for a friend's code), each with points and the paper consents.
  const wanted: PatientRow[] = specs.flatMap((s, walk): PatientRow[] => [
    ...(s.world.linked ? [{ walk, role: "walker" as const, clinicId: s.clinicId, fullName: "Петрова Анна Сергеевна", locale: s.locale, balance: s.world.balance }] : []),
    ...(s.world.code === "friend" || (s.world.code === "own" && !s.world.linked) ? [{ walk, role: "friend" as const, clinicId: s.clinicId, fullName: "Друг Пригласивший", locale: null, balance: 0 }] : []),
  ]);
  // Tags as Prisma writes them: SQLite's column default (`[]`) reads back as an empty string, not JSON.
  const patientColumns = [["clinicId", "int"], ["externalId", "text"], ["fullName", "text"], ["phone", "text"], ["locale", "text"], ["referralCode", "text"], ["consentAt", "time"], ["tags", JSON_VALUE], ["createdAt", "time"], ["updatedAt", "time"]] as const;
  const patientRows = wanted.map((p) => [p.clinicId, key(p.walk, p.role), p.fullName, `+7998${String(++phones % 10_000_000).padStart(7, "0")}`, p.locale, newReferralCode(), new Date("2026-01-01T00:00:00Z"), "[]", at, at]);
  const inserted = await insertRows<{ id: unknown; externalId: string; referralCode: string }>(sql, "Patient", patientColumns, patientRows, ["id", "externalId", "referralCode"]);
  const patients = new Map(inserted.map((p) => [p.externalId, { id: Number(p.id), referralCode: p.referralCode }]));
  const patientOf = (walk: number, role: string) => patients.get(key(walk, role));
  const withIds = wanted.map((p) => ({ ...p, id: patientOf(p.walk, p.role)!.id }));
  await insert(sql, "BonusAccount", [["clinicId", "int"], ["patientId", "int"], ["balance", "int"], ["createdAt", "time"], ["updatedAt", "time"]], withIds.map((p) => [p.clinicId, p.id, p.balance, at, at]));
  const consentColumns = [["clinicId", "int"], ["patientId", "int"], ["kind", { enum: "ConsentKind" }], ["granted", "bool"], ["at", "time"], ["source", { enum: "ConsentSource" }], ["textVersion", "text"], ["createdAt", "time"]] as const;
  const kinds = ["personal_data", "care_messages", "advertising"];
  await insert(sql, "Consent", consentColumns, withIds.flatMap((p) => kinds.map((kind) => [p.clinicId, p.id, kind, true, new Date("2026-01-01T00:00:00Z"), "paper", "АНКЕТА-2026", at])));

  // The world's follow-up: an old visit, its follow-up, free slots (or none), and a booked visit ahead with a waitlist entry.
  const planned = specs.flatMap((s, walk) => {
    const patient = patientOf(walk, "walker");
    return patient && s.world.followUp !== "none" ? [{ walk, clinicId: s.clinicId, patientId: patient.id, withSlots: s.world.followUp === "with-slots", service: s.world.followUp === "with-slots" ? "Лечение кариеса" : "Имплантация" }] : [];
  });
  const past = new Date(now.getTime() - 40 * DAY);
  const visits = await insertRows<{ id: unknown; patientId: unknown }>(
    sql,
    "Visit",
    [["clinicId", "int"], ["patientId", "int"], ["externalId", "text"], ["doctor", "text"], ["service", "text"], ["amount", "int"], ["status", { enum: "VisitStatus" }], ["startsAt", "time"], ["completedAt", "time"], ["createdAt", "time"], ["updatedAt", "time"]],
    planned.map((p) => [p.clinicId, p.patientId, `V-${p.patientId}`, DOCTOR, p.service, 900_000, "completed", past, past, at, at]),
    ["id", "patientId"],
  );
  const visitOf = new Map(visits.map((v) => [Number(v.patientId), Number(v.id)]));
  await insert(
    sql,
    "FollowUp",
    [["clinicId", "int"], ["patientId", "int"], ["visitId", "int"], ["service", "text"], ["doctor", "text"], ["dueAt", "time"], ["createdAt", "time"], ["updatedAt", "time"]],
    planned.map((p) => [p.clinicId, p.patientId, visitOf.get(p.patientId)!, p.service, DOCTOR, new Date(now.getTime() - 3 * DAY), at, at]),
  );
  // Three free slots on the next days; a visit five days ahead with the same doctor, the patient waiting for an earlier time.
  const ahead = new Date(now.getTime() + 5 * DAY);
  const slotRows = planned.flatMap((p) => [
    ...(p.withSlots ? [1, 2, 3].map((day) => [p.clinicId, `S-${p.patientId}-${day}`, DOCTOR, p.service, new Date(now.getTime() + day * DAY), new Date(now.getTime() + day * DAY + 45 * 60_000), "free", at, at]) : []),
    [p.clinicId, `A-${p.patientId}`, DOCTOR, p.service, ahead, new Date(ahead.getTime() + 45 * 60_000), "booked", at, at],
  ]);
  const slotColumns = [["clinicId", "int"], ["externalId", "text"], ["doctor", "text"], ["service", "text"], ["startsAt", "time"], ["endsAt", "time"], ["status", { enum: "SlotStatus" }], ["createdAt", "time"], ["updatedAt", "time"]] as const;
  const slots = new Map((await insertRows<{ id: unknown; externalId: string }>(sql, "Slot", slotColumns, slotRows, ["id", "externalId"])).map((s) => [s.externalId, Number(s.id)]));
  const appointments = await insertRows<{ id: unknown; patientId: unknown }>(
    sql,
    "Appointment",
    [["clinicId", "int"], ["patientId", "int"], ["slotId", "int"], ["createdAt", "time"], ["updatedAt", "time"]],
    planned.map((p) => [p.clinicId, p.patientId, slots.get(`A-${p.patientId}`)!, at, at]),
    ["id", "patientId"],
  );
  const appointmentOf = new Map(appointments.map((a) => [Number(a.patientId), Number(a.id)]));
  const entries = await insertRows<{ id: unknown; patientId: unknown }>(
    sql,
    "WaitlistEntry",
    [["clinicId", "int"], ["patientId", "int"], ["service", "text"], ["doctor", "text"], ["appointmentId", "int"], ["createdAt", "time"], ["updatedAt", "time"]],
    planned.map((p) => [p.clinicId, p.patientId, p.service, DOCTOR, appointmentOf.get(p.patientId)!, at, at]),
    ["id", "patientId"],
  );
  const entryOf = new Map(entries.map((e) => [Number(e.patientId), Number(e.id)]));

  // The chats: linked to the walker, or not linked yet (in the walk's language).
  const identityColumns = [["clinicId", "int"], ["channel", { enum: "Channel" }], ["externalChatId", "text"], ["patientId", "int"], ["linkedAt", "time"], ["locale", "text"], ["createdAt", "time"]] as const;
  const identityRows = specs.map((s, walk) => {
    const patient = patientOf(walk, "walker");
    return [s.clinicId, "telegram", s.chatId, patient?.id ?? null, patient ? at : null, patient ? null : s.locale, at];
  });
  const identities = new Map((await insertRows<{ id: unknown; externalChatId: string }>(sql, "ChannelIdentity", identityColumns, identityRows, ["id", "externalChatId"])).map((r) => [r.externalChatId, Number(r.id)]));

  // The loyalty worlds: the patient holds a gift certificate to give, and the friend's code is also
  // the link of a certificate the friend is giving (gift_<code>).
  const expiresAt = new Date(new Date("2026-11-23T08:00:00Z").getTime() + 365 * DAY);
  const certificateRows = specs.flatMap((s, walk) => {
    const friend = patientOf(walk, "friend");
    if (!friend) return [];
    const patient = patientOf(walk, "walker");
    const certificate = (code: string, owner: number, shareToken: string | null, issueKey: string) => [s.clinicId, code, 500_000, 500_000, expiresAt, owner, shareToken, issueKey, at, at];
    return [...(patient ? [certificate(`GC-P${patient.id}`, patient.id, null, `paths-${patient.id}`)] : []), certificate(`GC-F${friend.id}`, friend.id, friend.referralCode.toLowerCase(), `paths-f-${friend.id}`)];
  });
  const certificateColumns = [["clinicId", "int"], ["code", "text"], ["initialAmount", "int"], ["balance", "int"], ["expiresAt", "time"], ["ownerPatientId", "int"], ["shareToken", "text"], ["issueKey", "text"], ["createdAt", "time"], ["updatedAt", "time"]] as const;
  await insert(sql, "GiftCertificate", certificateColumns, certificateRows);

  return specs.map((s, walk) => {
    const patient = patientOf(walk, "walker");
    const friend = patientOf(walk, "friend");
    const planned = patient && s.world.followUp !== "none";
    const context: StartContext = planned
      ? { appointmentId: appointmentOf.get(patient.id), slotId: s.world.followUp === "with-slots" ? slots.get(`S-${patient.id}-1`) : undefined, entryId: entryOf.get(patient.id) }
      : {};
    const code = s.world.code === "unknown" ? "ZZZZZZ" : s.world.code === "own" && patient ? patient.referralCode : friend!.referralCode;
    return { patientId: patient?.id ?? null, identityId: identities.get(s.chatId)!, context, code };
  });
}

function insert(sql: SqlRunner, table: string, columns: readonly (readonly [string, ColumnType])[], rows: readonly (readonly unknown[])[]): Promise<unknown[]> {
  return insertRows(sql, table, columns, rows, ["id"]);
}
