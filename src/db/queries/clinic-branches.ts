// Whether a clinic lists any branch: read once per clinic version (src/flows/clinic-source.ts), so
// a clinic without branches asks nothing about branches on each message it answers.
import { preparedQuery } from "../kysely/index.ts";
import type { TypedSql } from "../kysely/index.ts";

const anyBranch = preparedQuery((db, p: { clinicId: number }) => db.selectFrom("Branch").select("id").where("clinicId", "=", p.clinicId).limit(1));

export async function clinicHasBranches(q: TypedSql, clinicId: number): Promise<boolean> {
  return (await anyBranch.executeTakeFirst(q, { clinicId })) !== undefined;
}
