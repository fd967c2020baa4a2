// A loopback stand-in for Meta's Graph API (WhatsApp Cloud API), over real HTTP: it takes
// POST /{phone-number-id}/messages as Meta does (bearer token, wamid ids, error bodies), keeps
// the 24-hour window itself (answering 131047 to a free-form message outside it), can answer
// 130429 on demand, and plays the patients: it POSTs their messages to CareBot's webhook signed
// with the app secret, as Meta does.
import { createHmac, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";

export interface FakeGraphOptions {
  token: string;
  phoneNumberId: string;
  appSecret: string;
  /** The fake's clock for the 24-hour window (share the test's clock with CareBot). */
  now: () => Date;
}

/** One message CareBot sent, as Graph received it (`to` without "+"). */
export interface GraphSent {
  id: string;
  to: string;
  type: string;
  body: Record<string, any>;
}

export interface FakeGraphApi {
  /** "http://127.0.0.1:<port>/v21.0": WHATSAPP_GRAPH_URL. */
  readonly graphUrl: string;
  readonly sent: GraphSent[];
  /** Every answer the fake gave to a send (including refusals), in order. */
  readonly answers: { status: number; code?: number }[];
  /** Where the patients' messages are POSTed (CareBot's /whatsapp/webhook). */
  webhookUrl: string;
  /** The next `times` sends are refused with 130429 (throughput limit). */
  rateLimitNext(times?: number): void;
  /** The next `times` sends are refused with this Graph error code and HTTP status. */
  failNext(failure: { code: number; status?: number; message?: string }, times?: number): void;
  /** The patient's last message was at `at` (as if written then), for the window. */
  setLastInbound(waId: string, at: Date): void;
  text(waId: string, body: string, name?: string): Promise<number>;
  pressButton(waId: string, reply: { id: string; title: string }): Promise<number>;
  chooseRow(waId: string, reply: { id: string; title: string }): Promise<number>;
  /** A quick-reply button of a template message: WhatsApp sends its text and payload. */
  templateButton(waId: string, text: string, payload?: string): Promise<number>;
  /** POSTs a body with the given signature header (or none): to see what CareBot refuses. */
  postRaw(body: string, signature: string | undefined): Promise<number>;
  waitForSent(to: string, count: number, timeoutMs?: number): Promise<GraphSent[]>;
  close(): Promise<void>;
}

export function signBody(appSecret: string, body: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`;
}

const DAY_MS = 24 * 3_600_000;

export async function startFakeGraphApi(options: FakeGraphOptions): Promise<FakeGraphApi> {
  const sent: GraphSent[] = [];
  const answers: { status: number; code?: number }[] = [];
  const lastInbound = new Map<string, Date>();
  let failures: { code: number; status: number; message: string; times: number } | null = null;
  let counter = 0;

  const answer = (res: ServerResponse, status: number, body: unknown, code?: number) => {
    answers.push({ status, ...(code !== undefined && { code }) });
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };
  const graphError = (res: ServerResponse, status: number, code: number, message: string, details: string) =>
    answer(res, status, { error: { message, type: "OAuthException", code, error_data: { messaging_product: "whatsapp", details }, fbtrace_id: "fake" } }, code);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://fake").pathname;
      if (req.method !== "POST" || path !== `/v21.0/${options.phoneNumberId}/messages`) return graphError(res, 400, 100, "Unsupported post request", `no route ${req.method} ${path}`);
      if (req.headers.authorization !== `Bearer ${options.token}`) return graphError(res, 401, 190, "Invalid OAuth access token", "the token is not the app's");
      let body: Record<string, any>;
      try {
        body = JSON.parse(raw);
      } catch {
        return graphError(res, 400, 100, "Invalid parameter", "the body is not JSON");
      }
      if (body.messaging_product !== "whatsapp" || typeof body.to !== "string" || !/^\d+$/.test(body.to)) {
        return graphError(res, 400, 100, "Invalid parameter", "messaging_product must be whatsapp and to a number");
      }
      const problem = checkMessage(body);
      if (problem) return graphError(res, 400, 100, "Invalid parameter", problem);
      if (failures && failures.times > 0) {
        failures.times--;
        return graphError(res, failures.status, failures.code, failures.message, `fake failure ${failures.code}`);
      }
      const last = lastInbound.get(body.to);
      if (body.type !== "template" && (!last || options.now().getTime() - last.getTime() >= DAY_MS)) {
        return graphError(res, 400, 131047, "Re-engagement message", "Message failed to send because more than 24 hours have passed since the customer last replied to this number.");
      }
      const id = `wamid.FAKE${++counter}`;
      sent.push({ id, to: body.to, type: body.type, body });
      answer(res, 200, { messaging_product: "whatsapp", contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };

  const api: FakeGraphApi = {
    graphUrl: `http://127.0.0.1:${port}/v21.0`,
    sent,
    answers,
    webhookUrl: "",
    rateLimitNext(times = 1) {
      failures = { code: 130429, status: 400, message: "Rate limit hit", times };
    },
    failNext(failure, times = 1) {
      failures = { status: 400, message: "Fake failure", ...failure, times };
    },
    setLastInbound(waId, at) {
      lastInbound.set(waId, at);
    },
    text: (waId, body, name) => deliver(waId, { type: "text", text: { body } }, name),
    pressButton: (waId, reply) => deliver(waId, { type: "interactive", interactive: { type: "button_reply", button_reply: reply } }),
    chooseRow: (waId, reply) => deliver(waId, { type: "interactive", interactive: { type: "list_reply", list_reply: reply } }),
    templateButton: (waId, text, payload = text) => deliver(waId, { type: "button", button: { text, payload } }),
    postRaw: (body, signature) => post(body, signature),
    async waitForSent(to, count, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const mine = sent.filter((m) => m.to === to);
        if (mine.length >= count) return mine;
        if (Date.now() > until) throw new Error(`fake Graph API: ${mine.length} of ${count} messages to ${to}: ${JSON.stringify(mine.map((m) => m.body))}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  async function post(body: string, signature: string | undefined): Promise<number> {
    const response = await fetch(api.webhookUrl, { method: "POST", headers: { "content-type": "application/json", ...(signature !== undefined && { "x-hub-signature-256": signature }) }, body });
    await response.arrayBuffer();
    return response.status;
  }

  /** A patient's message as Meta's webhook carries it; it opens the window as it does at Meta. */
  function deliver(waId: string, message: Record<string, unknown>, name = "Пациент"): Promise<number> {
    lastInbound.set(waId, options.now());
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "WABA-FAKE",
          changes: [
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: { display_phone_number: "74950000000", phone_number_id: options.phoneNumberId },
                contacts: [{ profile: { name }, wa_id: waId }],
                messages: [{ from: waId, id: `wamid.IN${randomUUID()}`, timestamp: String(Math.floor(options.now().getTime() / 1000)), ...message }],
              },
            },
          ],
        },
      ],
    });
    return post(body, signBody(options.appSecret, body));
  }

  return api;
}

/** Meta's own limits on what it accepts, so a message CareBot shapes wrong is refused here too. */
function checkMessage(body: Record<string, any>): string | null {
  switch (body.type) {
    case "text":
      return typeof body.text?.body === "string" && body.text.body.length > 0 && body.text.body.length <= 4096 ? null : "text.body must be 1-4096 characters";
    case "interactive": {
      const i = body.interactive;
      if (typeof i?.body?.text !== "string" || i.body.text.length === 0 || i.body.text.length > 1024) return "interactive.body.text must be 1-1024 characters";
      if (i.type === "button") {
        const buttons = i.action?.buttons ?? [];
        if (buttons.length < 1 || buttons.length > 3) return "1-3 buttons";
        return buttons.every((b: any) => b.type === "reply" && b.reply?.title?.length >= 1 && b.reply.title.length <= 20 && b.reply.id?.length <= 256) ? null : "button titles 1-20, ids up to 256";
      }
      if (i.type === "list") {
        const rows = (i.action?.sections ?? []).flatMap((s: any) => s.rows ?? []);
        if (!i.action?.button || i.action.button.length > 20) return "list button 1-20 characters";
        if (rows.length < 1 || rows.length > 10) return "1-10 rows";
        return rows.every((r: any) => r.title?.length >= 1 && r.title.length <= 24 && (r.description ?? "").length <= 72) ? null : "row titles 1-24, descriptions up to 72";
      }
      return `interactive.type ${i?.type} is not supported here`;
    }
    case "template":
      return typeof body.template?.name === "string" && typeof body.template?.language?.code === "string" ? null : "template.name and template.language.code are required";
    default:
      return `type ${body.type} is not supported here`;
  }
}
