// Operator accounts: add, disable or enable, change role, reset and change passwords. The
// console's team page, its password page and `carebot operators` all go through these functions,
// so the rules (one-time passwords, the last admin, sessions that end) hold whichever way in.
import type { z } from "zod";
import type { Database, Tx } from "../../db/client.ts";
import { isUniqueViolation } from "../../db/errors.ts";
import { audit } from "../audit.ts";
import { generatePassword, hashPassword, verifyPassword } from "../password.ts";
import { AccountError, displayNameSchema, loginSchema, passwordProblem, roleSchema } from "./rules.ts";
import type { AccountProblem, OperatorRole } from "./rules.ts";

/** Who makes a change: an admin of the console, or the command line (null). */
export type Actor = { operatorId: number | null; via: "console" | "cli" };

export interface OperatorListItem {
  id: number;
  login: string;
  displayName: string;
  role: OperatorRole;
  disabled: boolean;
  mustChangePassword: boolean;
  lastLoginAt: Date | null;
}

export async function listOperators(db: Database, clinicId: number): Promise<OperatorListItem[]> {
  const rows = await db.prisma.operator.findMany({ where: { clinicId }, orderBy: [{ disabledAt: { sort: "asc", nulls: "first" } }, { displayName: "asc" }] });
  return rows.map((r) => ({ id: r.id, login: r.login, displayName: r.displayName, role: r.role, disabled: r.disabledAt !== null, mustChangePassword: r.mustChangePassword, lastLoginAt: r.lastLoginAt }));
}

/** The rules' schemas carry the problem's code as their message. */
function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new AccountError(result.error.issues[0]!.message as AccountProblem);
  return result.data;
}

export interface AddOperatorInput {
  clinicId: number;
  login: string;
  displayName?: string;
  role: string;
  /** The CLI's chosen password; without one a one-time password is made and must be changed at the first login. */
  password?: string;
  by: Actor;
  now: Date;
}

/** A new account; the one-time password is returned once and stored only as a hash. */
export async function addOperator(db: Database, input: AddOperatorInput): Promise<{ operator: OperatorListItem; oneTimePassword: string | null }> {
  const login = parse(loginSchema, input.login);
  const displayName = parse(displayNameSchema, input.displayName?.trim() ? input.displayName : login);
  const role = parse(roleSchema, input.role);
  if (input.password !== undefined) {
    const problem = passwordProblem(input.password);
    if (problem) throw new AccountError(problem);
  }
  const oneTimePassword = input.password === undefined ? generatePassword() : null;
  const passwordHash = await hashPassword(input.password ?? oneTimePassword!);
  try {
    return await db.transaction(async (tx) => {
      const row = await tx.operator.create({ data: { clinicId: input.clinicId, login, displayName, role, passwordHash, mustChangePassword: oneTimePassword !== null, createdAt: input.now } });
      await audit(tx, { clinicId: input.clinicId, operatorId: input.by.operatorId, action: "operator.add", target: `operator:${row.id}`, details: { via: input.by.via, role }, at: input.now });
      return { operator: { id: row.id, login, displayName, role, disabled: false, mustChangePassword: row.mustChangePassword, lastLoginAt: null }, oneTimePassword };
    });
  } catch (error) {
    if (isUniqueViolation(error, "login")) throw new AccountError("login-taken");
    throw error;
  }
}

async function operatorOfClinic(tx: Tx, clinicId: number, operatorId: number) {
  const row = await tx.operator.findFirst({ where: { id: operatorId, clinicId } });
  if (!row) throw new AccountError("not-found");
  return row;
}

/** Refuses a change that would leave the clinic without an active admin. */
async function keepAnAdmin(tx: Tx, clinicId: number, losing: number): Promise<void> {
  const others = await tx.operator.count({ where: { clinicId, role: "admin", disabledAt: null, id: { not: losing } } });
  if (others === 0) throw new AccountError("last-admin");
}

export interface ChangeOperatorInput {
  clinicId: number;
  operatorId: number;
  by: Actor;
  now: Date;
}

