import type { Config } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import type { ServedClinic } from "../../domain/clinic/served-clinic.ts";
import type { Clock } from "../../util/clock.ts";

/** What the clinic-MIS API is given: its token, the database, the clock and the clinic it serves. */
export interface MisApiDeps {
  config: Pick<Config, "apiToken">;
  db: Database;
  clock: Clock;
  clinic: ServedClinic;
}
