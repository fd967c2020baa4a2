// The dashboard of one branch (`?branch=<code>`): which answers, escalations and messages are its.
// An answer is the branch's when its visit was there; a message when its patient's last visit was
// there (a patient's branch); an escalation by its own branchId (its visit's or its patient's).
import type { TypedSql } from "../../kysely/index.ts";
import { enumValue } from "../../kysely/index.ts";

/** The ids of the branch's visits, for `visitId IN (…)`. */
export function visitsOfBranch(q: TypedSql, branchId: number) {
  return q.selectFrom("Visit as bv").select("bv.id").where("bv.branchId", "=", branchId);
}

/** The patients whose last (not cancelled) visit was at the branch, for `patientId IN (…)`. */
export function patientsOfBranch(q: TypedSql, branchId: number) {
  const cancelled = enumValue(q.provider, "VisitStatus", "cancelled");
  return q
    .selectFrom("Visit as pv")
    .select("pv.patientId")
    .where("pv.branchId", "=", branchId)
    .where("pv.status", "<>", cancelled)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("Visit as later")
            .select("later.id")
            .whereRef("later.patientId", "=", "pv.patientId")
            .where("later.status", "<>", cancelled)
            .where((l) => l.or([l("later.startsAt", ">", l.ref("pv.startsAt")), l.and([l("later.startsAt", "=", l.ref("pv.startsAt")), l("later.id", ">", l.ref("pv.id"))])])),
        ),
      ),
    );
}
