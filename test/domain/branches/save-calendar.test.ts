import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveBranches } from "../../../src/domain/branches/save.ts";
import type { CheckedBranch } from "../../../src/domain/branches/form.ts";
import { branchCalendarSchema } from "../../../src/domain/branches/calendar.ts";
import { TEST_PROVIDER, createMigratedDatabase } from "../../support/db.ts";
import type { MigratedDatabase } from "../../support/db.ts";
import { createClinic } from "../../support/fixtures.ts";

// A branch with working hours of its own, put back on the clinic's calendar: the stored calendar
// becomes a real SQL NULL (src/db/queries/branches.ts), not Prisma's JSON null.
describe(`a branch's own calendar on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  beforeAll(async () => {
    t = await createMigratedDatabase();
  });
  afterAll(() => t.dispose());

  const branch = (over: Partial<CheckedBranch>): CheckedBranch => ({
    row: 0,
    id: null,
    code: "north",
    name: "Северный филиал",
    address: "Москва, ул. Северная, 5",
    phone: "+74951112233",
    reviewLinks: [],
    calendar: null,
    remove: false,
    ...over,
  });

  it("keeps the branch's hours, then clears them to none", async () => {
    const clinic = await createClinic(t.db.prisma);
    const own = branchCalendarSchema.parse({ version: 2, week: { sat: { start: "10:00", end: "16:00" } }, daysOff: ["2027-03-15"] });
    const save = (b: CheckedBranch) => t.db.transaction((tx) => saveBranches(tx, t.db.provider, clinic.id, [b]));

    expect(await save(branch({ calendar: own }))).toEqual({ ok: true, changed: ["north"] });
    const created = await t.db.prisma.branch.findFirstOrThrow({ where: { clinicId: clinic.id, code: "north" } });
    expect((created.calendar as { week: { sat: unknown } }).week.sat).toEqual({ start: "10:00", end: "16:00" });
    expect(created.calendar).toMatchObject({ version: 2, daysOff: ["2027-03-15"] });

    expect(await save(branch({ id: created.id, calendar: null }))).toEqual({ ok: true, changed: ["north"] });
    const cleared = await t.db.prisma.branch.findUniqueOrThrow({ where: { id: created.id } });
    expect(cleared.calendar).toBeNull();
  });
});
