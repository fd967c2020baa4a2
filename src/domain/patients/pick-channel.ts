// Which of a patient's chats a message goes to. The one rule of channel choice: the dispatcher
// asks it for every patient-bound message it may place (start-flow rows, and again after a
// messenger refused one). Knows channels only by name: no messenger, no database.

/** What the rule needs to know of a chat (a ChannelIdentity row fits). */
export interface ChatChoice {
  channel: string;
  lastInboundAt: Date | null;
  unreachableAt: Date | null;
}

export interface PickChannelInput<T extends ChatChoice> {
  chats: readonly T[];
  /** The clinic's order of messengers (settings.channelOrder); messengers it leaves out come after. */
  order: readonly string[];
  /** The messenger the patient asked to be written in (Patient.preferredChannel): first when it can take the message. */
  preferred?: string | null;
  now: Date;
  /** Whether this process can send through the messenger now (a WhatsApp session that is down cannot). */
  ready: (channel: string) => boolean;
  /**
   * Messengers with a service window (WhatsApp Cloud API: 24 hours after the patient's last
   * message), in milliseconds. Outside it only an approved template may go, so such a chat is
   * chosen only when no chat without that limit is left.
   */
  serviceWindowMs?: Readonly<Record<string, number | undefined>>;
  /** Messengers this very message already failed on: each is tried once. */
  tried?: readonly string[];
}

/** The preview's chat is never a patient's messenger. */
const NOT_A_MESSENGER = "web";

/** The patient can be written anything there now: no window, or inside it. */
export function windowOpen(chat: ChatChoice, now: Date, serviceWindowMs: PickChannelInput<ChatChoice>["serviceWindowMs"] = {}): boolean {
  const window = serviceWindowMs[chat.channel];
  if (window === undefined) return true;
  return chat.lastInboundAt !== null && now.getTime() - chat.lastInboundAt.getTime() < window;
}

/**
 * The chat to write to, or null when none can take the message:
 * 1. among chats that are reachable (not blocked), whose messenger can send now and that this
 *    message has not failed on yet;
 * 2. the patient's own choice of messenger, if its window is open;
 * 3. else the chat the patient last answered in, if its window is open;
 * 4. else the clinic's order, chats with an open window first, then those where only a
 *    template may go (WhatsApp Cloud outside 24 hours: the template goes, or the message moves on).
 */
export function pickChannel<T extends ChatChoice>(input: PickChannelInput<T>): T | null {
  const tried = new Set(input.tried ?? []);
  const candidates = input.chats.filter((c) => c.channel !== NOT_A_MESSENGER && c.unreachableAt === null && !tried.has(c.channel) && input.ready(c.channel));
  if (candidates.length === 0) return null;
  const open = (c: T) => windowOpen(c, input.now, input.serviceWindowMs);
  const latest = (a: T, b: T) => (b.lastInboundAt?.getTime() ?? -1) - (a.lastInboundAt?.getTime() ?? -1);

  const chosen = input.preferred ? candidates.filter((c) => c.channel === input.preferred && open(c)).sort(latest)[0] : undefined;
  if (chosen) return chosen;
  const lastAnswered = candidates.filter((c) => c.lastInboundAt !== null).sort(latest)[0];
  if (lastAnswered && open(lastAnswered)) return lastAnswered;

  const rank = (c: T) => {
    const i = input.order.indexOf(c.channel);
    return i === -1 ? input.order.length : i;
  };
  const byOrder = [...candidates].sort((a, b) => Number(!open(a)) - Number(!open(b)) || rank(a) - rank(b) || latest(a, b));
  return byOrder[0] ?? null;
}
