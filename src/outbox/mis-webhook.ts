// The outgoing webhook to the clinic's MIS: one POST per appointment change, its body signed
// with HMAC-SHA256 (MIS_WEBHOOK_SECRET), so the MIS can tell CareBot's calls from anyone's.
import { createHmac } from "node:crypto";

export interface MisWebhookTarget {
  url: string;
  secret: string;
}

/** The signature header's value for a body: "sha256=<hex>". The MIS computes the same and compares. */
export function misWebhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export type WebhookResult = { ok: true } | { ok: false; permanent: boolean; error: string };

const TIMEOUT_MS = 10_000;

/**
 * POSTs one change. 2xx is done; a 4xx other than 408 and 429 will not get better by retrying
 * (the MIS refuses it); anything else (5xx, timeouts, refused connections) is retried.
 * `delivery` (the outbox key) lets the MIS drop a retry it already took.
 */
export async function postMisWebhook(target: MisWebhookTarget, delivery: string, payload: unknown): Promise<WebhookResult> {
  const body = JSON.stringify(payload);
  const event = typeof payload === "object" && payload !== null && "event" in payload ? String((payload as { event: unknown }).event) : "unknown";
  try {
    const res = await fetch(target.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-carebot-event": event,
        "x-carebot-delivery": delivery,
        "x-carebot-signature": misWebhookSignature(target.secret, body),
      },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await res.body?.cancel().catch(() => undefined);
    if (res.ok) return { ok: true };
    const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
    return { ok: false, permanent, error: `the MIS answered ${res.status}` };
  } catch (error) {
    return { ok: false, permanent: false, error: `the MIS is unreachable: ${(error as Error).message}` };
  }
}
