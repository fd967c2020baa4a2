import type { Db, Tx } from "../../db/client.ts";
import { NO_CONSENTS } from "./kinds.ts";
import type { ConsentSource, ConsentStates } from "./kinds.ts";

/** The consents in force for a patient, one per kind (null: never given nor withdrawn). */
export async function currentConsents(db: Tx | Db, patientId: number): Promise<ConsentStates> {
  const rows = await db.consent.findMany({
    where: { patientId, supersededAt: null },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { kind: true, granted: true, at: true, source: true, textVersion: true, note: true },
  });
  const states: ConsentStates = { ...NO_CONSENTS };
  // Should two rows ever be in force, the later one wins.
  for (const r of rows) states[r.kind] = { granted: r.granted, at: r.at, source: r.source as ConsentSource, textVersion: r.textVersion, note: r.note };
  return states;
}

/** Every change of the patient's consents, oldest first: the proof of what they agreed to and when. */
export async function consentHistory(db: Tx | Db, patientId: number) {
  return db.consent.findMany({
    where: { patientId },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { kind: true, granted: true, at: true, source: true, textVersion: true, note: true, supersededAt: true, createdAt: true },
  });
}
