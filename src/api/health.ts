import { pingDatabase } from "../db/ping.ts";
import type { FastifyInstance } from "fastify";
import type { Database } from "../db/client.ts";

export interface ComponentHealth {
  ok: boolean;
  [detail: string]: unknown;
}

/**
 * What /health reports. The database is always there; channels, the scheduler and the
 * dispatcher register their own check as they start.
 */
export class HealthRegistry {
  readonly #checks = new Map<string, () => ComponentHealth | Promise<ComponentHealth>>();

  register(name: string, check: () => ComponentHealth | Promise<ComponentHealth>): void {
    this.#checks.set(name, check);
  }

  async report(): Promise<Record<string, ComponentHealth>> {
    const entries = await Promise.all(
      [...this.#checks].map(async ([name, check]) => {
        try {
          return [name, await check()] as const;
        } catch (error) {
          return [name, { ok: false, error: (error as Error).message }] as const;
        }
      }),
    );
    return Object.fromEntries(entries);
  }
}

export function registerHealthRoute(app: FastifyInstance, db: Database, registry: HealthRegistry, startedAt: Date): void {
  app.get("/health", async (_request, reply) => {
    let dbOk = true;
    try {
      await pingDatabase(db);
    } catch {
      dbOk = false;
    }
    const components = await registry.report();
    const ok = dbOk && Object.values(components).every((c) => c.ok);
    return reply.code(ok ? 200 : 503).send({
      ok,
      db: db.provider,
      dbOk,
      uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
      components,
    });
  });
}
