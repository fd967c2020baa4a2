// What the HTTP request log may say about a request. Query strings carry what people type: the
// preview's patient search (?q=+79991007919, ?q=Смирнова) and chat ids. Their values are never
// logged, only their names; bodies are never logged at all (Fastify's request log has none).
import type { FastifyInstance, FastifyRequest } from "fastify";

/** "/preview/api/patients?q=%2B7999" → "/preview/api/patients?q=[redacted]". */
export function redactedUrl(url: string): string {
  const question = url.indexOf("?");
  if (question < 0) return url;
  const names = url
    .slice(question + 1)
    .split("&")
    .filter(Boolean)
    .map((pair) => `${pair.split("=")[0]!.slice(0, 40)}=[redacted]`);
  return `${url.slice(0, question)}?${names.join("&")}`;
}

/** Fastify's own request fields, with the query's values left out. */
export function requestSerializer(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactedUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** Fastify's 404, minus the query string it would otherwise print in the log and the answer. */
export function registerNotFound(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    const route = `${request.method}:${redactedUrl(request.url)}`;
    request.log.info(`Route ${route} not found`);
    return reply.code(404).send({ message: `Route ${route} not found`, error: "Not Found", statusCode: 404 });
  });
}
