import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/channels/types.ts";
import type { Db } from "../../src/db/client.ts";
import { promoCodeInputSchema, savePromoCode } from "../../src/domain/loyalty/promo/index.ts";
import { readSession } from "../../src/flows/runtime/session.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic } from "../support/fixtures.ts";
import { dependsOnFacts, flowPaths, PLAIN_TEXT, SHOWN_OPTION, WORLD_CODE } from "../support/flow-paths.ts";
import { createTestRouter, SHIPPED, shippedFlows } from "../support/runtime.ts";
import { seedWalks } from "./paths-seed.ts";
import type { StartContext, WalkSpec } from "./paths-seed.ts";

/** Every walk starts at this moment. */
const START = "2026-11-23T08:00:00Z";
const BROKEN = /undefined|null|NaN|\[object|Invalid DateTime|\{\{|\}\}/;
const service = shippedFlows();
const catalog = service.catalog();
const flows = [...catalog.flows.values()].map((f) => f.def);

/**
 * The patients a path is walked for: a path that hangs on what the clinic knows (points, a
 * follow-up and its free slots, an earlier visit, whose referral code) completes in at least one.
 */
const WORLDS = [
  { name: "an old patient with points, a follow-up, a visit ahead and free slots", balance: 1500, linked: true, followUp: "with-slots", code: "friend", raced: false, emptyClinic: false },
  { name: "a new patient, no points, nothing planned", balance: 0, linked: true, followUp: "none", code: "friend", raced: false, emptyClinic: false },
  { name: "a follow-up and a visit with no free slot, typing their own code", balance: 200, linked: true, followUp: "no-slots", code: "own", raced: false, emptyClinic: false },
  // At a clinic with no free time at all: «Записаться» goes straight to a person.
  { name: "a patient with a mistyped code, at a clinic with no free time", balance: 0, linked: true, followUp: "none", code: "unknown", raced: false, emptyClinic: true },
  { name: "not linked yet", balance: 0, linked: false, followUp: "none", code: "friend", raced: false, emptyClinic: false },
  // The clinic cancels the visit, and another patient takes the offered slot, while the message is on its way.
  { name: "a visit cancelled and a slot taken meanwhile", balance: 0, linked: true, followUp: "with-slots", code: "friend", raced: true, emptyClinic: false },
] as const;

type World = (typeof WORLDS)[number];

/** What a world changes: a flow that touches none of it is walked in the first world only (in both languages). */
const WORLD_FACTS = /"(isLinked|hasBalance|contactIsOwn|payloadStartsWith|offerSlots|offerServices|bookSlot|snoozeFollowUp|referralShare|attributeReferral|linkReferee|giveBirthdayGift|giveCampaignBonus|joinWaitlistFromChat|checkPromoCode|offerCertificates|shareCertificate|receiveCertificate)"/;
/** A flow started for a visit or an offered slot depends on the world's visit ahead and free slots. */
const startedForVisit = (def: { context?: Record<string, unknown> }) => ["appointmentId", "slotId"].some((key) => key in (def.context ?? {}));
/** A flow that looks for the patient's visit ahead itself (the waitlist asked for in words) meets the raced world's cancelled visit too. */
const readsVisitAhead = (def: object) => /"joinWaitlistFromChat"/.test(JSON.stringify(def));
const worldsFor = (def: { context?: Record<string, unknown> }) => (WORLD_FACTS.test(JSON.stringify(def)) || startedForVisit(def) ? WORLDS : WORLDS.slice(0, 1));
/** The race of the raced world: the visit is cancelled and the offered slot booked by someone else. */
async function race(db: Db, context: StartContext): Promise<void> {
  if (context.appointmentId) await db.appointment.update({ where: { id: context.appointmentId }, data: { status: "cancelled" } });
  if (context.slotId) await db.slot.update({ where: { id: context.slotId }, data: { status: "booked" } });
}

const withCode = (event: InboundEvent, code: string): InboundEvent =>
  event.type === "START" && event.payload ? { ...event, payload: event.payload.replace(WORLD_CODE, code) } : event;

/** Replaces the placeholder of an action-made option with the first such option last shown. */
async function withShown(event: InboundEvent, outbox: () => Promise<{ options?: { value: string | number }[] }[]>): Promise<InboundEvent> {
  if (event.type !== "CHOICE" || !event.value.endsWith(SHOWN_OPTION)) return event;
  const prefix = event.value.slice(0, -SHOWN_OPTION.length);
  const shown = (await outbox()).findLast((m) => m.options?.some((o) => String(o.value).startsWith(prefix)));
  const option = shown?.options?.find((o) => String(o.value).startsWith(prefix));
  return { type: "CHOICE", value: option ? String(option.value) : event.value };
}


/** The flows with the most paths, each walked in a file of its own; "rest" is every other flow. */
export const PATH_GROUPS = { rebook: ["rebook-followup"], nps: ["nps"], reminder: ["visit-reminder", "care-checkin"] } as const;
export type PathGroup = keyof typeof PATH_GROUPS | "rest";

const named = new Set<string>(Object.values(PATH_GROUPS).flat());

/** The flows a group walks. */
export function flowsOf(group: PathGroup) {
  if (group === "rest") return flows.filter((f) => !named.has(f.id));
  const ids: readonly string[] = PATH_GROUPS[group];
  return flows.filter((f) => ids.includes(f.id));
}

/** Every shipped flow, for the check that the groups together walk them all. */
export const shippedFlowIds = (): string[] => flows.map((f) => f.id);

/**
 * Walks every path of the shipped flows that `PATH_GROUPS` gives `group` (the group "rest": every
 * flow no other group names, so a new flow is walked without editing a list). The walk is split
 * into files so the slowest flows run on different workers at once.
 */
export function walkPaths(group: PathGroup): void {
  const chosen = flowsOf(group);
  describe(`every path of the shipped flows (${group}: ${chosen.map((f) => f.id).join(", ")}), in Russian and English, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  let emptyClinicId: number;
  let chat = 0;
  // One clock and one router per clinic for every walk, as the service has: each walk sets the clock back.
  const clock = new FixedClock(START);
  let routers: Map<number, ReturnType<typeof createTestRouter>>;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db)).id;
    emptyClinicId = (await createClinic(db)).id;
    routers = new Map([clinicId, emptyClinicId].map((id) => [id, createTestRouter(t.db, clock, id, SHIPPED, service)]));
    // The promo code the walker's plain text reads as, at the main clinic only (the empty one refuses it).
    await t.db.transaction((tx) => savePromoCode(tx, clinicId, promoCodeInputSchema.parse({ code: PLAIN_TEXT, reward: "points", value: 100 })));
  });
  afterAll(() => t.dispose());

  /** What a chat has been sent so far, in order: read by its identity (runtime.ts's outbox() finds it by chat id, through a join). */
  const sentTo = async (identityId: number) => {
    const rows = await db.outbox.findMany({ where: { identityId }, orderBy: { id: "asc" }, select: { payload: true } });
    return rows.map((row) => (row.payload as { message: { text: string; options?: { value: string | number; label: string }[] } }).message);
  };

  for (const def of chosen) {
    const paths = flowPaths(def);
    it(`${def.id}: ${paths.length} path(s) end in a final state or a wait, every message a proper text`, async () => {
      expect(paths.length).toBeGreaterThan(0);
      const reached = new Set<string>([def.initial]);
      // Every walk of the flow: each path in each world (the race only for flows started for a
      // visit or an offered slot, or that look for the visit themselves), in both languages.
      const walks = paths.map(() =>
        worldsFor(def)
          .filter((world) => !world.raced || startedForVisit(def) || readsVisitAhead(def))
          .flatMap((world) => (["ru", "en"] as const).map((locale): WalkSpec & { world: World } => ({ world, locale, clinicId: world.emptyClinic ? emptyClinicId : clinicId, chatId: `path-${def.id}-${++chat}` }))),
      );
      // Their patients, chats, visits and codes, all inserted at once.
      const seeded = await seedWalks(db, t.db.provider, walks.flat(), clock.now());
      let next = 0;
      for (const [index, path] of paths.entries()) {
        let completed = 0;
        for (const { world, locale, clinicId, chatId } of walks[index]!) {
          const { identityId, code, context: worldContext } = seeded[next++]!;
          clock.set(START);
          const r = routers.get(clinicId)!;
          // The world's visit and slot, and what the path itself starts the flow with (a patient's note).
          const context: StartContext & Record<string, unknown> = {
            ...worldContext,
            ...Object.assign({}, ...path.steps.map((s) => (s.kind === "auto" ? (s.context ?? {}) : {}))),
          };
          let applicable = true;
          // A flow that looks for the visit itself finds it already cancelled (the follow-up is all that is left).
          const racedBefore = world.raced && readsVisitAhead(def);
          if (racedBefore) await race(db, context);
          // A flow that needs a known patient never starts for a chat that is not linked.
          await r.router.startFlow(identityId, def.id, { category: def.category, context }).catch((error) => {
            if (world.linked) throw error;
            applicable = false;
          });
          if (!applicable) continue;
          if (world.raced && !racedBefore) await race(db, context);
          for (const [n, step] of path.steps.entries()) {
            // An eventless or RESULT branch happens within the step before it: check where it lands.
            if (path.steps[n + 1]?.kind === "auto") {
              if (step.kind === "event") await r.send(chatId, await withShown(withCode(step.event, code), () => sentTo(identityId)), { languageCode: locale });
              continue;
            }
            if (step.kind === "event") await r.send(chatId, await withShown(withCode(step.event, code), () => sentTo(identityId)), { languageCode: locale });
            if (step.kind === "wait") {
              clock.advance(step.ms);
              await r.router.fireDueTimers();
            }
            // The chat's conversations, newest first: the latest, and the newest of this flow.
            const conversations = await db.conversation.findMany({ where: { identityId }, orderBy: { id: "desc" }, select: { id: true, flowId: true, snapshot: true } });
            const latest = conversations[0]!;
            const conversation = conversations.find((c) => c.flowId === def.id);
            if (!conversation) throw new Error(`${def.id}: the chat has no conversation of this flow after step ${n}`);
            const state = readSession(conversation.snapshot).machine.value;
            // A flow that hands over to another (startFlow) ends there; otherwise it must still be the one talking.
            const handedOver = latest.id !== conversation.id && def.states[step.to]?.type === "final";
            if (state !== step.to || (latest.id !== conversation.id && !handedOver)) {
              // Guards on the patient's facts (linked? points?) decide the path: it belongs to another world.
              applicable = false;
              break;
            }
          }
          const sent = await sentTo(identityId);
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
            const conversation = await db.conversation.findFirstOrThrow({ where: { identityId, flowId: def.id }, orderBy: { id: "desc" } });
            if (endState.type === "final") expect(conversation.status).toBe("closed");
            else expect(endState.on ?? endState.after, `${def.id}: path ${index} stops in "${path.end}", which neither waits nor ends`).toBeDefined();
          }
        }
        // A path whose branches hang on the patient's facts may need facts to change mid-way
        // (not linked, then linked): no single patient walks it. Every other path must complete.
        if (!dependsOnFacts(path)) expect(completed, `${def.id}: path ${index} (${JSON.stringify(path.steps)}) was walked in no world`).toBeGreaterThan(0);
      }
      expect([...reached].sort(), `${def.id}: states no walked path reached`).toEqual(Object.keys(def.states).sort());
      // The NPS survey reads its answers in words too: over 200 paths, minutes on a busy machine.
    }, 300_000);
  }
});
}
