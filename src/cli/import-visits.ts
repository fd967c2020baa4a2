// `carebot import visits FILE.csv`: the clinic's visit history from its MIS (last year's visits
// when it starts with CareBot, or a catch-up). Always a history import: it records visits, their
// points and the patients' facts (last visit, follow-ups) and starts no conversation. Rows are
// checked with the API's own schema, recorded 1000 to a transaction, idempotent by externalId;
// every row that is not recorded is reported by its line (stderr and FILE.errors.csv). The file is
// read by the same CSV reader as `import patients` (src/cli/import.ts).
import path from "node:path";
import { batchVisit } from "../api/mis/schemas.ts";
import type { Config } from "../config.ts";
import { resolveClinic } from "../domain/clinic/served-clinic.ts";
import { openDatabase } from "../db/client.ts";
import type { Database } from "../db/client.ts";
import { applyMigrations } from "../db/migrate/index.ts";
import { addToSummary, emptyBatchSummary, recordVisitBatch } from "../domain/visits/record-batch.ts";
import type { BatchRow, BatchSummary } from "../domain/visits/record-batch.ts";
import { systemClock } from "../util/clock.ts";
import type { Clock } from "../util/clock.ts";
import type { Lang } from "../i18n/lang.ts";
import { issueMessageIn } from "../i18n/zod.ts";
import { errorsFileOf, parseCsv, progress, quotedList, readImportFile, reportRefusals } from "./import.ts";
import { fill } from "../i18n/lang.ts";
import { count, counted, importTexts, VISITS_EN, VISITS_NOM_RU } from "./import-text.ts";
import type { CsvRecord, ImportIo, Refusal } from "./import.ts";

export const VISIT_COLUMNS = [
  "externalId",
  "patientExternalId",
  "doctor",
  "service",
  "serviceCategory",
  "isProcedure",
  "amount",
  "status",
  "startsAt",
  "endsAt",
  "completedAt",
  "updatedAt",
  "followUpDueAt",
  "followUpService",
  "followUpDoctor",
] as const;
type Column = (typeof VISIT_COLUMNS)[number];
const REQUIRED: Column[] = ["externalId", "patientExternalId", "doctor", "service", "amount", "status", "startsAt"];
export const VISIT_IMPORT_BATCH = 1000;

type CsvRow = CsvRecord;

function headerOf(header: CsvRow | undefined, lang: Lang): Map<Column, number> {
  const t = importTexts(lang);
  if (!header) throw new Error(fill(t.empty, { columns: REQUIRED.join(",") }));
  const known = new Map(VISIT_COLUMNS.map((c) => [c.toLowerCase(), c]));
  const columns = new Map<Column, number>();
  header.fields.forEach((raw, i) => {
    const name = raw.trim();
    if (name === "") return;
    const column = known.get(name.toLowerCase());
    if (!column) throw new Error(fill(t.unknownColumn, { line: header.line, name, columns: VISIT_COLUMNS.join(",") }));
    if (columns.has(column)) throw new Error(fill(t.columnTwice, { line: header.line, name: column }));
    columns.set(column, i);
  });
  const missing = REQUIRED.filter((c) => !columns.has(c));
  if (missing.length > 0) throw new Error(fill(t.headerLacks, { line: header.line, missing: quotedList(missing, lang), required: REQUIRED.join(",") }));
  return columns;
}

const YES = new Set(["true", "1", "yes", "да"]);
const NO = new Set(["false", "0", "no", "нет"]);

/** A record as the API would receive it: empty optional cells left out, numbers and yes/no read. */
function bodyOf(record: CsvRow, columns: Map<Column, number>): Record<string, unknown> {
  const cell = (c: Column) => {
    const i = columns.get(c);
    return i === undefined ? "" : (record.fields[i] ?? "").trim();
  };
  const body: Record<string, unknown> = {};
  for (const c of ["externalId", "patientExternalId", "doctor", "service", "status", "startsAt"] as const) body[c] = cell(c);
  for (const c of ["serviceCategory", "endsAt", "completedAt", "updatedAt"] as const) if (cell(c) !== "") body[c] = cell(c);
  const amount = cell("amount");
  body.amount = /^-?\d+$/.test(amount) ? Number(amount) : amount === "" ? undefined : amount;
  const procedure = cell("isProcedure").toLowerCase();
  if (procedure !== "") body.isProcedure = YES.has(procedure) ? true : NO.has(procedure) ? false : procedure;
  if (cell("followUpDueAt") !== "" || cell("followUpService") !== "") {
    body.followUp = { dueAt: cell("followUpDueAt"), service: cell("followUpService"), ...(cell("followUpDoctor") ? { doctor: cell("followUpDoctor") } : {}) };
  }
  return body;
}

