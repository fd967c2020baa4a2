import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enumValue, jsonText, preparedQuery, typedSql } from "../../src/db/kysely/index.ts";
import { createMigratedDatabase } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";

// preparedQuery (src/db/kysely/prepared.ts): a query built and compiled once, run with new values
// on the real database, giving what the same query built afresh gives.
describe("prepared typed queries", () => {
  let t: MigratedDatabase;
  let clinicId: number;
  let identityId: number;

  const lineOf = preparedQuery((db, p: { clinicId: number; identityId: number; text: string; payload: string; at: Date }, provider) =>
    db
      .insertInto("Message")
      .values({ clinicId: p.clinicId, identityId: p.identityId, direction: enumValue(provider, "MessageDirection", "outbound"), text: p.text, payload: jsonText(provider, p.payload), createdAt: p.at })
      .returning(["id", "text", "payload", "createdAt", "direction"]),
  );
  const linesAfter = preparedQuery((db, p: { identityId: number; after: Date }) =>
    db.selectFrom("Message").select(["text", "createdAt"]).where("identityId", "=", p.identityId).where("createdAt", ">", p.after).orderBy("id"),
  );

  beforeAll(async () => {
    t = await createMigratedDatabase();
    const clinic = await t.db.prisma.clinic.create({ data: { slug: "c", name: "Клиника", timezone: "Europe/Moscow", locale: "ru", settings: {} } });
    clinicId = clinic.id;
    identityId = (await t.db.prisma.channelIdentity.create({ data: { clinicId, channel: "telegram", externalChatId: "7" } })).id;
  });
  afterAll(() => t.dispose());

  it("binds each run's values into the statement compiled once", async () => {
    const q = typedSql(t.db);
    const first = await lineOf.executeTakeFirst(q, { clinicId, identityId, text: "первый", payload: JSON.stringify({ text: "первый" }), at: new Date("2026-12-01T10:00:00Z") });
    const second = await lineOf.executeTakeFirst(q, { clinicId, identityId, text: "второй", payload: JSON.stringify({ text: "второй", options: [{ label: "Да" }] }), at: new Date("2026-12-02T10:00:00Z") });
    expect(first).toMatchObject({ text: "первый", payload: { text: "первый" }, createdAt: new Date("2026-12-01T10:00:00Z"), direction: "outbound" });
    expect(second).toMatchObject({ text: "второй", payload: { text: "второй", options: [{ label: "Да" }] }, createdAt: new Date("2026-12-02T10:00:00Z") });
    expect(lineOf.compiledFor(t.db.provider)).toBe(lineOf.compiledFor(t.db.provider));
    expect(await linesAfter.execute(q, { identityId, after: new Date("2026-12-01T12:00:00Z") })).toStrictEqual([{ text: "второй", createdAt: new Date("2026-12-02T10:00:00Z") }]);
    // The same query built afresh reads the same rows.
    const fresh = await q.selectFrom("Message").select(["text", "createdAt"]).where("identityId", "=", identityId).where("createdAt", ">", new Date("2026-12-01T12:00:00Z")).orderBy("id").execute();
    expect(fresh).toStrictEqual(await linesAfter.execute(q, { identityId, after: new Date("2026-12-01T12:00:00Z") }));
  });

  it("keeps the constants the builder wrote and puts each parameter where it was used", () => {
    const compiled = linesAfter.compiledFor(t.db.provider);
    expect(compiled.slots).toStrictEqual([{ param: "identityId" }, { param: "after" }]);
    expect(compiled.bind({ identityId: 3, after: "x" })).toStrictEqual([3, "x"]);
  });

  it("refuses a parameter the builder branches on instead of binding it", () => {
    const branching = preparedQuery((db, p: { locale: string | null }) =>
      db.selectFrom("Clinic").select("id").$if(p.locale !== null, (s) => s.where("locale", "=", "ru")),
    );
    expect(() => branching.compiledFor(t.db.provider)).toThrow(/reads locale without binding it/);
  });
});
