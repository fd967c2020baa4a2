import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { history, published, publishedOfKind, publish, rollBack, saveDraft, ContentVersionError } from "../../../src/domain/content/versions.ts";
import { createMigratedDatabase } from "../../support/db.ts";
import type { MigratedDatabase } from "../../support/db.ts";
import { createClinic } from "../../support/fixtures.ts";

describe("content versions", () => {
  let t: MigratedDatabase;
  let clinicId: number;
  let otherClinicId: number;
  const at = new Date("2026-12-03T10:00:00Z");
  beforeEach(async () => {
    t = await createMigratedDatabase();
    clinicId = (await createClinic(t.db.prisma)).id;
    otherClinicId = (await createClinic(t.db.prisma)).id;
  });
  afterEach(() => t.dispose());

  it("numbers saves, publishes one at a time and rolls back by publishing a copy", async () => {
    const ref = { clinicId, kind: "text" as const, key: "nps.ask:ru" };
    const v1 = await t.db.transaction((tx) => saveDraft(tx, ref, { body: { source: "Первый" }, authorId: null, at }));
    const v2 = await t.db.transaction((tx) => saveDraft(tx, ref, { body: { source: "Второй" }, authorId: null, at }));
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(await published(t.db.prisma, ref)).toBeNull();

    await t.db.transaction((tx) => publish(tx, ref, 1, at));
    await t.db.transaction((tx) => publish(tx, ref, 2, at));
    expect((await published(t.db.prisma, ref))?.body).toEqual({ source: "Второй" });
    expect((await history(t.db.prisma, ref)).map((r) => [r.version, r.status])).toEqual([[2, "published"], [1, "retired"]]);

    const back = await t.db.transaction((tx) => rollBack(tx, ref, 1, { authorId: null, at }));
    expect(back?.version).toBe(3);
    expect((await published(t.db.prisma, ref))?.body).toEqual({ source: "Первый" });
    expect((await history(t.db.prisma, ref)).map((r) => r.status)).toEqual(["published", "retired", "retired"]);

    await t.db.transaction((tx) => rollBack(tx, ref, 0, { authorId: null, at }));
    expect(await published(t.db.prisma, ref)).toBeNull();
  });

  it("keeps clinics and kinds apart and refuses a version that does not exist", async () => {
    const ref = { clinicId, kind: "flow" as const, key: "nps" };
    await t.db.transaction(async (tx) => publish(tx, ref, (await saveDraft(tx, ref, { body: { id: "nps" }, authorId: null, at })).version, at));
    expect([...(await publishedOfKind(t.db.prisma, clinicId, "flow")).keys()]).toEqual(["nps"]);
    expect((await publishedOfKind(t.db.prisma, otherClinicId, "flow")).size).toBe(0);
    expect((await publishedOfKind(t.db.prisma, clinicId, "text")).size).toBe(0);
    await expect(t.db.transaction((tx) => publish(tx, ref, 7, at))).rejects.toBeInstanceOf(ContentVersionError);
  });
});
