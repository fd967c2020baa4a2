import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Sqlite from "better-sqlite3";
import { databaseConfig } from "../config.ts";
import type { DatabaseConfig } from "../config.ts";
import { applyMigrations } from "./migrate/index.ts";

/**
 * Throwaway SQLite databases in one temp folder (the preview's sandboxes): the migrations run
 * once, into a template file, and every database is a copy of it (running the schema engine per
 * copy would cost seconds each time). Whatever the service's own database is, these are SQLite.
 */
export class ThrowawaySqlite {
  readonly #dir: string;
  #template: Promise<string> | null = null;
  #count = 0;

  constructor(prefix: string) {
    this.#dir = mkdtempSync(path.join(tmpdir(), prefix));
  }

  get folder(): string {
    return this.#dir;
  }

  /** A new migrated, empty database file of its own. */
  async create(): Promise<DatabaseConfig & { file: string }> {
    const template = await (this.#template ??= this.#migrateTemplate());
    const file = path.join(this.#dir, `db-${++this.#count}.db`);
    copyFileSync(template, file);
    return { ...databaseConfig(`file:${file}`), provider: "sqlite", file };
  }

  /** Deletes one database's files (close its connections first). */
  remove(file: string): void {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
  }

  /** Deletes the folder and everything in it. */
  dispose(): void {
    rmSync(this.#dir, { recursive: true, force: true });
  }

  async #migrateTemplate(): Promise<string> {
    const file = path.join(this.#dir, "template.db");
    try {
      await applyMigrations(databaseConfig(`file:${file}`));
      // The migrated file is in WAL mode: fold the log into it so that copying the one file copies it all.
      const connection = new Sqlite(file);
      connection.pragma("wal_checkpoint(TRUNCATE)");
      connection.close();
      if (existsSync(`${file}-wal`) || existsSync(`${file}-shm`)) throw new Error(`${file} still has a WAL after closing`);
      return file;
    } catch (error) {
      this.#template = null; // the next create tries again
      throw error;
    }
  }
}
