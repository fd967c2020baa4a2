// A loopback proxy in front of the fake Bot API that refuses sendMessage the way Telegram does
// when a bot sends more than 30 messages in a second: 429 "Too Many Requests: retry after 1".
// The fake itself has no such option (and is not ours to change); the proxy counts in a sliding
// second, at the moment each request arrives, which is stricter than Telegram's own accounting.
import http from "node:http";
import type { AddressInfo } from "node:net";

/** Telegram's documented bulk limit for one bot. */
export const TELEGRAM_MESSAGES_PER_SECOND = 30;

export interface LimitProxy {
  readonly apiRoot: string;
  /** Requests refused with 429. */
  readonly refused: number;
  close(): Promise<void>;
}

export async function startLimitProxy(target: string, perSecond = TELEGRAM_MESSAGES_PER_SECOND): Promise<LimitProxy> {
  const accepted: number[] = [];
  let refused = 0;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (/\/sendMessage$/i.test(new URL(req.url ?? "/", "http://proxy").pathname)) {
      const now = Date.now();
      while (accepted.length > 0 && now - accepted[0]! >= 1000) accepted.shift();
      if (accepted.length >= perSecond) {
        refused++;
        const json = JSON.stringify({ ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
        res.writeHead(429, { "content-type": "application/json" }).end(json);
        return;
      }
      accepted.push(now);
    }
    const headers: Record<string, string> = {};
    if (req.headers["content-type"]) headers["content-type"] = req.headers["content-type"];
    const answer = await fetch(`${target}${req.url ?? "/"}`, { method: req.method, headers, body: req.method === "GET" || req.method === "HEAD" ? undefined : body });
    const text = await answer.text();
    res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" }).end(text);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502).end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    apiRoot: `http://127.0.0.1:${port}`,
    get refused() {
      return refused;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
