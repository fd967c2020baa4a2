// What the adapter remembers about a chat between sends, in memory only: the language Telegram
// last reported (to localize the contact button) and whether a reply keyboard is still showing
// (to hide it with the next plain message). Losing it on restart only costs those two niceties.

import { BoundedMap } from "../../util/bounded-map.ts";

interface ChatFacts {
  languageCode?: string;
  replyKeyboard?: boolean;
}

export class ChatMemory {
  private readonly chats: BoundedMap<string, ChatFacts>;

  /** Oldest chats are forgotten beyond `limit`, so memory stays flat however many patients write. */
  constructor(limit = 10_000) {
    this.chats = new BoundedMap(limit);
  }

  languageOf(chatId: string): string | undefined {
    return this.chats.get(chatId)?.languageCode;
  }

  rememberLanguage(chatId: string, languageCode: string | undefined): void {
    if (typeof languageCode === "string" && languageCode !== "") this.update(chatId, { languageCode });
  }

  hasReplyKeyboard(chatId: string): boolean {
    return this.chats.get(chatId)?.replyKeyboard === true;
  }

  setReplyKeyboard(chatId: string, showing: boolean): void {
    this.update(chatId, { replyKeyboard: showing });
  }

  private update(chatId: string, facts: ChatFacts): void {
    this.chats.set(chatId, { ...this.chats.get(chatId), ...facts });
  }
}
