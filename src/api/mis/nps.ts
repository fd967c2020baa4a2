import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { MisApiDeps } from "./deps.ts";
import { npsReport } from "../../domain/nps/report.ts";
import { parseOr422 } from "./problems.ts";

const npsQuery = z
  .object({
    from: z.iso.datetime({ offset: true, message: "must be an ISO date-time" }),
    to: z.iso.datetime({ offset: true, message: "must be an ISO date-time" }),
    groupBy: z.enum(["doctor", "service", "month"], { message: "must be doctor, service or month" }).default("month"),
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: "must be after from", path: ["to"] });

/** GET /api/nps?from=&to=&groupBy=doctor|service|month: % promoters − % detractors per group. */
export function registerNpsRoutes(scope: FastifyInstance, deps: Pick<MisApiDeps, "clinic" | "db">): void {
  scope.get("/nps", async (request) => {
    const query = parseOr422(npsQuery, request.query);
    return npsReport(deps.db.prisma, deps.clinic.id, {
      from: new Date(query.from),
      to: new Date(query.to),
      groupBy: query.groupBy,
      timezone: deps.clinic.timezone,
    });
  });
}
