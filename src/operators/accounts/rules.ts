// What an operator account may look like: the same rules for the console's team page and the CLI.
import { z } from "zod";

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;
export const OPERATOR_ROLES = ["operator", "admin"] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

export const loginSchema = z.string().trim().regex(/^[A-Za-z0-9._@-]{3,64}$/, "login-invalid");
export const displayNameSchema = z.string().trim().min(1, "name-invalid").max(100, "name-invalid");
export const roleSchema = z.enum(OPERATOR_ROLES, { message: "role-invalid" });

/** Why a new password cannot be used, or null. */
export function passwordProblem(password: string): AccountProblem | null {
  if (password.length < MIN_PASSWORD_LENGTH) return "password-short";
  if (password.length > MAX_PASSWORD_LENGTH) return "password-long";
  return null;
}

/** Everything an account change can refuse, as a code each caller words in its own language. */
export type AccountProblem =
  | "login-invalid"
  | "login-taken"
  | "name-invalid"
  | "role-invalid"
  | "password-short"
  | "password-long"
  | "password-same"
  | "password-mismatch"
  | "wrong-password"
  | "not-found"
  | "self"
  | "last-admin";

export class AccountError extends Error {
  override name = "AccountError";
  constructor(readonly problem: AccountProblem) {
    super(problem);
  }
}

/** The CLI's wording of each problem in Russian (the console has its own, in Russian and English). */
export const ACCOUNT_PROBLEM_RU: Record<AccountProblem, string> = {
  "login-invalid": "в логине должно быть от 3 до 64 символов: латинские буквы, цифры, . _ @ -",
  "login-taken": "сотрудник с таким логином уже есть",
  "name-invalid": "в имени должно быть от 1 до 100 символов",
  "role-invalid": "роль — operator (оператор) или admin (администратор)",
  "password-short": `в пароле должно быть не меньше ${MIN_PASSWORD_LENGTH} символов`,
  "password-long": `в пароле должно быть не больше ${MAX_PASSWORD_LENGTH} символов`,
  "password-same": "новый пароль должен отличаться от текущего",
  "password-mismatch": "новый пароль и повтор не совпадают",
  "wrong-password": "текущий пароль неверен",
  "not-found": "такого сотрудника в клинике нет",
  self: "администратор не может сделать это со своей учётной записью",
  "last-admin": "в клинике не останется ни одного активного администратора",
};

/** The CLI's wording of each problem in English (the console has its own, in Russian and English). */
export const ACCOUNT_PROBLEM_EN: Record<AccountProblem, string> = {
  "login-invalid": "the login must have 3–64 characters: Latin letters, digits, . _ @ -",
  "login-taken": "an operator with this login already exists",
  "name-invalid": "the name must have 1–100 characters",
  "role-invalid": "the role must be operator or admin",
  "password-short": `the password must have at least ${MIN_PASSWORD_LENGTH} characters`,
  "password-long": `the password must have at most ${MAX_PASSWORD_LENGTH} characters`,
  "password-same": "the new password must differ from the current one",
  "password-mismatch": "the two new passwords differ",
  "wrong-password": "the current password is wrong",
  "not-found": "no such operator in this clinic",
  self: "an admin cannot do this to their own account",
  "last-admin": "the clinic would be left without an active admin",
};
