import type { DatabaseConfig } from "../../config.ts";

/** Which database a query is compiled for. */
export type Provider = DatabaseConfig["provider"];
