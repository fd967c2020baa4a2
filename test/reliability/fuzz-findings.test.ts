// Findings of the fuzz test that need a fix outside the channel adapter, each pinned as a small,
// deterministic test. `it.fails` marks the ones still open (the fix is described beside them);
// when the fix lands, the test starts to pass and vitest reports it: drop the `.fails` then.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmptyDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { TestDatabase } from "../support/db.ts";
import { fakeUser, startFakeBotApi } from "../support/fake-bot-api/index.ts";
import type { FakeBotApi } from "../support/fake-bot-api/index.ts";
import { startInProcess, TOKEN } from "./support/service.ts";
import type { InProcessCareBot } from "./support/service.ts";
import { waitUntil } from "./support/wait.ts";

describe(`fuzz findings (on ${TEST_PROVIDER})`, () => {
  let target: TestDatabase;
  let api: FakeBotApi;
  let carebot: InProcessCareBot;
  beforeAll(async () => {
    target = await createEmptyDatabase();
    api = await startFakeBotApi({ token: TOKEN });
    carebot = await startInProcess(target, api);
  });
  afterAll(async () => {
    await carebot?.stop();
    await api?.close();
    await target?.drop();
  });

  // Open: src/flows/registry/actions/care/referral.ts, linkReferee throws "the shared contact has
  // no valid phone number" for a newcomer's own contact whose number does not parse (Telegram
  // clients let people share any contact card of their own). The router turns the throw into a
  // flow error: the patient reads an apology and an escalation is opened for a person, where a
  // re-ask would do. Fix: give referral-arrival.json's `contact` state a guard that checks the
  // number (e.g. a `contactHasValidPhone` guard next to `contactIsOwn`) so an invalid one falls
  // through to `{ "target": "contact" }` (the ask with reask/maxInvalid already there), or make
  // linkReferee raise a RESULT the flow answers instead of throwing.
  it.fails("a newcomer's own contact with an unusable number is asked again, not escalated as a flow error", async () => {
    const referrer = await carebot.service.db.prisma.patient.findFirstOrThrow({ orderBy: { id: "asc" } });
    const newcomer = fakeUser(760_001, { firstName: "Новенький", languageCode: "ru" });
    api.sendCommand(newcomer, "/start", `ref_${referrer.referralCode}`);
    await api.waitForMessages(newcomer.id, 1, 10_000);
    const before = api.messagesTo(newcomer.id).length;
    api.sendContact(newcomer, { phone: "12" });
    await waitUntil(() => api.messagesTo(newcomer.id).length > before, 10_000, "an answer to the contact");
    expect(carebot.log.lines.filter((l) => /flow step failed/.test(String(l.msg)))).toEqual([]);
  });
});
