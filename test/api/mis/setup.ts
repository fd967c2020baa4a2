// A real CareBot on a real migrated database, served through Fastify's inject, for the MIS API tests.
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { HealthRegistry } from "../../../src/api/health.ts";
import { buildServer } from "../../../src/api/server.ts";
import { loadConfig } from "../../../src/config.ts";
import { createCareBot } from "../../../src/core.ts";
import type { CareBot } from "../../../src/core.ts";
import type { Db } from "../../../src/db/client.ts";
import type { ClinicSettingsInput } from "../../../src/domain/clinic/settings.ts";
import { createLogger } from "../../../src/logger.ts";
import { FixedClock } from "../../../src/util/clock.ts";
import { ROOT } from "../../support/cli.ts";
import { createMigratedDatabase } from "../../support/db.ts";
import type { MigratedDatabase } from "../../support/db.ts";
import { createClinic } from "../../support/fixtures.ts";
import { shippedFlows } from "../../support/runtime.ts";

export const API_TOKEN = "test-token-0123456789abcdef-0123456789";

export interface MisApi {
  t: MigratedDatabase;
  db: Db;
  app: FastifyInstance;
  carebot: CareBot;
  clinicId: number;
  clock: FixedClock;
  post(url: string, payload: unknown, token?: string | null): Promise<LightMyRequestResponse>;
  get(url: string, token?: string | null): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** A clinic in Moscow with default settings (unless given), its CareBot with API_TOKEN, and the server. */
export async function startMisApi(options: { settings?: ClinicSettingsInput; apiToken?: string | null; now?: string } = {}): Promise<MisApi> {
  const t = await createMigratedDatabase();
  const db = t.db.prisma;
  const clinic = await createClinic(db, options.settings ?? {});
  const clock = new FixedClock(options.now ?? "2026-11-23T08:00:00Z"); // Monday 11:00 in Moscow
  const logger = createLogger({ level: (process.env.MIS_TEST_LOG as "error") ?? "silent", pretty: false });
  const env: Record<string, string> = { DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug };
  if (options.apiToken !== null) env.API_TOKEN = options.apiToken ?? API_TOKEN;
  const carebot = await createCareBot(loadConfig(env, ROOT), t.db, { clock, logger, flows: shippedFlows() });
  const app = buildServer({ db: t.db, logger, health: new HealthRegistry(), carebot });
  await app.ready();
  const auth = (token: string | null | undefined) => (token === null ? {} : { authorization: `Bearer ${token ?? API_TOKEN}` });
  return {
    t,
    db,
    app,
    carebot,
    clinicId: clinic.id,
    clock,
    post: (url, payload, token) => app.inject({ method: "POST", url, payload: payload as object, headers: auth(token) }),
    get: (url, token) => app.inject({ method: "GET", url, headers: auth(token) }),
    close: async () => {
      await app.close();
      await t.dispose();
    },
  };
}

let counter = 0;
/** A distinct MIS id per call, so tests in one file never share records by accident. */
export const nextId = (prefix: string) => `${prefix}-${++counter}`;

/** Asserts the status (showing the body when it differs) and returns the JSON. */
export function json<T = any>(res: LightMyRequestResponse, status: number): T {
  if (res.statusCode !== status) throw new Error(`expected HTTP ${status}, got ${res.statusCode}: ${res.body}`);
  return res.json() as T;
}
