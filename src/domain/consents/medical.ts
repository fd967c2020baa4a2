// Medical information in a message: which procedure or service a visit is for. Named only when
// the consent allows it (docs/consents.md, «Медицинские сведения»).
import type { Db, Tx } from "../../db/client.ts";
import { currentConsents } from "./current.ts";

/**
 * Whether a message about `patientId` may name their procedure or service. Read by someone else
 * (a guardian's chat): only with the medical-information consent given. In the patient's own chat
 * it is part of the visit they booked: named unless they withdrew that consent.
 */
export async function mayNameProcedure(db: Tx | Db, patientId: number, readBySomeoneElse: boolean): Promise<boolean> {
  const medical = (await currentConsents(db, patientId)).medical;
  return readBySomeoneElse ? medical?.granted === true : medical?.granted !== false;
}
