// /console/certificates: admins see the clinic's gift certificates and each one's history, found
// by code or by the holder's (or buyer's) name or phone. Read only: the MIS issues and spends them.
import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { OperatorConsoleDeps } from "../deps.ts";
import { CERTIFICATE_LIST_LIMIT, certificatesWithHistory } from "../../domain/loyalty/certificates/index.ts";
import { searchPatients } from "../../domain/patients/search.ts";
import { requireAdmin } from "../auth/require-admin.ts";
import { requireOperator, sessionOf } from "../auth/require-operator.ts";
import { consoleLang } from "../i18n.ts";
import { pageHeaders } from "../page-headers.ts";
import { cardFormats } from "../patients/format.ts";
import { certificatesPage } from "./page.ts";

/** The certificates' guarded routes (src/operators/index.ts gathers every section's into CONSOLE_ROUTES). */
export const CERTIFICATE_ROUTES = [{ method: "GET", url: "/console/certificates" }] as const;

const query = z.object({ q: z.string().max(100).optional() });

/** «GC-7KQ4-M2XD», «gc7kq4m2xd»: what the desk reads off a certificate. */
const looksLikeCode = (text: string) => /^gc[\s-]*[a-z0-9]/i.test(text);

export function registerCertificateConsoleRoutes(app: FastifyInstance, deps: OperatorConsoleDeps): void {
  app.register(async (scope) => {
    scope.addHook("preHandler", requireOperator(deps));
    scope.addHook("preHandler", requireAdmin);
    scope.addHook("onSend", async (_request, reply) => {
      reply.header("cache-control", "no-store");
    });

    scope.get("/console/certificates", async (request, reply) => {
      const { operator, csrfToken } = sessionOf(request);
      const lang = consoleLang(request);
      const q = (query.safeParse(request.query ?? {}).data?.q ?? "").trim();
      const clinicId = deps.clinic.id;
      const now = deps.clock.now();
      let filter: { code?: string; holderIds?: number[] } = {};
      if (q && looksLikeCode(q)) filter = { code: q };
      else if (q) filter = { holderIds: (await searchPatients(deps.db.prisma, clinicId, q, 1, CERTIFICATE_LIST_LIMIT)).rows.map((r) => r.id) };
      const certificates = await certificatesWithHistory(deps.db.prisma, clinicId, now, filter);
      const ids = new Set<number>();
      for (const c of certificates) {
        for (const id of [c.ownerPatientId, c.buyerPatientId, ...c.history.map((e) => e.patientId)]) if (id !== null) ids.add(id);
      }
      const patients = ids.size > 0 ? await deps.db.prisma.patient.findMany({ where: { clinicId, id: { in: [...ids] } }, select: { id: true, fullName: true } }) : [];
      const nonce = randomBytes(16).toString("base64");
      const page = certificatesPage({
        nonce,
        lang,
        csrfToken,
        clinicName: deps.clinic.name,
        operatorName: operator.displayName,
        query: q,
        certificates,
        limited: certificates.length >= CERTIFICATE_LIST_LIMIT,
        limit: CERTIFICATE_LIST_LIMIT,
        names: new Map(patients.map((p) => [p.id, p.fullName])),
        formats: cardFormats(lang, deps.clinic.timezone),
      });
      return reply.type("text/html; charset=utf-8").headers(pageHeaders(nonce)).send(page);
    });
  });
}
