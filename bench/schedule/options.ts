// The benchmark's command line, validated: `npx tsx bench/schedule.ts [--quick] [--sizes 100000,1000000]
// [--dbs sqlite,postgresql] [--planners balance,birthday,expiry,reminder] [--dispatch-dbs sqlite,postgresql|none] [--messages 2000] [--fast-rate 100] [--out bench/results/schedule.md]`.
import { parseArgs } from "node:util";
import { z } from "zod";

const DB_NAMES = ["sqlite", "postgresql"] as const;
const PLANNERS = ["balance", "birthday", "expiry", "reminder"] as const;
export type DbName = (typeof DB_NAMES)[number];

const csv = (value: string) => value.split(",").map((v) => v.trim()).filter(Boolean);

const optionsSchema = z.object({
  quick: z.boolean(),
  sizes: z
    .array(z.coerce.number({ message: "--sizes must be whole numbers" }).int("--sizes must be whole numbers").min(100, "--sizes must be at least 100 patients").max(5_000_000, "--sizes must be at most 5,000,000 patients"))
    .min(1, "--sizes needs at least one size"),
  dbs: z.array(z.enum(DB_NAMES, { message: `--dbs must list ${DB_NAMES.join(" and/or ")}` })).min(1, "--dbs needs at least one database"),
  /** Where the dispatch rate is measured (it hardly depends on the database: the limiter paces it). */
  dispatchDbs: z.array(z.enum(DB_NAMES, { message: `--dispatch-dbs must list ${DB_NAMES.join(" and/or ")} (or "none")` })),
  messages: z.coerce.number({ message: "--messages must be a number" }).int("--messages must be a whole number").min(10, "--messages must be at least 10").max(20_000, "--messages must be at most 20,000"),
  fastRate: z.coerce.number({ message: "--fast-rate must be a number" }).positive("--fast-rate must be above 0").max(10_000, "--fast-rate must be at most 10,000"),
  out: z.string().min(1, "--out must name a file"),
  /** Which planners to measure (all by default). */
  planners: z.array(z.enum(PLANNERS, { message: `--planners must list some of ${PLANNERS.join(", ")}` })).min(1, "--planners needs at least one planner"),
});

export type BenchOptions = z.infer<typeof optionsSchema>;

/** A bad command line: one line for the person who typed it, not a stack trace. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Reads argv; throws a UsageError naming the bad option. */
export function parseOptions(argv: string[]): BenchOptions {
  try {
    return readOptions(argv);
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError(`bench/schedule.ts: ${(error as Error).message}`);
  }
}

function readOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      sizes: { type: "string" },
      dbs: { type: "string" },
      "dispatch-dbs": { type: "string" },
      messages: { type: "string" },
      "fast-rate": { type: "string" },
      out: { type: "string" },
      planners: { type: "string" },
    },
    strict: true,
  });
  const quick = values.quick ?? false;
  const dbs = csv(values.dbs ?? DB_NAMES.join(","));
  // --quick measures dispatch on the first database only (SQLite, CareBot's default) to stay well under a minute.
  const dispatchDbs = values["dispatch-dbs"] === "none" ? [] : csv(values["dispatch-dbs"] ?? (quick ? (dbs[0] ?? "sqlite") : dbs.join(",")));
  const parsed = optionsSchema.safeParse({
    quick,
    sizes: csv(values.sizes ?? (quick ? "10000" : "100000,1000000")),
    dbs,
    dispatchDbs,
    // At 25 msg/s, 300 messages take 12 s: --quick stays well under a minute in all.
    messages: values.messages ?? (quick ? "300" : "2000"),
    fastRate: values["fast-rate"] ?? "100",
    out: values.out ?? "bench/results/schedule.md",
    planners: csv(values.planners ?? PLANNERS.join(",")),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`bench/schedule.ts: ${issue.message}`);
  }
  return parsed.data;
}
