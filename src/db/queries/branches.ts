// A branch's own calendar cleared (src/domain/branches/save.ts): a SQL NULL, which Prisma's JSON
// field takes only as its own marker.
import type { Tx } from "../client.ts";
import { typedSqlOn } from "../kysely/index.ts";
import type { Provider } from "../kysely/index.ts";

export async function clearBranchCalendar(tx: Tx, provider: Provider, branchId: number): Promise<void> {
  await typedSqlOn(tx, provider).updateTable("Branch").set({ calendar: null }).where("id", "=", branchId).execute();
}
