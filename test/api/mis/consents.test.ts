// The MIS sends the consents the clinic holds with the patient: each with its source, time and
// text version, recorded once however often the patient is posted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentConsents } from "../../../src/domain/consents/index.ts";
import { TEST_PROVIDER } from "../../support/db.ts";
import { json, nextId, startMisApi } from "./setup.ts";
import type { MisApi } from "./setup.ts";

describe(`consents through POST /api/patients on ${TEST_PROVIDER}`, () => {
  let api: MisApi;
  beforeAll(async () => {
    api = await startMisApi();
  });
  afterAll(() => api?.close());

  it("records each consent with its source, time and text version, once", async () => {
    const externalId = nextId("P");
    const body = {
      externalId,
      fullName: "Петрова Анна Сергеевна",
      phone: "+79991230001",
      consents: [
        { kind: "personal_data", at: "2025-09-01T10:00:00+03:00", source: "paper", textVersion: "ПД-2025-09", note: "анкета №118" },
        { kind: "advertising", granted: true, at: "2025-09-01T10:00:00+03:00", textVersion: "РЕКЛ-2025-09" },
      ],
    };
    const { id } = json(await api.post("/api/patients", body), 201) as { id: number };
    json(await api.post("/api/patients", body), 200);
    expect(await api.db.consent.count({ where: { patientId: id } })).toBe(2);
    const current = await currentConsents(api.db, id);
    expect(current.personal_data).toMatchObject({ granted: true, source: "paper", textVersion: "ПД-2025-09", note: "анкета №118", at: new Date("2025-09-01T07:00:00Z") });
    expect(current.advertising).toMatchObject({ granted: true, source: "mis", textVersion: "РЕКЛ-2025-09" });
    expect(current.care_messages).toBeNull();

    // A withdrawal the MIS recorded later wins.
    json(await api.post("/api/patients", { ...body, consents: [{ kind: "advertising", granted: false, at: "2026-11-20T12:00:00Z", textVersion: "РЕКЛ-2025-09" }] }), 200);
    expect((await currentConsents(api.db, id)).advertising).toMatchObject({ granted: false, source: "mis" });
  });

  it("answers 422 naming the field of a consent that is wrong", async () => {
    const res = await api.post("/api/patients", {
      externalId: nextId("P"),
      fullName: "Петрова Анна Сергеевна",
      phone: "+79991230002",
      consents: [{ kind: "sms", at: "вчера", textVersion: "" }],
    });
    expect(res.statusCode).toBe(422);
    const text = res.body;
    expect(text).toContain("consents.0.kind");
    expect(text).toContain("consents.0.at");
    expect(text).toContain("consents.0.textVersion");
  });
});
