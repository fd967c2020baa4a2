// `carebot import patients FILE.csv`: the clinic's patient list from its MIS, validated row by row
// with the API's own schema and upserted in batches. A refused row changes nothing; the others are
// imported; every refused row is reported (stderr and FILE.errors.csv).
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Writable } from "node:stream";
import type { Config } from "../config.ts";
import { resolveClinic } from "../domain/clinic/served-clinic.ts";
import { openDatabase } from "../db/client.ts";
import type { Database } from "../db/client.ts";
import { applyMigrations } from "../db/migrate/index.ts";
import { patientInputSchema, upsertPatient } from "../domain/patients/upsert.ts";
import type { PatientInput } from "../domain/patients/upsert.ts";
import type { Lang } from "../i18n/lang.ts";
import { issueMessageIn } from "../i18n/zod.ts";
import { fill } from "../i18n/lang.ts";
import { count, counted, importTexts, PATIENTS_EN, PATIENTS_NOM_RU } from "./import-text.ts";

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180): comma-separated, fields optionally in double quotes, "" for a quote inside
// quotes, commas and line breaks inside quotes; CRLF, LF or CR line ends; a leading BOM.

export interface CsvRecord {
  /** The line of the file where the record starts (1 = the first line). */
  line: number;
  fields: string[];
  /** A defect confined to this record (text after a closing quote). */
  error?: string;
}

/** A defect that makes the rest of the file unreadable. */
export class CsvError extends Error {
  override name = "CsvError";
  constructor(
    readonly line: number,
    message: string,
    lang: Lang = "en",
  ) {
    super(`${fill(importTexts(lang).line, { line })}: ${message}`);
  }
}

export function parseCsv(input: string, lang: Lang = "en"): CsvRecord[] {
  const t = importTexts(lang);
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false; // inside a quoted field
  let wasQuoted = false; // the current field was quoted (and its quote closed)
  let line = 1;
  let start = 1;
  let error: string | undefined;

  const endField = () => {
    fields.push(field);
    field = "";
    wasQuoted = false;
  };
  const endRecord = () => {
    endField();
    const blank = fields.length === 1 && fields[0] === "" && !error;
    if (!blank) records.push({ line: start, fields, ...(error ? { error } : {}) });
    fields = [];
    error = undefined;
  };

  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
          wasQuoted = true;
        }
      } else {
        if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) line++;
        field += c;
      }
      continue;
    }
    if (c === ",") {
      endField();
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      start = line;
    } else if (c === '"' && field === "" && !wasQuoted) {
      quoted = true;
    } else if (wasQuoted) {
      error ??= fill(t.afterQuote, { field: fields.length + 1 });
      field += c;
    } else {
      // A quote inside an unquoted field (Ромашка "Плюс") is kept as it is, as spreadsheets read it.
      field += c;
    }
  }
  if (quoted) throw new CsvError(start, t.neverClosed, lang);
  if (field !== "" || wasQuoted || fields.length > 0 || error) endRecord();
  return records;
}

/** One field for a CSV file: quoted when it needs to be. */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// ---------------------------------------------------------------------------------------------
// The import.

export const PATIENT_COLUMNS = [
  "externalId", "fullName", "firstName", "phone", "birthDate", "timezone", "locale", "tags", "source",
  // Families: the guardian who is written to about this patient (src/domain/families).
  "guardianPhone", "guardianExternalId", "guardianName", "guardianRelation",
  // Consents the clinic holds on paper or in the MIS: a date (given) or «отозвано ДАТА» / «withdrawn DATE».
  "consentPersonalData", "consentCare", "consentAdvertising", "consentMedical", "consentSource", "consentTextVersion", "consentByGuardian",
] as const;

/** Each consent column and the kind it records (docs/consents.md). */
const CONSENT_COLUMNS = { consentPersonalData: "personal_data", consentCare: "care_messages", consentAdvertising: "advertising", consentMedical: "medical" } as const;
const GUARDIAN_COLUMNS = new Set<string>(["guardianPhone", "guardianExternalId", "guardianName", "guardianRelation"]);
const CONSENT_EXTRA_COLUMNS = new Set<string>(["consentSource", "consentTextVersion", "consentByGuardian"]);

