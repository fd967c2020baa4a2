// A clinic's visit history for the import tests (issue 20): patients created in bulk, and five
// visits each over the last two years, in the API's shape, with what a correct import leaves.
import { DateTime } from "luxon";
import type { Db } from "../../src/db/client.ts";
import { insertRows } from "../../src/db/insert-rows.ts";
import { sqlRunner } from "../../src/db/sql-statement.ts";
import type { Provider } from "../../src/db/sql-statement.ts";
import { lastVisitCutoff } from "../../src/domain/segments/compile.ts";
import { newReferralCode } from "../../src/domain/referrals/code.ts";

export interface HistoryPatient {
  id: number;
  externalId: string;
}

/** `count` patients with a bonus account and a Telegram chat each (a segment needs a reachable chat). */
export async function seedHistoryPatients(db: Db, provider: Provider, clinicId: number, count: number, prefix = "HP"): Promise<HistoryPatient[]> {
  // Straight SQL in one statement per table: Prisma's createMany spends a millisecond per row.
  const sql = sqlRunner(db, provider);
  const at = new Date("2024-01-01T00:00:00Z");
  const patientColumns = [["clinicId", "int"], ["externalId", "text"], ["fullName", "text"], ["phone", "text"], ["referralCode", "text"], ["consentAt", "time"], ["createdAt", "time"], ["updatedAt", "time"]] as const;
  const rows = Array.from({ length: count }, (_, i) => [clinicId, `${prefix}-${i}`, "Кузнецова Ольга Ивановна", `+7998${String(i).padStart(7, "0")}`, newReferralCode(), at, at, at]);
  const inserted = await insertRows<{ id: unknown; externalId: string }>(sql, "Patient", patientColumns, rows, ["id", "externalId"]);
  const patients = inserted.map((p) => ({ id: Number(p.id), externalId: p.externalId }));
  await insertRows(sql, "BonusAccount", [["clinicId", "int"], ["patientId", "int"], ["createdAt", "time"], ["updatedAt", "time"]], patients.map((p) => [clinicId, p.id, at, at]), ["id"]);
  const chatColumns = [["clinicId", "int"], ["channel", { enum: "Channel" }], ["externalChatId", "text"], ["patientId", "int"], ["linkedAt", "time"], ["createdAt", "time"]] as const;
  await insertRows(sql, "ChannelIdentity", chatColumns, patients.map((p) => [clinicId, "telegram", `${prefix}-chat-${clinicId}-${p.id}`, p.id, at, at]), ["id"]);
  return patients.sort((a, b) => a.id - b.id);
}

export interface HistoryVisit {
  externalId: string;
  patientExternalId: string;
  doctor: string;
  service: string;
  serviceCategory?: string;
  isProcedure: boolean;
  amount: number;
  status: "completed" | "missed" | "cancelled";
  startsAt: string;
  endsAt?: string;
  followUp?: { dueAt: string; service: string };
}

/**
 * Five visits per patient, none in the future: the latest completed one from 1 to 700 days ago
 * (some yesterday: procedures whose check-in would be due today), the older ones missed,
 * cancelled or completed with a follow-up. Nobody's last visit falls within three days of the
 * six-month cut-off, so the expected segment does not hang on a clock's second.
 */
export function historyVisits(patients: HistoryPatient[], now: Date, zone: string): { visits: HistoryVisit[]; lastVisit: Map<string, Date>; sleeping: Set<string> } {
  const cutoff = lastVisitCutoff(DateTime.fromJSDate(now, { zone }), { lastVisitOlderThanMonths: 6 })!;
  const day = 86_400_000;
  const visits: HistoryVisit[] = [];
  const lastVisit = new Map<string, Date>();
  const sleeping = new Set<string>();
  patients.forEach((p, i) => {
    let last = new Date(now.getTime() - (((i * 7919) % 700) + 1) * day - 3 * 3_600_000);
    if (Math.abs(last.getTime() - cutoff.getTime()) < 3 * day) last = new Date(last.getTime() + 5 * day);
    lastVisit.set(p.externalId, last);
    if (last < cutoff) sleeping.add(p.externalId);
    for (let j = 0; j < 5; j++) {
      const startsAt = new Date(last.getTime() - j * 37 * day);
      const status = j === 0 ? "completed" : (["missed", "cancelled", "completed", "completed"] as const)[j - 1]!;
      visits.push({
        externalId: `HV-${p.externalId}-${j}`,
        patientExternalId: p.externalId,
        doctor: j % 2 ? "Орлова Ирина Викторовна" : "Смирнов Андрей Викторович",
        service: j % 2 ? "Профессиональная гигиена" : "Лечение кариеса",
        serviceCategory: j % 2 ? "hygiene" : "therapy",
        isProcedure: j === 0 || j === 3,
        amount: 350_000 + ((i + j) % 7) * 10_000,
        status,
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
        ...(status === "completed" && j > 0 ? { followUp: { dueAt: new Date(startsAt.getTime() + 30 * day).toISOString(), service: "Контрольный осмотр" } } : {}),
      });
    }
    // The last visit's own end is its time (endsAt: an hour after it starts).
    lastVisit.set(p.externalId, new Date(last.getTime() + 3_600_000));
  });
  return { visits, lastVisit, sleeping };
}
