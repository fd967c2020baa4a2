// GET /assets/<page>.js: the bundled browser code of one page (see browser-bundles.ts). Public like
// any static file: it holds code, never data; pages pass their data in a JSON element.
import type { FastifyInstance } from "fastify";
import { browserBundle, browserPageNames } from "./browser-bundles.ts";

export function registerAssetRoutes(app: FastifyInstance): void {
  app.get<{ Params: { file: string } }>("/assets/:file", async (request, reply) => {
    const name = request.params.file.replace(/\.js$/, "");
    if (!request.params.file.endsWith(".js") || !browserPageNames().includes(name)) {
      return reply.code(404).type("text/plain; charset=utf-8").send("Нет такого файла");
    }
    const bundle = await browserBundle(name);
    return reply
      .header("content-type", "text/javascript; charset=utf-8")
      .header("x-content-type-options", "nosniff")
      .header("cache-control", request.query && (request.query as { v?: string }).v === bundle.hash ? "public, max-age=31536000, immutable" : "no-cache")
      .send(bundle.code);
  });
}
