import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { createRegistry } from "../../src/flows/registry/index.ts";
import { readSession } from "../../src/flows/runtime/session.ts";
import { FlowService } from "../../src/flows/service.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { dependsOnFacts, flowPaths } from "../support/flow-paths.ts";
import { createTestRouter, SHIPPED } from "../support/runtime.ts";

const BROKEN = /undefined|null|NaN|\[object|Invalid DateTime|\{\{|\}\}/;
const catalog = FlowService.load({ ...SHIPPED, registry: createRegistry() }).catalog();
const flows = [...catalog.flows.values()].map((f) => f.def);

/** The patients a path is walked for: paths that depend on facts complete in at least one. */
const WORLDS = [
  { name: "linked, with points", balance: 1500, linked: true },
  { name: "linked, no points", balance: 0, linked: true },
  { name: "not linked", balance: 0, linked: false },
];

describe(`every path of every shipped flow, in Russian and English, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  let chat = 0;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db)).id;
  });
  afterAll(() => t.dispose());

  for (const def of flows) {
    const paths = flowPaths(def);
    it(`${def.id}: ${paths.length} path(s) end in a final state or a wait, every message a proper text`, async () => {
      expect(paths.length).toBeGreaterThan(0);
      const reached = new Set<string>([def.initial]);
      for (const [index, path] of paths.entries()) {
        let completed = 0;
        for (const world of WORLDS) {
          for (const locale of ["ru", "en"] as const) {
            const clock = new FixedClock("2026-11-23T08:00:00Z");
            const r = createTestRouter(t.db, clock, clinicId);
            const chatId = `path-${def.id}-${++chat}`;
            const identity = world.linked
              ? await linkChat(db, clinicId, (await createPatient(db, clinicId, { locale, balance: world.balance })).id, chatId)
              : await db.channelIdentity.create({ data: { clinicId, channel: "telegram", externalChatId: chatId, locale } });
            await r.router.startFlow(identity.id, def.id, { category: def.category });
            let applicable = true;
            for (const [n, step] of path.steps.entries()) {
              // An eventless or RESULT branch happens within the step before it: check where it lands.
              if (path.steps[n + 1]?.kind === "auto") {
                if (step.kind === "event") await r.send(chatId, step.event, { languageCode: locale });
                continue;
              }
              if (step.kind === "event") await r.send(chatId, step.event, { languageCode: locale });
              if (step.kind === "wait") {
                clock.advance(step.ms);
                await r.router.fireDueTimers();
              }
              const latest = await db.conversation.findFirstOrThrow({ where: { identityId: identity.id }, orderBy: { id: "desc" } });
              const conversation = await db.conversation.findFirstOrThrow({ where: { identityId: identity.id, flowId: def.id }, orderBy: { id: "desc" } });
              const state = readSession(conversation.snapshot).machine.value;
              // A flow that hands over to another (startFlow) ends there; otherwise it must still be the one talking.
              const handedOver = latest.id !== conversation.id && def.states[step.to]?.type === "final";
              if (state !== step.to || (latest.id !== conversation.id && !handedOver)) {
                // Guards on the patient's facts (linked? points?) decide the path: it belongs to another world.
                applicable = false;
                break;
              }
            }
            const sent = await r.outbox(chatId);
            for (const message of sent) {
              expect(message.text.trim().length, `${def.id} (${locale}) sent an empty text`).toBeGreaterThan(0);
              expect(message.text, `${def.id} (${locale})`).not.toMatch(BROKEN);
              for (const option of message.options ?? []) expect(option.label).not.toMatch(BROKEN);
            }
            if (locale === "ru") for (const m of sent) expect(m.text, `${def.id}: Russian text expected`).toMatch(/[а-яё]/i);
            if (applicable) {
              completed++;
              path.steps.forEach((s) => reached.add(s.to));
              const endState = def.states[path.end]!;
              const conversation = await db.conversation.findFirstOrThrow({ where: { identityId: identity.id, flowId: def.id }, orderBy: { id: "desc" } });
              if (endState.type === "final") expect(conversation.status).toBe("closed");
              else expect(endState.on ?? endState.after, `${def.id}: path ${index} stops in "${path.end}", which neither waits nor ends`).toBeDefined();
            }
          }
        }
        // A path whose branches hang on the patient's facts may need facts to change mid-way
        // (not linked, then linked): no single patient walks it. Every other path must complete.
        if (!dependsOnFacts(path)) expect(completed, `${def.id}: path ${index} (${JSON.stringify(path.steps)}) was walked in no world`).toBeGreaterThan(0);
      }
      expect([...reached].sort(), `${def.id}: states no walked path reached`).toEqual(Object.keys(def.states).sort());
    }, 120_000);
  }
});
