import { readFileSync } from "node:fs";
import path from "node:path";

export type Provider = "sqlite" | "postgresql";
export const PROVIDERS: readonly Provider[] = ["sqlite", "postgresql"];

export const PRISMA_DIR = path.resolve(import.meta.dirname, "../../prisma");
export const SOURCE_SCHEMA = path.join(PRISMA_DIR, "schema.prisma");

/** Where each provider's derived schema is written (by `npm run db:generate`). */
export function derivedSchemaPath(provider: Provider): string {
  return path.join(PRISMA_DIR, "generated", `${provider}.prisma`);
}

/** Each provider keeps its own migration history, both derived from the one schema. */
export function migrationsDir(provider: Provider): string {
  return path.join(PRISMA_DIR, "migrations", provider);
}

/**
 * prisma/schema.prisma is written for SQLite; the PostgreSQL schema differs only in its
 * datasource provider and where its client is generated. Anything else would be a second source.
 */
export function deriveSchema(provider: Provider, source = readFileSync(SOURCE_SCHEMA, "utf8")): string {
  const providerLine = /(datasource\s+db\s*\{[^}]*?provider\s*=\s*)"sqlite"/;
  const outputLine = /(generator\s+client\s*\{[^}]*?output\s*=\s*)"[^"]*"/;
  if (!providerLine.test(source) || !outputLine.test(source)) {
    throw new Error(`${SOURCE_SCHEMA}: expected a datasource with provider "sqlite" and a generator client with an output`);
  }
  const header = `// Derived from prisma/schema.prisma by \`npm run db:generate\`: do not edit.\n`;
  return (
    header +
    source
      .replace(providerLine, `$1"${provider}"`)
      // Paths in a derived schema are relative to prisma/generated/.
      .replace(outputLine, `$1"../../src/db/generated/${provider}"`)
  );
}
