import { describe, expect, it } from "vitest";
import { settingsProblems } from "../../src/campaigns/find.ts";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";

const segment = { id: "sleeping-adults", title: "Не были больше полугода", ageMin: 18, ageMax: 64, lastVisitOlderThanMonths: 6 };
const campaign = { id: "winter-return", title: "Давно не виделись", segment: "sleeping-adults" };

describe("segments and campaigns in the clinic's settings", () => {
  it("default to none, and fill a campaign's defaults", () => {
    expect(parseClinicSettings({})).toMatchObject({ segments: [], campaigns: [] });
    const settings = parseClinicSettings({ segments: [segment], campaigns: [campaign] });
    expect(settings.segments).toEqual([segment]);
    expect(settings.campaigns).toEqual([{ ...campaign, flow: "reactivation", cameBackWithinDays: 60 }]);
  });

  it("accept every condition and a full campaign", () => {
    const full = {
      ...segment,
      tagsAny: ["students"],
      sourceIn: ["instagram-spring-2026"],
      lastVisitBefore: "2026-05-01",
      serviceCategoryAny: ["dentistry"],
      openFollowUp: true,
      birthdayWithinDays: 14,
      balanceAtLeast: 300,
    };
    const c = { ...campaign, flow: "reactivation", offer: { text: "−15 % на гигиену", bonusPoints: 500, validDays: 30 }, schedule: "0 12 * * 2", cameBackWithinDays: 90 };
    expect(settingsProblems({ segments: [full], campaigns: [c] })).toEqual([]);
  });

  it.each([
    [{ segments: [{ ...segment, ageMin: 17.5 }] }, "segments.0.ageMin: must be a whole number of years from 0 to 150"],
    [{ segments: [{ ...segment, ageMin: -1 }] }, "segments.0.ageMin: must be a whole number of years from 0 to 150"],
    [{ segments: [{ ...segment, ageMin: 65, ageMax: 18 }] }, "segments.0.ageMax: must not be below ageMin (65)"],
    [{ segments: [{ ...segment, ageMin: "18" }] }, "segments.0.ageMin: must be a whole number of years from 0 to 150"],
    [{ segments: [{ ...segment, tagsAny: [] }] }, "segments.0.tagsAny: must list at least one (leave the field out to not filter by it)"],
    [{ segments: [{ ...segment, tagsAny: "students" }] }, "segments.0.tagsAny: must be a list ([ … ])"],
    [{ segments: [{ ...segment, sourceIn: [""] }] }, "segments.0.sourceIn.0: must not be empty"],
    [{ segments: [{ ...segment, lastVisitBefore: "01.05.2026" }] }, 'segments.0.lastVisitBefore: must be a date "YYYY-MM-DD"'],
    [{ segments: [{ ...segment, lastVisitBefore: "2026-02-30" }] }, "segments.0.lastVisitBefore: is not a real calendar date"],
    [{ segments: [{ ...segment, lastVisitOlderThanMonths: 0 }] }, "segments.0.lastVisitOlderThanMonths: must be a whole number of months from 1 to 240"],
    [{ segments: [{ ...segment, openFollowUp: "yes" }] }, "segments.0.openFollowUp: must be true or false"],
    [{ segments: [{ ...segment, birthdayWithinDays: 400 }] }, "segments.0.birthdayWithinDays: must be a whole number of days from 0 to 365"],
    [{ segments: [{ ...segment, balanceAtLeast: -5 }] }, "segments.0.balanceAtLeast: must be a whole number of points from 0 to 100000000"],
    [{ segments: [{ ...segment, id: "Sleeping Adults" }] }, "segments.0.id: must be 1–64 lowercase letters"],
    [{ segments: [{ ...segment, title: "" }] }, "segments.0.title: a segment needs a title"],
    [{ segments: [{ ...segment, ageMn: 18 }] }, 'segments.0: unknown fields: "ageMn"'],
    [{ segments: [segment, { ...segment }] }, 'segments.1.id: "sleeping-adults" is already the id of item 1 of this list'],
    [{ segments: [segment], campaigns: [{ ...campaign, segment: "sleepy" }] }, 'campaigns.0.segment: no segment "sleepy" in segments (sleeping-adults)'],
    [{ campaigns: [campaign] }, 'campaigns.0.segment: no segment "sleeping-adults" in segments (none declared)'],
    [{ segments: [segment], campaigns: [{ ...campaign, schedule: "every tuesday" }] }, "campaigns.0.schedule: must be a five-field cron expression"],
    [{ segments: [segment], campaigns: [{ ...campaign, schedule: "0 25 * * *" }] }, "campaigns.0.schedule: is not a valid cron expression"],
    [{ segments: [segment], campaigns: [{ ...campaign, cameBackWithinDays: 0 }] }, "campaigns.0.cameBackWithinDays: must be a whole number of days from 1 to 730"],
    [{ segments: [segment], campaigns: [{ ...campaign, offer: { bonusPoints: 10.5 } }] }, "campaigns.0.offer.bonusPoints: must be a whole number of points, at least 1"],
    [{ segments: [segment], campaigns: [{ ...campaign, offer: { text: "" } }] }, "campaigns.0.offer.text: leave the text out rather than empty"],
    [{ segments: [segment], campaigns: [{ ...campaign, flow: "Reactivation!" }] }, 'campaigns.0.flow: must be a flow id such as "reactivation"'],
    [{ segments: [segment], campaigns: [campaign, campaign] }, 'campaigns.1.id: "winter-return" is already the id of item 1 of this list'],
  ])("refuses %j naming the field", (settings, problem) => {
    expect(settingsProblems(settings)).toContainEqual(expect.stringContaining(problem));
  });
});
