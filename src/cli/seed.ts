import type { Config } from "../config.ts";
import { openDatabase } from "../db/client.ts";
import { applyMigrations } from "../db/migrate/index.ts";
import { seedDemo } from "../seed/demo.ts";
import { fill, textsOf } from "../i18n/lang.ts";
import type { Dictionary, Lang } from "../i18n/lang.ts";
import { systemClock } from "../util/clock.ts";
import type { CliOutput } from "./io.ts";

const TEXT: Dictionary<"what" | "created" | "login" | "password"> = {
  ru: {
    what: "carebot seed: скажите, чем заполнить: --demo",
    created: "Демо-клиника создана (id {id}): пациентов — {patients}, визитов — {visits}.",
    login: "Логин оператора: {login}",
    password: "Пароль оператора: {password}   (показан один раз; сохраните его сейчас)",
  },
  en: {
    what: "carebot seed: say what to seed: --demo",
    created: "Demo clinic created (id {id}): {patients} patients, {visits} visits.",
    login: "Operator login: {login}",
    password: "Operator password: {password}   (shown once; store it now)",
  },
};

export async function seedCommand(config: Config, options: { demo?: boolean; lang?: Lang }, io: CliOutput): Promise<number> {
  const t = textsOf(TEXT, options.lang ?? "en");
  if (!options.demo) {
    io.stderr.write(`${t.what}\n`);
    return 2;
  }
  await applyMigrations(config.database);
  const db = openDatabase(config.database);
  try {
    const result = await seedDemo(db, systemClock, config.clinicTimeZone);
    io.stdout.write(
      [
        fill(t.created, { id: result.clinicId, patients: result.patients, visits: result.visits }),
        fill(t.login, { login: result.operatorLogin }),
        fill(t.password, { password: result.operatorPassword }),
        "",
      ].join("\n"),
    );
    return 0;
  } finally {
    await db.close();
  }
}
