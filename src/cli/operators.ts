import type { Config } from "../config.ts";
import { resolveClinic } from "../core.ts";
import { openDatabase } from "../db/client.ts";
import { applyMigrations } from "../db/migrate/index.ts";
import { systemClock } from "../util/clock.ts";
import { addOperator } from "../operators/accounts/accounts.ts";
import { ACCOUNT_PROBLEM_EN, AccountError, displayNameSchema, loginSchema, MIN_PASSWORD_LENGTH, roleSchema } from "../operators/accounts/rules.ts";

export { MIN_PASSWORD_LENGTH };

export interface OperatorsAddOptions {
  login?: string;
  role?: string;
  name?: string;
  clinic?: string;
}

const fail = (line: string): number => {
  process.stderr.write(`carebot operators add: ${line}\n`);
  return 2;
};

/** One line of the password: typed without echo at a terminal, or the first line of piped input. */
export async function readPassword(input: NodeJS.ReadStream = process.stdin, prompt: NodeJS.WriteStream = process.stderr): Promise<string> {
  if (input.isTTY) {
    prompt.write("Password (at least 10 characters): ");
    input.setRawMode(true);
    input.resume();
    input.setEncoding("utf8");
    return new Promise((resolve, reject) => {
      let value = "";
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === "\r" || ch === "\n") return finish(() => resolve(value));
          if (ch === "\u0003") return finish(() => reject(new Error("cancelled")));
          if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
          else value += ch;
        }
      };
      const finish = (then: () => void) => {
        input.off("data", onData);
        input.setRawMode(false);
        input.pause();
        prompt.write("\n");
        then();
      };
      input.on("data", onData);
    });
  }
  let data = "";
  input.setEncoding("utf8");
  for await (const chunk of input) {
    data += chunk;
    if (data.includes("\n")) break;
  }
  return data.split(/\r?\n/)[0] ?? "";
}

/** `carebot operators add`: creates an operator account; prints the login, never the password. */
export async function operatorsAddCommand(config: Config, options: OperatorsAddOptions, password?: string): Promise<number> {
  const login = options.login?.trim() ?? "";
  // Checked before the password is asked for, so a typo in a flag does not cost a typed password.
  if (!loginSchema.safeParse(login).success) return fail(`--login: ${ACCOUNT_PROBLEM_EN["login-invalid"]}`);
  const role = options.role ?? "operator";
  if (!roleSchema.safeParse(role).success) return fail(`--role: must be operator or admin, got "${role}"`);
  const displayName = (options.name ?? login).trim();
  if (!displayNameSchema.safeParse(displayName).success) return fail("--name: 1–100 characters");
  const secret = password ?? (await readPassword());
  if (secret.length < MIN_PASSWORD_LENGTH) return fail(`the password (one line on stdin) must have at least ${MIN_PASSWORD_LENGTH} characters`);

  await applyMigrations(config.database);
  const db = openDatabase(config.database);
  try {
    let clinic;
    try {
      clinic = await resolveClinic(db, options.clinic ?? config.clinicSlug);
    } catch (error) {
      return fail((error as Error).message.replace("(CLINIC_SLUG)", "(--clinic)"));
    }
    try {
      await addOperator(db, { clinicId: clinic.id, login, displayName, role, password: secret, by: { operatorId: null, via: "cli" }, now: systemClock.now() });
    } catch (error) {
      if (error instanceof AccountError) return fail(error.problem === "login-taken" ? `an operator with the login "${login}" already exists` : ACCOUNT_PROBLEM_EN[error.problem]);
      throw error;
    }
    process.stdout.write(`Operator ${login} (${role}) added to ${clinic.name}.\n`);
    return 0;
  } finally {
    await db.close();
  }
}