/** Disables (every session of the account ends at once) or enables an account. */
export async function setOperatorDisabled(db: Database, input: ChangeOperatorInput & { disabled: boolean }): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await operatorOfClinic(tx, input.clinicId, input.operatorId);
    if (input.disabled && row.id === input.by.operatorId) throw new AccountError("self");
    if ((row.disabledAt !== null) === input.disabled) return;
    if (input.disabled && row.role === "admin") await keepAnAdmin(tx, input.clinicId, row.id);
    await tx.operator.update({ where: { id: row.id }, data: { disabledAt: input.disabled ? input.now : null } });
    if (input.disabled) await tx.operatorSession.deleteMany({ where: { operatorId: row.id } });
    await audit(tx, { clinicId: input.clinicId, operatorId: input.by.operatorId, action: input.disabled ? "operator.disable" : "operator.enable", target: `operator:${row.id}`, details: { via: input.by.via }, at: input.now });
  });
}

/** Makes an operator an admin or back; an admin cannot demote themselves, nor the clinic's last admin. */
export async function setOperatorRole(db: Database, input: ChangeOperatorInput & { role: string }): Promise<void> {
  const role = parse(roleSchema, input.role);
  await db.transaction(async (tx) => {
    const row = await operatorOfClinic(tx, input.clinicId, input.operatorId);
    if (row.role === role) return;
    if (role !== "admin") {
      if (row.id === input.by.operatorId) throw new AccountError("self");
      await keepAnAdmin(tx, input.clinicId, row.id);
    }
    await tx.operator.update({ where: { id: row.id }, data: { role } });
    await audit(tx, { clinicId: input.clinicId, operatorId: input.by.operatorId, action: "operator.role", target: `operator:${row.id}`, details: { via: input.by.via, role }, at: input.now });
  });
}

/** A new one-time password for someone who forgot theirs; their sessions end, the next login must set a new one. */
export async function resetOperatorPassword(db: Database, input: ChangeOperatorInput): Promise<{ oneTimePassword: string }> {
  const oneTimePassword = generatePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  await db.transaction(async (tx) => {
    const row = await operatorOfClinic(tx, input.clinicId, input.operatorId);
    if (row.id === input.by.operatorId) throw new AccountError("self");
    await tx.operator.update({ where: { id: row.id }, data: { passwordHash, mustChangePassword: true } });
    await tx.operatorSession.deleteMany({ where: { operatorId: row.id } });
    await audit(tx, { clinicId: input.clinicId, operatorId: input.by.operatorId, action: "operator.reset-password", target: `operator:${row.id}`, details: { via: input.by.via }, at: input.now });
  });
  return { oneTimePassword };
}

export interface ChangeOwnPasswordInput {
  operatorId: number;
  current: string;
  next: string;
  /** The session the change is made in stays; every other session of the account ends. */
  keepSessionId: number;
  now: Date;
}

/** An operator changes their own password (also the forced change after a one-time password). */
export async function changeOwnPassword(db: Database, input: ChangeOwnPasswordInput): Promise<void> {
  const row = await db.prisma.operator.findUnique({ where: { id: input.operatorId } });
  if (!row || row.disabledAt) throw new AccountError("not-found");
  if (!(await verifyPassword(input.current, row.passwordHash))) throw new AccountError("wrong-password");
  const problem = passwordProblem(input.next);
  if (problem) throw new AccountError(problem);
  if (input.next === input.current) throw new AccountError("password-same");
  const passwordHash = await hashPassword(input.next);
  await db.transaction(async (tx) => {
    await tx.operator.update({ where: { id: row.id }, data: { passwordHash, mustChangePassword: false } });
    await tx.operatorSession.deleteMany({ where: { operatorId: row.id, id: { not: input.keepSessionId } } });
    await audit(tx, { clinicId: row.clinicId, operatorId: row.id, action: "operator.change-password", target: `operator:${row.id}`, details: { forced: row.mustChangePassword }, at: input.now });
  });
}
