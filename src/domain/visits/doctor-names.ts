// The doctors a clinic's visits name, spelled as the MIS sends them: what a manager picks from when
// giving a doctor review links of their own (settings.doctorReviewLinks is keyed by this name).
import type { Tx } from "../../db/client.ts";

/** More than a clinic's staff ever holds; keeps the page small if the MIS sent odd names. */
const MAX_NAMES = 500;

export async function doctorNames(tx: Tx, clinicId: number): Promise<string[]> {
  const rows = await tx.visit.findMany({ where: { clinicId }, distinct: ["doctor"], select: { doctor: true }, orderBy: { doctor: "asc" }, take: MAX_NAMES });
  return [...new Set(rows.map((r) => r.doctor.trim()).filter(Boolean))];
}
