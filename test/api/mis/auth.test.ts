import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../src/config.ts";
import { bearerMatches } from "../../../src/api/mis/auth.ts";
import { TEST_PROVIDER } from "../../support/db.ts";
import { API_TOKEN, startMisApi } from "./setup.ts";
import type { MisApi } from "./setup.ts";

describe("API_TOKEN configuration", () => {
  it("is optional, and refuses a short token without repeating it", () => {
    expect(loadConfig({}).apiToken).toBeUndefined();
    expect(loadConfig({ API_TOKEN }).apiToken).toBe(API_TOKEN);
    const attempt = () => loadConfig({ API_TOKEN: "short-secret-value" });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/^API_TOKEN must be at least 24 characters/);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain("short-secret-value");
    }
  });

  it("compares bearer tokens exactly", () => {
    expect(bearerMatches(`Bearer ${API_TOKEN}`, API_TOKEN)).toBe(true);
    expect(bearerMatches(`bearer ${API_TOKEN}`, API_TOKEN)).toBe(true);
    expect(bearerMatches(`Bearer ${API_TOKEN}x`, API_TOKEN)).toBe(false);
    expect(bearerMatches(`Bearer ${API_TOKEN.slice(0, -1)}`, API_TOKEN)).toBe(false);
    expect(bearerMatches(`Basic ${API_TOKEN}`, API_TOKEN)).toBe(false);
    expect(bearerMatches(API_TOKEN, API_TOKEN)).toBe(false);
    expect(bearerMatches("Bearer ", API_TOKEN)).toBe(false);
    expect(bearerMatches(undefined, API_TOKEN)).toBe(false);
  });
});

describe(`MIS API authentication on ${TEST_PROVIDER}`, () => {
  let api: MisApi;
  let unset: MisApi;
  beforeAll(async () => {
    [api, unset] = await Promise.all([startMisApi(), startMisApi({ apiToken: null })]);
  });
  afterAll(async () => {
    await api?.close();
    await unset?.close();
  });

  const routes: [string, string][] = [
    ["POST", "/api/patients"],
    ["POST", "/api/visits"],
    ["POST", "/api/slots"],
    ["GET", "/api/patients/P-1/bonus"],
    ["GET", "/api/appointments?since=2026-01-01T00:00:00Z"],
    ["GET", "/api/escalations?status=open"],
  ];

  it.each(routes)("%s %s answers 401 without a valid token", async (method, url) => {
    for (const authorization of [undefined, "Bearer wrong-token-wrong-token-wrong", `Basic ${API_TOKEN}`, `Bearer ${API_TOKEN} extra`]) {
      const res = await api.app.inject({ method: method as "GET" | "POST", url, headers: authorization ? { authorization } : {}, payload: method === "POST" ? {} : undefined });
      expect(res.statusCode, `${authorization}`).toBe(401);
      expect(res.headers["www-authenticate"]).toMatch(/^Bearer/);
      expect(res.json()).toEqual({ error: expect.stringContaining("API token") });
      expect(res.body).not.toContain(API_TOKEN);
    }
  });

  it.each(routes)("%s %s answers 503 while API_TOKEN is not set", async (method, url) => {
    const res = await unset.app.inject({ method: method as "GET" | "POST", url, headers: { authorization: `Bearer ${API_TOKEN}` }, payload: method === "POST" ? {} : undefined });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ error: "API_TOKEN is not set" });
  });

  it("lets the right token through and leaves the rest of the server alone", async () => {
    expect((await api.get("/api/escalations")).statusCode).toBe(200);
    expect((await api.app.inject({ method: "GET", url: "/health" })).statusCode).toBe(200);
    expect((await unset.app.inject({ method: "GET", url: "/health" })).statusCode).toBe(200);
  });

  it("answers a body that is not JSON with 400, never 500", async () => {
    const res = await api.app.inject({
      method: "POST",
      url: "/api/patients",
      headers: { authorization: `Bearer ${API_TOKEN}`, "content-type": "application/json" },
      payload: '{"externalId": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: expect.stringMatching(/^body: /) });
  });
});
