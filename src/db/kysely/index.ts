// The typed SQL layer (docs/database.md): queries, their row types and the dialect differences.
export { typedSql, typedSqlOn, TypedSql } from "./typed-sql.ts";
export type { Provider } from "./provider.ts";
export { preparedQuery } from "./prepared.ts";
export type { PreparedQuery, CompiledPrepared } from "./prepared.ts";
export * from "./differences.ts";
export type * from "../generated/kysely-types.ts";
export * from "./aggregates.ts";
