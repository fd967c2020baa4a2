// The one Graph API call CareBot makes: POST /{phone-number-id}/messages, with plain fetch.
import { z } from "zod";
import type { CloudMessage } from "./render.ts";

export interface GraphApiOptions {
  /** "https://graph.facebook.com/v21.0" (WHATSAPP_GRAPH_URL; a loopback fake in tests). */
  graphUrl: string;
  token: string;
  phoneNumberId: string;
  /** How long one call may take before it counts as a network failure (default 15 s). */
  timeoutMs?: number;
}

/** What Graph answered: the message's id, or its error (code, HTTP status) to classify. */
export type GraphSendResult = { ok: true; id: string } | { ok: false; status: number; code?: number; message: string } | { ok: false; status: 0; network: true; message: string };

const successSchema = z.object({ messages: z.array(z.object({ id: z.string().min(1) })).min(1) });
const errorSchema = z.object({
  error: z.object({
    message: z.string().default(""),
    code: z.number().int().optional(),
    error_data: z.object({ details: z.string().optional() }).partial().optional(),
  }),
});

export interface GraphApi {
  sendMessage(to: string, message: CloudMessage): Promise<GraphSendResult>;
}

export function createGraphApi(options: GraphApiOptions): GraphApi {
  const url = `${options.graphUrl.replace(/\/+$/, "")}/${encodeURIComponent(options.phoneNumberId)}/messages`;
  return {
    async sendMessage(to, message) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: { authorization: `Bearer ${options.token}`, "content-type": "application/json" },
          body: JSON.stringify({ messaging_product: "whatsapp", recipient_type: "individual", to, ...message }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
      } catch (error) {
        // fetch's own message is "fetch failed"; the cause says what (ECONNREFUSED, a timeout…).
        const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
        const why = cause ? ` (${String(cause.code ?? cause.message)})` : "";
        return { ok: false, status: 0, network: true, message: error instanceof Error ? `${error.name}: ${error.message}${why}` : String(error) };
      }
      const body: unknown = await response.json().catch(() => null);
      if (response.ok) {
        const parsed = successSchema.safeParse(body);
        if (parsed.success) return { ok: true, id: parsed.data.messages[0]!.id };
        return { ok: false, status: response.status, message: `Graph answered ${response.status} without a message id` };
      }
      const failed = errorSchema.safeParse(body);
      if (!failed.success) return { ok: false, status: response.status, message: `Graph answered ${response.status}` };
      const { code, message: text, error_data } = failed.data.error;
      const details = error_data?.details ? ` (${error_data.details})` : "";
      return { ok: false, status: response.status, ...(code !== undefined && { code }), message: `${code ?? response.status}: ${text}${details}` };
    },
  };
}
