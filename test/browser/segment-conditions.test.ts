// The segment builder's rows: every condition segments support has a row, a stored segment comes
// back from its rows unchanged, and what a manager types becomes the keys the schema checks.
import { describe, expect, it } from "vitest";
import { CONDITIONS, rowsOf, rowTexts, rowValue } from "../../src/browser/settings/segment-conditions.ts";
import { segmentSchema } from "../../src/domain/segments/schema.ts";

describe("segment builder rows", () => {
  it("offer a row for every condition the segment schema has, and none it lacks", () => {
    const schemaKeys = Object.keys(segmentSchema.shape).filter((k) => k !== "id" && k !== "title").sort();
    expect(CONDITIONS.flatMap((c) => c.keys).sort()).toEqual(schemaKeys);
  });

  it("show a stored segment's conditions and give the same segment back", () => {
    const stored = {
      id: "adults",
      title: "Взрослые с бонусами",
      ageMin: 30,
      ageMax: 55,
      lastVisitOlderThanMonths: 6,
      lastVisitBefore: "2026-06-01",
      serviceCategoryAny: ["hygiene", "implants"],
      birthdayWithinDays: 14,
      balanceAtLeast: 500,
      tagsAny: ["vip"],
      sourceIn: ["2gis", "site"],
      openFollowUp: false,
    };
    const rows = rowsOf(stored);
    expect(rows).toEqual(["lastVisitOlderThanMonths", "lastVisitBefore", "serviceCategoryAny", "age", "birthdayWithinDays", "balanceAtLeast", "tagsAny", "sourceIn", "openFollowUp"]);
    const back = Object.assign({ id: stored.id, title: stored.title }, ...rows.map((r) => rowValue(r, rowTexts(r, stored))));
    expect(back).toEqual(stored);
    expect(segmentSchema.parse(back)).toEqual(stored);
  });

  it("read what a manager types: «7,5» and spaces, an open age range, a list with gaps", () => {
    expect(rowValue("age", ["18", ""])).toEqual({ ageMin: 18 });
    expect(rowValue("age", ["", " 65 "])).toEqual({ ageMax: 65 });
    expect(rowValue("tagsAny", ["vip, , students "])).toEqual({ tagsAny: ["vip", "students"] });
    expect(rowValue("openFollowUp", ["true"])).toEqual({ openFollowUp: true });
    expect(rowValue("balanceAtLeast", [" 300 "])).toEqual({ balanceAtLeast: 300 });
    expect(rowTexts("serviceCategoryAny", { serviceCategoryAny: ["hygiene", "xray"] })).toEqual(["hygiene, xray"]);
  });

  it("send an unfinished row as it is, so the server names the field instead of the condition vanishing", () => {
    expect(rowValue("balanceAtLeast", [""])).toEqual({ balanceAtLeast: "" });
    expect(rowValue("lastVisitOlderThanMonths", ["шесть"])).toEqual({ lastVisitOlderThanMonths: "шесть" });
    expect(rowValue("tagsAny", [""])).toEqual({ tagsAny: [] });
    expect(segmentSchema.safeParse({ id: "x", title: "X", balanceAtLeast: "" }).success).toBe(false);
    expect(segmentSchema.safeParse({ id: "x", title: "X", tagsAny: [] }).success).toBe(false);
  });
});
