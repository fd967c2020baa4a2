import type { FastifyReply, FastifyRequest } from "fastify";
import { sessionOf } from "./require-operator.ts";

/**
 * A preHandler for admin-only routes, placed after requireOperator: operators get 403 (JSON for
 * API calls, a short page otherwise) — the dashboard and the settings are the clinic's, not a shift's.
 */
export async function requireAdmin(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (sessionOf(request).operator.role === "admin") return;
  if (request.url.includes("/api/") || request.method !== "GET") {
    return reply.code(403).header("cache-control", "no-store").send({ error: "only an admin may do this" });
  }
  return reply
    .code(403)
    .header("content-type", "text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .send('<!doctype html><meta charset="utf-8"><title>403</title><p>Этот раздел доступен только администратору клиники. / Admins only.</p><p><a href="/console">← /console</a></p>');
}
