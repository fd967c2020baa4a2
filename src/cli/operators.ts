import type { Config } from "../config.ts";
import { resolveClinic } from "../domain/clinic/served-clinic.ts";
import { openDatabase } from "../db/client.ts";
import { applyMigrations } from "../db/migrate/index.ts";
import { systemClock } from "../util/clock.ts";
import { clinicProblem } from "./errors.ts";
import { addOperator } from "../operators/accounts/accounts.ts";
import { ACCOUNT_PROBLEM_EN, ACCOUNT_PROBLEM_RU, AccountError, displayNameSchema, loginSchema, MIN_PASSWORD_LENGTH, roleSchema } from "../operators/accounts/rules.ts";
import type { AccountProblem } from "../operators/accounts/rules.ts";
import { ClinicNotResolved } from "../domain/clinic/not-resolved.ts";
import { fill, textsOf } from "../i18n/lang.ts";
import type { Dictionary, Lang } from "../i18n/lang.ts";
import type { CliIo } from "./io.ts";

export { MIN_PASSWORD_LENGTH };

const TEXT: Dictionary<"prompt" | "cancelled" | "role" | "name" | "passwordShort" | "loginTaken" | "added"> = {
  ru: {
    prompt: "Пароль (не меньше {min} символов): ",
    cancelled: "отменено",
    role: "--role: operator (оператор) или admin (администратор), а указано «{role}»",
    name: "--name: от 1 до 100 символов",
    passwordShort: "в пароле (одна строка на stdin) должно быть не меньше {min} символов",
    loginTaken: "сотрудник с логином «{login}» уже есть",
    added: "{clinic}: добавлен сотрудник {login} ({role}).",
  },
  en: {
    prompt: "Password (at least {min} characters): ",
    cancelled: "cancelled",
    role: '--role: must be operator or admin, got "{role}"',
    name: "--name: 1–100 characters",
    passwordShort: "the password (one line on stdin) must have at least {min} characters",
    loginTaken: 'an operator with the login "{login}" already exists',
    added: "Operator {login} ({role}) added to {clinic}.",
  },
};

const PROBLEM: Record<Lang, Record<AccountProblem, string>> = { ru: ACCOUNT_PROBLEM_RU, en: ACCOUNT_PROBLEM_EN };

export interface OperatorsAddOptions {
  login?: string;
  role?: string;
  name?: string;
  clinic?: string;
}

/** One line of the password: typed without echo at a terminal, or the first line of piped input. */
export async function readPassword(input: CliIo["stdin"], prompt: CliIo["stderr"], lang: Lang): Promise<string> {
  const t = textsOf(TEXT, lang);
  if (input.isTTY) {
    prompt.write(fill(t.prompt, { min: MIN_PASSWORD_LENGTH }));
    input.setRawMode?.(true);
    input.resume();
    input.setEncoding("utf8");
    return new Promise((resolve, reject) => {
      let value = "";
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === "\r" || ch === "\n") return finish(() => resolve(value));
          if (ch === "\u0003") return finish(() => reject(new Error(t.cancelled)));
          if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
          else value += ch;
        }
      };
      const finish = (then: () => void) => {
        input.off("data", onData);
        input.setRawMode?.(false);
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
export async function operatorsAddCommand(config: Config, options: OperatorsAddOptions, io: CliIo, password?: string, lang: Lang = "en"): Promise<number> {
  const t = textsOf(TEXT, lang);
  const fail = (line: string): number => {
    io.stderr.write(`carebot operators add: ${line}\n`);
    return 2;
  };
  const login = options.login?.trim() ?? "";
  // Checked before the password is asked for, so a typo in a flag does not cost a typed password.
  if (!loginSchema.safeParse(login).success) return fail(`--login: ${PROBLEM[lang]["login-invalid"]}`);
  const role = options.role ?? "operator";
  if (!roleSchema.safeParse(role).success) return fail(fill(t.role, { role }));
  const displayName = (options.name ?? login).trim();
  if (!displayNameSchema.safeParse(displayName).success) return fail(t.name);
  const secret = password ?? (await readPassword(io.stdin, io.stderr, lang));
  if (secret.length < MIN_PASSWORD_LENGTH) return fail(fill(t.passwordShort, { min: MIN_PASSWORD_LENGTH }));

  await applyMigrations(config.database);
  const db = openDatabase(config.database);
  try {
    let clinic;
    try {
      clinic = await resolveClinic(db, options.clinic ?? config.clinicSlug);
    } catch (error) {
      if (error instanceof ClinicNotResolved) return fail(clinicProblem(error, lang, options.clinic ? "--clinic" : "CLINIC_SLUG"));
      throw error;
    }
    try {
      await addOperator(db, { clinicId: clinic.id, login, displayName, role, password: secret, by: { operatorId: null, via: "cli" }, now: systemClock.now() });
    } catch (error) {
      if (error instanceof AccountError) return fail(error.problem === "login-taken" ? fill(t.loginTaken, { login }) : PROBLEM[lang][error.problem]);
      throw error;
    }
    io.stdout.write(`${fill(t.added, { login, role, clinic: clinic.name })}\n`);
    return 0;
  } finally {
    await db.close();
  }
}
