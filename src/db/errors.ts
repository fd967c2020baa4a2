/** Prisma's error for a unique constraint, optionally on a given column. */
export function isUniqueViolation(error: unknown, column?: string): boolean {
  const e = error as { code?: string; meta?: Record<string, unknown>; message?: string };
  if (e?.code !== "P2002") return false;
  if (!column) return true;
  return JSON.stringify(e.meta ?? {}).includes(column) || String(e.message).includes(column);
}

/**
 * True for failures of the database itself (unreachable, timed out, locked), as opposed to a
 * flow's own mistakes: those are retried by the caller, never answered as a flow error.
 */
export function isDatabaseError(error: unknown): boolean {
  const e = error as { name?: string; code?: string };
  if (typeof e?.name === "string" && e.name.startsWith("PrismaClient")) return true;
  return typeof e?.code === "string" && /^(P\d{4}|ECONNREFUSED|ECONNRESET|ETIMEDOUT|SQLITE_BUSY|57P01)$/.test(e.code);
}
