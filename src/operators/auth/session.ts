import type { Database } from "../../db/client.ts";
import { newToken, SESSION_TTL_MS, sha256 } from "./tokens.ts";
import { branchIdsOf } from "../branches/access.ts";

export interface ConsoleOperator {
  id: number;
  clinicId: number;
  login: string;
  displayName: string;
  role: "operator" | "admin";
  /** Logged in with a one-time password: nothing but choosing a new one until then. */
  mustChangePassword: boolean;
  /** The branches whose queue this operator works; null: every branch (src/operators/branches/access.ts). */
  branchIds: number[] | null;
}

export interface ConsoleSession {
  id: number;
  operator: ConsoleOperator;
  csrfToken: string;
  expiresAt: Date;
}

/** A new session: the token goes to the cookie, only its sha256 to the database. */
export async function createSession(db: Database, operatorId: number, now: Date): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.prisma.operatorSession.create({ data: { operatorId, tokenHash: sha256(token), csrfToken, expiresAt, createdAt: now } });
  return { token, csrfToken, expiresAt };
}

/** The live session of a cookie token, or null (unknown, expired, operator disabled). */
export async function findSession(db: Database, token: string, now: Date): Promise<ConsoleSession | null> {
  const row = await db.prisma.operatorSession.findUnique({
    where: { tokenHash: sha256(token) },
    include: { operator: { select: { id: true, clinicId: true, login: true, displayName: true, role: true, mustChangePassword: true, disabledAt: true, branches: { select: { branchId: true } } } } },
  });
  if (!row || row.expiresAt <= now || row.operator.disabledAt) return null;
  const { disabledAt: _d, branches, ...rest } = row.operator;
  const operator: ConsoleOperator = { ...rest, branchIds: branchIdsOf(branches) };
  return { id: row.id, operator, csrfToken: row.csrfToken, expiresAt: row.expiresAt };
}

export async function deleteSession(db: Database, sessionId: number): Promise<void> {
  await db.prisma.operatorSession.deleteMany({ where: { id: sessionId } });
}
