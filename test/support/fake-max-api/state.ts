// What the fake MAX Bot API remembers: the bot's users and dialogs, the updates waiting to be
// fetched, the messages the bot sent (with their keyboards), the calls it received.
import type { Button } from "@maxhub/max-bot-api/types";

export interface FakeMaxUser {
  user_id: number;
  first_name: string;
  last_name?: string;
  username: string | null;
  /** The patient's client language (MAX's user_locale), "ru" by default. */
  locale: string;
  /** The dialog between this user and the bot. */
  chatId: number;
}

/** A MAX user talking to the bot; the dialog's chat id is derived from the user id. */
export function fakeMaxUser(userId: number, options: { firstName?: string; lastName?: string; username?: string; locale?: string } = {}): FakeMaxUser {
  return {
    user_id: userId,
    first_name: options.firstName ?? `Пациент ${userId}`,
    ...(options.lastName !== undefined && { last_name: options.lastName }),
    username: options.username ?? null,
    locale: options.locale ?? "ru",
    chatId: 7_000_000 + userId,
  };
}

export interface MaxSentMessage {
  mid: string;
  chatId: number;
  text: string;
  /** The inline keyboard's rows, if the message had one (cleared when a press is answered with an edit). */
  buttons?: Button[][];
}

export interface MaxApiCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

export interface MaxCallbackAnswer {
  callbackId: string;
  notification?: string;
  message?: { text?: string; attachments?: unknown[] };
}

export interface MaxSubscription {
  url: string;
  secret?: string;
  update_types?: string[];
  time: number;
}

export type MaxFault = { status: number; code?: string; message?: string };
