// An escalation raised in a guardian's chat about their ward (a child's check-in complaint): the
// escalation is the ward's, but the person to call back is the guardian, so the operator's line
// names both («о пациенте: Петров Михаил; пишет родитель: Петрова Анна»).
import type { Db, Tx } from "../../db/client.ts";
import type { GuardianRelation } from "./guardians.ts";

/** The guardian as the operator reads them: «родитель», «сын или дочь» (of an elderly parent). */
const RELATION_WORD: Record<GuardianRelation, string> = {
  parent: "родитель",
  spouse: "супруг(а)",
  child: "сын или дочь",
  relative: "родственник",
  other: "доверенное лицо",
};

/** The staff's note on who an escalation is about and who wrote; null when the tie is gone. */
export async function wardNoteForStaff(db: Tx | Db, wardId: number, guardianId: number): Promise<string | null> {
  const tie = await db.guardianship.findUnique({
    where: { wardId_guardianId: { wardId, guardianId } },
    select: { relation: true, ward: { select: { fullName: true } }, guardian: { select: { fullName: true } } },
  });
  if (!tie) return null;
  const relation = RELATION_WORD[tie.relation as GuardianRelation] ?? RELATION_WORD.other;
  return `о пациенте: ${tie.ward.fullName}; пишет ${relation}: ${tie.guardian.fullName}`;
}
