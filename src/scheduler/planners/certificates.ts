import { DateTime } from "luxon";
import { expressionBuilder } from "kysely";
import { concat, text } from "../../db/kysely/index.ts";
import { planStartFlows } from "../plan.ts";
import type { PlanContext, PlanResult } from "../plan.ts";
import { expiryDay } from "./expiry.ts";

/**
 * The gift certificate expiry warning, as the points' one: the holders of certificates with money
 * left that expire on the clinic-local day two weeks ahead, one row per certificate and day
 * (`cert-expiry:<yyyy-mm-dd>:<certificate id>`), to the certificate's current holder. The flow is
 * told the code, what is left (kopecks) and the day. Marketing, like the points' warning.
 * (Certificates already past their expiry are written off before this runs: run-planner's upkeep.)
 */
export function planCertificateExpiry(ctx: PlanContext): Promise<PlanResult> {
  const day = expiryDay(ctx.now, ctx.clinicZone);
  // Midday of that day in the clinic's zone: the texts print the clinic's date whatever the hour of expiry.
  const dayShown = DateTime.fromJSDate(day.from, { zone: ctx.clinicZone }).plus({ hours: 12 }).toUTC().toISO()!;
  const candidates = ctx.q
    .selectFrom("GiftCertificate as c")
    .innerJoin("Patient as p", "p.id", "c.ownerPatientId")
    .where("c.clinicId", "=", ctx.clinicId)
    .where("p.clinicId", "=", ctx.clinicId)
    .where("c.balance", ">", 0)
    .where("c.expiresAt", ">=", day.from)
    .where("c.expiresAt", "<", day.to);
  const eb = expressionBuilder(candidates);
  return planStartFlows({
    ctx,
    category: "marketing",
    candidates,
    key: concat(text(`cert-expiry:${day.date}:`), eb.ref("c.id")),
    context: [
      ["certificateId", eb.ref("c.id")],
      ["code", eb.ref("c.code")],
      ["balance", eb.ref("c.balance")],
      ["expiresOn", text(dayShown)],
    ],
    orderBy: [eb.ref("p.id"), eb.ref("c.id")],
  });
}
