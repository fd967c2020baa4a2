// WhatsApp's customer service window: for 24 hours after the patient's last message the business
// may write anything; outside it, only an approved template message.

export const SERVICE_WINDOW_MS = 24 * 3_600_000;

export function insideServiceWindow(lastInboundAt: Date | null | undefined, now: Date): boolean {
  if (!lastInboundAt) return false;
  const since = now.getTime() - lastInboundAt.getTime();
  return since < SERVICE_WINDOW_MS;
}