/**
 * A consent cell as the API's consent: «2025-09-01» (given that day), «отозвано 2025-09-01» or
 * «withdrawn 2025-09-01». A date alone stands for noon UTC: the same calendar day in every Russian zone.
 */
function consentOf(cell: string, kind: string, extra: { source?: string; textVersion?: string; byGuardian?: string }) {
  const m = /^(?:(отозвано|отозвана|withdrawn|нет|no)\s+)?(\S+)$/i.exec(cell.trim());
  const date = m?.[2] ?? cell.trim();
  const at = /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T12:00:00Z` : date;
  const byGuardian = extra.byGuardian?.trim().toLowerCase();
  return {
    kind,
    granted: !m?.[1],
    at,
    source: extra.source?.trim() || "import",
    // Without the form's version the import still says where the proof came from.
    textVersion: extra.textVersion?.trim() || "import",
    ...(byGuardian ? { byGuardian: ["да", "yes", "1", "true"].includes(byGuardian) ? true : ["нет", "no", "0", "false"].includes(byGuardian) ? false : byGuardian } : {}),
  };
}
type Column = (typeof PATIENT_COLUMNS)[number];
const REQUIRED_COLUMNS: Column[] = ["externalId", "fullName", "phone"];
export const IMPORT_BATCH = 100;

export interface ImportIo {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable;
}

export interface Refusal {
  line: number;
  externalId: string;
  problems: string[];
}

export interface ImportSummary {
  rows: number;
  created: number;
  updated: number;
  refused: Refusal[];
}

export interface Header {
  columns: Map<Column, number>;
  /** Fields per row, as in the header (unnamed trailing columns included). */
  width: number;
}

/** Column positions from the header row; throws naming a missing, unknown or repeated column. */
function headerOf(header: CsvRecord | undefined, lang: Lang): Header {
  const t = importTexts(lang);
  if (!header) throw new Error(fill(t.empty, { columns: PATIENT_COLUMNS.join(",") }));
  const known = new Map(PATIENT_COLUMNS.map((c) => [c.toLowerCase(), c]));
  const columns = new Map<Column, number>();
  header.fields.forEach((raw, i) => {
    const name = raw.trim();
    if (name === "") return; // spreadsheets leave unnamed empty columns behind
    const column = known.get(name.toLowerCase());
    if (!column) throw new Error(fill(t.unknownColumn, { line: header.line, name, columns: PATIENT_COLUMNS.join(",") }));
    if (columns.has(column)) throw new Error(fill(t.columnTwice, { line: header.line, name: column }));
    columns.set(column, i);
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.has(c));
  if (missing.length > 0) throw new Error(fill(t.headerLacks, { line: header.line, missing: quotedList(missing, lang), required: REQUIRED_COLUMNS.join(",") }));
  return { columns, width: header.fields.length };
}

/** "externalId", "phone" in English; «externalId», «phone» in Russian. */
export const quotedList = (names: readonly string[], lang: Lang) => names.map((c) => (lang === "ru" ? `«${c}»` : `"${c}"`)).join(", ");

/** A record as the API would receive it: empty optional cells are left out, tags split on ";". */
function rowOf(record: CsvRecord, columns: Map<Column, number>): { row: Record<string, unknown>; consentColumns: string[] } {
  const row: Record<string, unknown> = {};
  const cell = (c: Column) => (columns.has(c) ? (record.fields[columns.get(c)!] ?? "").trim() : "");
  for (const [column, i] of columns) {
    const value = record.fields[i] ?? "";
    if (GUARDIAN_COLUMNS.has(column) || CONSENT_EXTRA_COLUMNS.has(column) || column in CONSENT_COLUMNS) continue;
    if (REQUIRED_COLUMNS.includes(column)) row[column] = value;
    else if (value.trim() === "") continue;
    else if (column === "tags") row.tags = value.split(";").map((t) => t.trim()).filter(Boolean);
    else row[column] = value;
  }
  if (cell("guardianPhone") || cell("guardianExternalId")) {
    row.guardians = [
      {
        ...(cell("guardianExternalId") ? { externalId: cell("guardianExternalId") } : { phone: cell("guardianPhone") }),
        ...(cell("guardianName") ? { fullName: cell("guardianName") } : {}),
        ...(cell("guardianRelation") ? { relation: cell("guardianRelation") } : {}),
      },
    ];
  }
  const consentColumns = (Object.keys(CONSENT_COLUMNS) as (keyof typeof CONSENT_COLUMNS)[]).filter((c) => cell(c) !== "");
  if (consentColumns.length > 0) {
    const extra = { source: cell("consentSource"), textVersion: cell("consentTextVersion"), byGuardian: cell("consentByGuardian") };
    row.consents = consentColumns.map((c) => consentOf(cell(c), CONSENT_COLUMNS[c], extra));
  }
  return { row, consentColumns };
}

/** The CSV column a problem of the API's shape is about: consents.1.at → consentAdvertising. */
function columnOf(path: readonly PropertyKey[], consentColumns: string[]): string {
  const [first, index, field] = path.map(String);
  if (first === "consents") {
    if (field === "source") return "consentSource";
    if (field === "textVersion") return "consentTextVersion";
    if (field === "byGuardian") return "consentByGuardian";
    return consentColumns[Number(index)] ?? "consents";
  }
  if (first === "guardians") return field === "relation" ? "guardianRelation" : field === "fullName" ? "guardianName" : field === "externalId" ? "guardianExternalId" : "guardianPhone";
  return first ?? "row";
}

interface ValidRow {
  line: number;
  input: PatientInput;
}

/** Validates every record; returns the rows to import and the refusals. */
export function validateRecords(records: CsvRecord[], { columns, width }: Header, lang: Lang = "en"): { valid: ValidRow[]; refused: Refusal[] } {
  const t = importTexts(lang);
  const valid: ValidRow[] = [];
  const refused: Refusal[] = [];
  const seen = new Map<string, number>();
  for (const record of records) {
    const externalId = (record.fields[columns.get("externalId")!] ?? "").trim();
    const refuse = (problems: string[]) => refused.push({ line: record.line, externalId, problems });
    if (record.error) {
      refuse([record.error]);
      continue;
    }
    if (record.fields.length > width) {
      refuse([fill(t.tooManyFields, { fields: record.fields.length, width })]);
      continue;
    }
    const { row, consentColumns } = rowOf(record, columns);
    const parsed = patientInputSchema.safeParse(row, { reportInput: true });
    if (!parsed.success) {
      const problems: string[] = [];
      const fields = new Set<string>();
      for (const issue of parsed.error.issues) {
        const field = columnOf(issue.path, consentColumns);
        if (fields.has(field)) continue;
        fields.add(field);
        problems.push(`${field}: ${issueMessageIn(issue, lang)}`);
      }
      refuse(problems);
      continue;
    }
    const first = seen.get(parsed.data.externalId);
    if (first !== undefined) {
      refuse([fill(t.alreadyOnLine, { id: parsed.data.externalId, first })]);
      continue;
    }
    seen.set(parsed.data.externalId, record.line);
    valid.push({ line: record.line, input: parsed.data });
  }
  return { valid, refused };
}

/** A bar on a terminal, a line per batch otherwise (a log, a pipe). */
export function progress(io: ImportIo, done: number, total: number, lang: Lang = "en"): void {
  const t = importTexts(lang);
  if (io.stdout.isTTY) {
    const width = Math.max(10, Math.min(40, (io.stdout.columns ?? 80) - 30));
    const filled = total === 0 ? width : Math.round((done / total) * width);
    io.stdout.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${fill(t.progressBar, { done, total })}`);
    if (done === total) io.stdout.write("\n");
  } else {
    io.stdout.write(`${fill(t.progressLine, { done: count(done, lang), total: count(total, lang) })}\n`);
  }
}

