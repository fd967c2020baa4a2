// GET /r/<token>: a promoter's review link. It records the first click of that invitation and site
// and redirects to the review site; the token is random and says nothing of the patient.
import type { FastifyInstance } from "fastify";
import type { Database } from "../db/client.ts";
import { followReviewLink } from "../domain/reviews/invites.ts";
import type { Clock } from "../util/clock.ts";

export function registerReviewRedirect(app: FastifyInstance, deps: { db: Database; clock: Clock }): void {
  app.get<{ Params: { token: string } }>("/r/:token", async (request, reply) => {
    const url = await deps.db.transaction((tx) => followReviewLink(tx, request.params.token, deps.clock.now()));
    reply.header("cache-control", "no-store").header("referrer-policy", "no-referrer");
    if (!url) return reply.code(404).type("text/plain; charset=utf-8").send("Ссылка не найдена. / Link not found.");
    return reply.redirect(url, 302);
  });
}
