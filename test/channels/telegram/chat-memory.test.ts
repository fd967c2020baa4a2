import { describe, expect, it } from "vitest";
import { ChatMemory } from "../../../src/channels/telegram/chat-memory.ts";

describe("ChatMemory", () => {
  it("remembers language and reply-keyboard state per chat", () => {
    const memory = new ChatMemory();
    expect(memory.languageOf("1")).toBeUndefined();
    expect(memory.hasReplyKeyboard("1")).toBe(false);
    memory.rememberLanguage("1", "en-US");
    memory.rememberLanguage("1", undefined); // an update without language_code keeps what we knew
    memory.setReplyKeyboard("1", true);
    expect(memory.languageOf("1")).toBe("en-US");
    expect(memory.hasReplyKeyboard("1")).toBe(true);
    memory.setReplyKeyboard("1", false);
    expect(memory.hasReplyKeyboard("1")).toBe(false);
    expect(memory.languageOf("1")).toBe("en-US");
  });

  it("forgets the least recently touched chat beyond its limit", () => {
    const memory = new ChatMemory(2);
    memory.rememberLanguage("a", "ru");
    memory.rememberLanguage("b", "en");
    memory.setReplyKeyboard("a", true); // touching "a" makes "b" the oldest
    memory.rememberLanguage("c", "ru");
    expect(memory.languageOf("b")).toBeUndefined();
    expect(memory.languageOf("a")).toBe("ru");
    expect(memory.languageOf("c")).toBe("ru");
  });
});