/** Upserts the valid rows, a transaction per batch; a batch that fails is retried row by row. */
export async function importRows(db: Database, clinicId: number, rows: ValidRow[], io: ImportIo, batchSize = IMPORT_BATCH, lang: Lang = "en"): Promise<Omit<ImportSummary, "rows">> {
  const summary: Omit<ImportSummary, "rows"> = { created: 0, updated: 0, refused: [] };
  const save = (batch: ValidRow[]) =>
    db.transaction(
      async (tx) => {
        let created = 0;
        for (const row of batch) if ((await upsertPatient(tx, clinicId, row.input)).created) created++;
        return created;
      },
      { timeout: 60_000, maxWait: 60_000 },
    );
  const count = (batch: ValidRow[], created: number) => {
    summary.created += created;
    summary.updated += batch.length - created;
  };
  let done = 0;
  for (let i = 0; i < rows.length; i += batchSize) {
    const batch = rows.slice(i, i + batchSize);
    try {
      count(batch, await save(batch));
    } catch {
      for (const row of batch) {
        try {
          count([row], await save([row]));
        } catch (error) {
          summary.refused.push({ line: row.line, externalId: row.input.externalId, problems: [fill(importTexts(lang).notSaved, { reason: (error as Error).message.split("\n").at(-1) ?? "" })] });
        }
      }
    }
    done += batch.length;
    progress(io, done, rows.length, lang);
  }
  return summary;
}

