import { DriverAdapterError } from "@prisma/driver-adapter-utils";
import { describe, expect, it } from "vitest";
import { isConnectionFailure, isDatabaseError, isDatabaseFailure, isUniqueViolation } from "../../src/db/errors.ts";

// db.transaction begins and commits on the driver adapter itself, so its failures arrive as the
// adapter's own errors, unwrapped by any Prisma client: they must still read as the database's.
describe("errors a driver adapter raises itself", () => {
  it("counts every one as the database's, so the channel retries the update instead of answering a flow error", () => {
    expect(isDatabaseError(new DriverAdapterError({ kind: "postgres", code: "XX000", severity: "ERROR", message: "boom", detail: undefined, column: undefined, hint: undefined } as never))).toBe(true);
  });

  it.each([
    ["server not reachable", { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5432 }],
    ["connection reset", { kind: "ConnectionClosed" }],
    ["socket timeout", { kind: "SocketTimeout" }],
    ["too many connections", { kind: "TooManyConnections", cause: "sorry" }],
    ["a driver code kept in the cause", { kind: "postgres", originalCode: "57P01", originalMessage: "terminating connection due to administrator command" }],
    ["a driver message kept in the cause", { kind: "sqlite", originalCode: "SQLITE_IOERR", originalMessage: "database is locked" }],
  ])("takes %s for a connection that comes back", (_label, cause) => {
    expect(isConnectionFailure(new DriverAdapterError(cause as never))).toBe(true);
  });

  it("counts the PostgreSQL driver's own dropped connection, a plain Error nothing wrapped, as the database's", () => {
    // Seen when the database went away in the middle of a flow step: answered as a flow error, the
    // patient got "something went wrong" and an escalation for what was only an outage.
    const dropped = new Error("Connection terminated unexpectedly");
    expect(isDatabaseError(dropped)).toBe(false);
    expect(isDatabaseFailure(dropped)).toBe(true);
    expect(isDatabaseFailure({ error: dropped, message: "Error in middleware" })).toBe(true);
    expect(isDatabaseFailure(new Error("flow \"nps\" has no state \"x\""))).toBe(false);
  });

  it("does not take a refused write for a lost connection", () => {
    const unique = new DriverAdapterError({ kind: "UniqueConstraintViolation", constraint: { fields: ["dedupeKey"] } } as never);
    expect(isConnectionFailure(unique)).toBe(false);
    expect(isConnectionFailure(new Error("flow \"nps\" has no state \"x\""))).toBe(false);
  });

  it("knows a unique violation from a model call and from a raw statement", () => {
    expect(isUniqueViolation({ code: "P2002", meta: { target: ["dedupeKey"] } }, "dedupeKey")).toBe(true);
    const raw = { code: "P2010", meta: { driverAdapterError: { cause: { kind: "UniqueConstraintViolation", constraint: { index: "Message_dedupeKey_key" } } } } };
    expect(isUniqueViolation(raw, "dedupeKey")).toBe(true);
    expect(isUniqueViolation(raw, "idempotencyKey")).toBe(false);
    expect(isUniqueViolation({ code: "P2010", meta: { driverAdapterError: { cause: { kind: "postgres" } } } })).toBe(false);
  });
});
