// Every route a Fastify server answers, read from Fastify's own route table (printRoutes), so a
// test that walks them cannot forget a route somebody adds later.
import type { FastifyInstance, HTTPMethods } from "fastify";

export interface RouteEntry {
  method: HTTPMethods;
  /** The route's pattern as registered: "/console/api/conversations/:id". */
  url: string;
}

/**
 * Parses `printRoutes({ commonPrefix: false })`, a tree whose children continue their parent's
 * path ("└── /console (GET)" then, four columns deeper, "├── /api/me (GET)"), and checks every
 * route it yields against `hasRoute`, so a change in the printed format fails loudly here.
 */
export function routeTable(app: FastifyInstance): RouteEntry[] {
  const routes: RouteEntry[] = [];
  const pathAtDepth: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split("\n")) {
    const match = /^([\s│]*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?\s*$/.exec(line);
    if (!match) {
      if (line.trim() !== "") throw new Error(`routeTable: cannot read the route line ${JSON.stringify(line)}`);
      continue;
    }
    const depth = match[1]!.length / 4;
    const url = (depth > 0 ? pathAtDepth[depth - 1]! : "") + match[2]!;
    pathAtDepth[depth] = url;
    pathAtDepth.length = depth + 1;
    for (const method of (match[3] ?? "").split(",").map((m) => m.trim()).filter(Boolean)) {
      const entry = { method: method as HTTPMethods, url };
      if (!app.hasRoute(entry)) throw new Error(`routeTable: read ${method} ${url}, which Fastify does not have`);
      routes.push(entry);
    }
  }
  return routes;
}