/** The CSV file's text, or an error that names the file as the user typed it. */
export function readImportFile(absolute: string, file: string, lang: Lang = "en"): string {
  const t = importTexts(lang);
  try {
    return readFileSync(absolute, "utf8");
  } catch (error) {
    throw new Error(fill(t.cannotRead, { file, reason: (error as NodeJS.ErrnoException).code === "ENOENT" ? t.noSuchFile : (error as Error).message }));
  }
}

/** `FILE.errors.csv` beside `FILE.csv`. */
export function errorsFileOf(file: string): string {
  const ext = path.extname(file);
  return path.join(path.dirname(file), `${path.basename(file, ext.toLowerCase() === ".csv" ? ext : "")}.errors.csv`);
}

/** The refused rows: one line each on stderr and FILE.errors.csv (removed when none, so an old report does not linger). */
export function reportRefusals(refused: Refusal[], errorsFile: string, io: ImportIo, lang: Lang, closing: string): number {
  const t = importTexts(lang);
  if (refused.length === 0) {
    // A report from an earlier run would describe rows that are now imported.
    if (existsSync(errorsFile)) rmSync(errorsFile);
    return 0;
  }
  for (const r of refused) io.stderr.write(`${fill(t.line, { line: r.line })}: ${r.problems.join("; ")}\n`);
  const csv = [t.errorsHeader, ...refused.map((r) => [r.line, r.externalId, r.problems.join("; ")].map(csvField).join(","))];
  writeFileSync(errorsFile, `${csv.join("\r\n")}\r\n`);
  io.stderr.write(`${fill(closing, { file: errorsFile })}\n`);
  return 1;
}

export async function importPatientsCommand(config: Config, file: string, io: ImportIo = { stdout: process.stdout, stderr: process.stderr }, lang: Lang = "en"): Promise<number> {
  const t = importTexts(lang);
  const absolute = path.resolve(file);
  const text = readImportFile(absolute, file, lang);
  let records: CsvRecord[];
  let header: Header;
  try {
    records = parseCsv(text, lang);
    header = headerOf(records[0], lang);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  const rows = records.slice(1);
  const { valid, refused } = validateRecords(rows, header, lang);

  await applyMigrations(config.database);
  const db = openDatabase(config.database);
  let summary: ImportSummary;
  try {
    const clinic = await resolveClinic(db, config.clinicSlug);
    io.stdout.write(`${fill(t.importingPatients, { count: counted(rows.length, lang, PATIENTS_NOM_RU, PATIENTS_EN), rows: count(rows.length, lang), clinic: clinic.name, file })}\n`);
    const imported = await importRows(db, clinic.id, valid, io, IMPORT_BATCH, lang);
    summary = { rows: rows.length, created: imported.created, updated: imported.updated, refused: [...refused, ...imported.refused].sort((a, b) => a.line - b.line) };
  } finally {
    await db.close();
  }

  const done = summary.created + summary.updated;
  io.stdout.write(
    `${fill(t.patientsSummary, { done: counted(done, lang, PATIENTS_NOM_RU, PATIENTS_EN), created: count(summary.created, lang), updated: count(summary.updated, lang), refused: count(summary.refused.length, lang), rows: count(summary.rows, lang) })}\n`,
  );
  return reportRefusals(summary.refused, errorsFileOf(absolute), io, lang, t.refusedPatients);
}
