import { describe, expect, it } from "vitest";
import { intoDaytime, nextMorning, npsDueAt, patientZone } from "../../../src/domain/visits/due-times.ts";

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe("care message due times", () => {
  it("keeps a moment inside 10:00–20:00 local time, boundaries included", () => {
    expect(iso(intoDaytime(at("2026-11-23T07:00:00Z"), "Europe/Moscow"))).toBe("2026-11-23T07:00:00.000Z"); // 10:00
    expect(iso(intoDaytime(at("2026-11-23T17:00:00Z"), "Europe/Moscow"))).toBe("2026-11-23T17:00:00.000Z"); // 20:00
  });

  it("moves an early moment to 10:00 the same day and a late one to 10:00 the next", () => {
    expect(iso(intoDaytime(at("2026-11-23T06:59:59Z"), "Europe/Moscow"))).toBe("2026-11-23T07:00:00.000Z");
    expect(iso(intoDaytime(at("2026-11-23T17:00:01Z"), "Europe/Moscow"))).toBe("2026-11-24T07:00:00.000Z");
    expect(iso(intoDaytime(at("2026-11-23T20:59:00Z"), "Europe/Moscow"))).toBe("2026-11-24T07:00:00.000Z"); // 23:59
    expect(iso(intoDaytime(at("2026-11-23T21:00:00Z"), "Europe/Moscow"))).toBe("2026-11-24T07:00:00.000Z"); // 00:00 on the 24th
  });

  it("works on the patient's clock, not UTC's", () => {
    // 22:00 UTC is 08:00 the next day in Vladivostok: moved to 10:00 that same local day
    expect(iso(intoDaytime(at("2026-11-23T22:00:00Z"), "Asia/Vladivostok"))).toBe("2026-11-24T00:00:00.000Z");
    // 12:00 UTC is 22:00 in Vladivostok
    expect(iso(intoDaytime(at("2026-11-23T12:00:00Z"), "Asia/Vladivostok"))).toBe("2026-11-24T00:00:00.000Z");
    // 12:00 UTC is 15:00 in Moscow: fine as it is
    expect(iso(intoDaytime(at("2026-11-23T12:00:00Z"), "Europe/Moscow"))).toBe("2026-11-23T12:00:00.000Z");
  });

  it("next morning is 10:00 on the next calendar day there, across a daylight-saving change", () => {
    expect(iso(nextMorning(at("2026-11-23T20:30:00Z"), "Europe/Moscow"))).toBe("2026-11-24T07:00:00.000Z"); // 23:30 on the 23rd
    expect(iso(nextMorning(at("2026-11-23T21:30:00Z"), "Europe/Moscow"))).toBe("2026-11-25T07:00:00.000Z"); // 00:30 on the 24th
    expect(iso(nextMorning(at("2026-11-23T15:00:00Z"), "Asia/Vladivostok"))).toBe("2026-11-25T00:00:00.000Z"); // 01:00 on the 24th there
    // Berlin moves to summer time on 29 March 2026: 10:00 CEST is 08:00 UTC
    expect(iso(nextMorning(at("2026-03-28T12:00:00Z"), "Europe/Berlin"))).toBe("2026-03-29T08:00:00.000Z");
  });

  it("adds the survey delay before moving into daytime", () => {
    expect(iso(npsDueAt(at("2026-11-23T08:00:00Z"), 120, "Europe/Moscow"))).toBe("2026-11-23T10:00:00.000Z");
    expect(iso(npsDueAt(at("2026-11-23T16:00:00Z"), 90, "Europe/Moscow"))).toBe("2026-11-24T07:00:00.000Z"); // 20:30
    expect(iso(npsDueAt(at("2026-11-23T16:00:00Z"), 0, "Europe/Moscow"))).toBe("2026-11-23T16:00:00.000Z");
  });

  it("takes the patient's zone when valid, else the clinic's", () => {
    expect(patientZone("Asia/Vladivostok", "Europe/Moscow")).toBe("Asia/Vladivostok");
    expect(patientZone(null, "Europe/Moscow")).toBe("Europe/Moscow");
    expect(patientZone("Mars/Olympus", "Europe/Moscow")).toBe("Europe/Moscow");
  });
});
