import type { FastifyInstance } from "fastify";
import type { Database } from "../db/client.ts";
import { html } from "../web-assets/html.ts";

/** The service's front door: which clinics it serves and where its parts live. */
export function registerHomeRoute(app: FastifyInstance, db: Database): void {
  app.get("/", async (_request, reply) => {
    const clinics = await db.prisma.clinic.findMany({
      select: { name: true, timezone: true, _count: { select: { patients: true, operators: true } } },
      orderBy: { id: "asc" },
    });
    const rows = clinics.map((c) => html`<li><b>${c.name}</b> — ${c.timezone}, пациентов: ${c._count.patients}, операторов: ${c._count.operators}</li>`);
    const page = html`<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>CareBot</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1d2733}code{background:#eef2f5;padding:0 .3em;border-radius:3px}</style>
</head><body>
<h1>CareBot</h1>
<p>Сервис связи клиники с пациентами работает. База данных: <code>${db.provider}</code>.</p>
<h2>Клиники</h2><ul>${rows.length > 0 ? rows : html`<li>Пока ни одной: <code>carebot seed --demo</code> создаст демо-клинику.</li>`}</ul>
<p><a href="/health">/health</a> — состояние сервиса в JSON.</p>
</body></html>`;
    reply.type("text/html; charset=utf-8").send(page.value);
  });
}
