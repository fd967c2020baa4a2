// What a simulated Telegram user can do: each action queues the Update Telegram would create.
import type { InlineKeyboardButton, Message, Update } from "grammy/types";
import type { FakeState, FakeUser } from "./state.ts";
import { nowSeconds, privateChat, toTelegramUser } from "./state.ts";

export interface ContactInput {
  phone: string;
  /** Whose contact it is; defaults to the sender (what request_contact buttons send). */
  userId?: number;
  firstName?: string;
  lastName?: string;
}

export function createUserActions(state: FakeState) {
  let nextFile = 1;
  const file = (kind: string) => {
    const id = `user-${kind}-${nextFile++}`;
    return { file_id: id, file_unique_id: `u${id}` };
  };

  /** A new private-chat message from `user` with the given content fields. */
  function message(user: FakeUser, content: Record<string, unknown>): Update {
    const msg = {
      message_id: state.nextMessageId(user.id),
      from: toTelegramUser(user),
      chat: privateChat(user),
      date: nowSeconds(),
      ...content,
    } as unknown as Message;
    return state.enqueue({ message: msg });
  }

  function memberUpdate(user: FakeUser, from: "member" | "kicked", to: "member" | "kicked"): Update {
    const bot = { id: state.bot.id, is_bot: true, first_name: state.bot.first_name, username: state.bot.username };
    const member = (status: string) => (status === "kicked" ? { status, user: bot, until_date: 0 } : { status, user: bot });
    return state.enqueue({
      my_chat_member: {
        chat: privateChat(user), from: toTelegramUser(user), date: nowSeconds(),
        old_chat_member: member(from), new_chat_member: member(to),
      },
    });
  }

  return {
    sendText: (user: FakeUser, text: string): Update => message(user, { text }),

    /** "/start" + payload → text "/start ref_ABC" with a bot_command entity, as Telegram clients send deep links. */
    sendCommand: (user: FakeUser, command: string, payload?: string): Update => {
      const cmd = command.startsWith("/") ? command : `/${command}`;
      const text = payload === undefined || payload === "" ? cmd : `${cmd} ${payload}`;
      return message(user, { text, entities: [{ type: "bot_command", offset: 0, length: cmd.length }] });
    },

    sendContact: (user: FakeUser, contact: ContactInput): Update =>
      message(user, {
        contact: {
          phone_number: contact.phone,
          first_name: contact.firstName ?? user.firstName ?? `User${user.id}`,
          ...((contact.lastName ?? user.lastName) !== undefined && { last_name: contact.lastName ?? user.lastName }),
          user_id: contact.userId ?? user.id,
        },
      }),

    sendSticker: (user: FakeUser): Update =>
      message(user, { sticker: { ...file("sticker"), type: "regular", width: 512, height: 512, is_animated: false, is_video: false, emoji: "👍" } }),

    sendPhoto: (user: FakeUser, opts: { caption?: string } = {}): Update =>
      message(user, {
        photo: [
          { ...file("photo-s"), width: 90, height: 90, file_size: 1200 },
          { ...file("photo-m"), width: 800, height: 800, file_size: 54000 },
        ],
        ...(opts.caption !== undefined && { caption: opts.caption }),
      }),

    sendVoice: (user: FakeUser, opts: { duration?: number } = {}): Update =>
      message(user, { voice: { ...file("voice"), duration: opts.duration ?? 3, mime_type: "audio/ogg", file_size: 8000 } }),

    /**
     * Presses an inline button under one of the bot's messages. Refuses (throws) when that message
     * has no button with this callback_data, since a real user couldn't press it; pass
     * { force: true } to send arbitrary data anyway (forged/stale callback fuzzing).
     */
    pressButton: (user: FakeUser, messageId: number, data: string, opts: { force?: boolean } = {}): Update => {
      const stored = state.message(user.id, messageId);
      if (!stored?.fromBot) {
        const mine = state.messagesTo(user.id).filter((m) => !m.deleted).map((m) => m.messageId);
        throw new Error(`pressButton: chat ${user.id} has no bot message ${messageId} (bot messages there: ${mine.join(", ") || "none"})`);
      }
      const markup = stored.message.reply_markup;
      const buttons: InlineKeyboardButton[] = markup?.inline_keyboard.flat() ?? [];
      const available = buttons.flatMap((b) => ("callback_data" in b ? [b.callback_data] : []));
      if (!opts.force && !available.includes(data)) {
        throw new Error(
          `pressButton: message ${messageId} in chat ${user.id} has no button with callback_data ${JSON.stringify(data)}` +
            ` (available: ${available.map((d) => JSON.stringify(d)).join(", ") || "no inline buttons"})`,
        );
      }
      const id = state.newCallbackId({ answered: false, data, chatId: user.id, messageId });
      return state.enqueue({
        callback_query: {
          id, from: toTelegramUser(user), message: stored.message, chat_instance: `-${user.id}${state.bot.id}`, data,
        },
      });
    },

    /** The user blocks the bot: my_chat_member "kicked", and later sends get 403 like Telegram. */
    blockBot: (user: FakeUser): Update => {
      state.setBlocked(user.id, true);
      return memberUpdate(user, "member", "kicked");
    },
    unblockBot: (user: FakeUser): Update => {
      state.setBlocked(user.id, false);
      return memberUpdate(user, "kicked", "member");
    },
  };
}
