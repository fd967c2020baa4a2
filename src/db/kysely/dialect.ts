// A Kysely dialect per database: Kysely's own SQLite and PostgreSQL query compilers write the
// SQL text (SQLite's `?`, PostgreSQL's `$1`), ClientDriver runs it on CareBot's connections.
import {
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";
import type { Dialect, Kysely } from "kysely";
import { ClientDriver } from "./driver.ts";
import type { ClientConnection } from "./driver.ts";
import type { Provider } from "./provider.ts";

export function clientDialect(connection: ClientConnection, provider: Provider): Dialect {
  const sqlite = provider === "sqlite";
  return {
    createDriver: () => new ClientDriver(connection),
    createQueryCompiler: () => (sqlite ? new SqliteQueryCompiler() : new PostgresQueryCompiler()),
    createAdapter: () => (sqlite ? new SqliteAdapter() : new PostgresAdapter()),
    createIntrospector: (db: Kysely<unknown>) => (sqlite ? new SqliteIntrospector(db) : new PostgresIntrospector(db)),
  };
}