/** Checks every record with the API's schema: the rows to record, and the refusals by line. */
export function validateVisitRecords(records: CsvRow[], columns: Map<Column, number>, width = Infinity, lang: Lang = "en"): { valid: BatchRow[]; refused: Refusal[] } {
  const t = importTexts(lang);
  const valid: BatchRow[] = [];
  const refused: Refusal[] = [];
  for (const record of records) {
    const defect = record.error ?? (record.fields.length > width ? fill(t.tooManyFields, { fields: record.fields.length, width }) : null);
    if (defect) {
      refused.push({ line: record.line, externalId: (record.fields[columns.get("externalId")!] ?? "").trim(), problems: [defect] });
      continue;
    }
    const body = bodyOf(record, columns);
    const parsed = batchVisit.safeParse(body, { reportInput: true });
    if (parsed.success) {
      valid.push({ at: record.line, input: parsed.data });
      continue;
    }
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] === "followUp" ? `followUp${String(issue.path[1] ?? "").replace(/^./, (c) => c.toUpperCase())}` : String(issue.path[0] ?? "row");
      if (seen.has(field)) continue;
      seen.add(field);
      problems.push(`${field}: ${issueMessageIn(issue, lang)}`);
    }
    refused.push({ line: record.line, externalId: String(body.externalId ?? ""), problems });
  }
  return { valid, refused };
}

/** Records the rows as history, a transaction per batch, with a progress bar; the refusals by line. */
export async function importVisitRows(db: Database, clinicId: number, rows: BatchRow[], io: ImportIo, clock: Clock = systemClock, batchSize = VISIT_IMPORT_BATCH, lang: Lang = "en"): Promise<{ summary: BatchSummary; refused: Refusal[] }> {
  const summary = emptyBatchSummary();
  const refused: Refusal[] = [];
  // In the file's order: of two rows of one visit without updatedAt, the later one wins, as in the API.
  const ordered = rows;
  for (let i = 0; i < ordered.length; i += batchSize) {
    const batch = ordered.slice(i, i + batchSize);
    const record = () => db.transaction((tx) => recordVisitBatch(tx, { clinicId, now: clock.now(), history: true, provider: db.provider }, batch), { timeout: 300_000, maxWait: 60_000 });
    // A batch that failed (the MIS posted one of its visits meanwhile) is tried once more: its
    // visits are then known, and go the one-by-one way.
    const outcomes = await record().catch(() => record());
    addToSummary(summary, outcomes);
    for (const o of outcomes) if (o.outcome === "refused") refused.push({ line: o.at, externalId: o.externalId, problems: [`${o.field}: ${o.error}`] });
    progress(io, Math.min(i + batchSize, ordered.length), ordered.length, lang);
  }
  return { summary, refused };
}

export async function importVisitsCommand(config: Config, file: string, io: ImportIo = { stdout: process.stdout, stderr: process.stderr }, lang: Lang = "en"): Promise<number> {
  const t = importTexts(lang);
  const absolute = path.resolve(file);
  const text = readImportFile(absolute, file, lang);
  let records: CsvRow[];
  let columns: Map<Column, number>;
  try {
    records = parseCsv(text, lang);
    columns = headerOf(records[0], lang);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  const rows = records.slice(1);
  const { valid, refused } = validateVisitRecords(rows, columns, records[0]!.fields.length, lang);

  await applyMigrations(config.database);
  const db = openDatabase(config.database);
  let summary: BatchSummary;
  const allRefused = [...refused];
  try {
    const clinic = await resolveClinic(db, config.clinicSlug);
    io.stdout.write(`${fill(t.importingVisits, { count: counted(rows.length, lang, VISITS_NOM_RU, VISITS_EN), rows: count(rows.length, lang), clinic: clinic.name, file })}\n`);
    const imported = await importVisitRows(db, clinic.id, valid, io, systemClock, VISIT_IMPORT_BATCH, lang);
    summary = imported.summary;
    allRefused.push(...imported.refused);
  } finally {
    await db.close();
  }
  allRefused.sort((a, b) => a.line - b.line);

  const n = (value: number) => count(value, lang);
  const done = summary.created + summary.updated + summary.unchanged + summary.outdated;
  io.stdout.write(
    `${fill(t.visitsSummary, { done: counted(done, lang, VISITS_NOM_RU, VISITS_EN), created: n(summary.created), updated: n(summary.updated), unchanged: n(summary.unchanged), outdated: n(summary.outdated), refused: n(allRefused.length), rows: n(rows.length) })}\n`,
  );
  return reportRefusals(allRefused, errorsFileOf(absolute), io, lang, t.refusedVisits);
}
