// A hot query built and compiled once per database, then run with new values: the per-message
// path does no query building (Kysely's builders and compiler cost more client CPU than the
// statement on PostgreSQL). `preparedQuery` calls the builder once per provider with stand-ins for
// its parameters; the compiled SQL keeps each stand-in's position and every run binds the real
// values there. The builder keeps Kysely's types: the parameters are typed as given, the rows as
// the builder's query returns them.
//
// A parameter may only be handed to the query (compared, inserted, set, cast); never branched on
// in JavaScript (`p.locale !== null ? …`): the stand-in would decide the shape once for all runs.
// A query of several shapes is several prepared queries. A parameter read but never bound is
// such a branch, and compiling refuses it.
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from "kysely";
import type { CompiledQuery, Compilable } from "kysely";
import type { DB } from "../generated/kysely-types.ts";
import { returnsRows } from "./driver.ts";
import type { Provider } from "./provider.ts";
import type { TypedSql } from "./typed-sql.ts";

/** Where a parameter goes: a stand-in object Kysely binds like any value. */
class Param {
  constructor(readonly name: string) {}
}

/** A Kysely that only compiles (running through it is a mistake: DummyDriver returns nothing). */
function compilerFor(provider: Provider): Kysely<DB> {
  const sqlite = provider === "sqlite";
  return new Kysely<DB>({
    dialect: {
      createDriver: () => new DummyDriver(),
      createQueryCompiler: () => (sqlite ? new SqliteQueryCompiler() : new PostgresQueryCompiler()),
      createAdapter: () => (sqlite ? new SqliteAdapter() : new PostgresAdapter()),
      createIntrospector: (db: Kysely<unknown>) => (sqlite ? new SqliteIntrospector(db) : new PostgresIntrospector(db)),
    },
  });
}

const compilers = new Map<Provider, Kysely<DB>>();

/** The compiled statement of one database, and which parameter (or constant) each `$n` takes. */
export interface CompiledPrepared<O> {
  readonly compiled: CompiledQuery<O>;
  /** Per position: a parameter's name, or the constant the builder wrote. */
  readonly slots: readonly ({ param: string } | { constant: unknown })[];
  /** The values of one run, in position order. */
  bind(params: Record<string, unknown>): unknown[];
  /** True for a query or a write with RETURNING; the rest report the rows they changed. */
  readonly returnsRows: boolean;
}

export interface PreparedQuery<P extends object, O> {
  /** Runs the statement on `q`'s client (db.transaction's `tx` or the service's) with these values. */
  execute(q: TypedSql, params: P): Promise<O[]>;
  /** The first row, or undefined. */
  executeTakeFirst(q: TypedSql, params: P): Promise<O | undefined>;
  /** The rows changed, for a statement without RETURNING. */
  executeCount(q: TypedSql, params: P): Promise<number>;
  /** The statement compiled for a database (the benchmark's ceiling runs the same SQL). */
  compiledFor(provider: Provider): CompiledPrepared<O>;
}

/**
 * A query compiled once per database. `build` gets a compile-only Kysely, the parameters as
 * stand-ins, and the database (for the dialect differences in ./differences.ts).
 */
export function preparedQuery<P extends object, O>(build: (db: Kysely<DB>, p: P, provider: Provider) => Compilable<O>): PreparedQuery<P, O> {
  const byProvider = new Map<Provider, CompiledPrepared<O>>();

  function compiledFor(provider: Provider): CompiledPrepared<O> {
    let done = byProvider.get(provider);
    if (done) return done;
    done = compile(provider, build);
    byProvider.set(provider, done);
    return done;
  }

  // Straight to the client's connection: Kysely's executor adds only its async hops (no plugins
  // here). What each returns is what Kysely's result gave: rows, or the count of a write without rows.
  async function run(q: TypedSql, params: P): Promise<{ rows: O[]; changed: number }> {
    const { compiled, bind, returnsRows } = compiledFor(q.provider);
    const values = bind(params as Record<string, unknown>);
    if (returnsRows) return { rows: await q.clientConnection.run<O[]>(compiled.sql, values, "rows"), changed: 0 };
    return { rows: [], changed: await q.clientConnection.run<number>(compiled.sql, values, "count") };
  }

  return {
    compiledFor,
    execute: async (q, params) => (await run(q, params)).rows,
    executeTakeFirst: async (q, params) => (await run(q, params)).rows[0],
    executeCount: async (q, params) => (await run(q, params)).changed,
  };
}

function compile<P extends object, O>(provider: Provider, build: (db: Kysely<DB>, p: P, provider: Provider) => Compilable<O>): CompiledPrepared<O> {
  let compiler = compilers.get(provider);
  if (!compiler) compilers.set(provider, (compiler = compilerFor(provider)));
  const read = new Set<string>();
  const standIns = new Proxy({} as P, {
    get(_, key) {
      if (typeof key !== "string") return undefined;
      read.add(key);
      return new Param(key);
    },
  });
  const compiled = build(compiler, standIns, provider).compile();
  const slots = compiled.parameters.map((v) => (v instanceof Param ? { param: v.name } : { constant: v }));
  const bound = new Set(slots.flatMap((s) => ("param" in s ? [s.param] : [])));
  const unbound = [...read].filter((name) => !bound.has(name));
  if (unbound.length > 0) throw new Error(`a prepared query reads ${unbound.join(", ")} without binding it (a branch on a parameter fixes the query's shape): make one prepared query per shape`);
  const names = slots.map((s) => ("param" in s ? s.param : null));
  const constants = slots.map((s) => ("constant" in s ? s.constant : undefined));
  return {
    compiled: { ...compiled, parameters: constants },
    slots,
    returnsRows: returnsRows(compiled.query),
    bind(params) {
      const values = new Array<unknown>(names.length);
      for (let i = 0; i < names.length; i++) {
        const name = names[i];
        values[i] = name === null || name === undefined ? constants[i] : (params[name] ?? null);
      }
      return values;
    },
  };
}
