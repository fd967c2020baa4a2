import { describe, expect, it } from "vitest";
import { pickChannel, windowOpen } from "../../../src/domain/patients/pick-channel.ts";
import type { ChatChoice } from "../../../src/domain/patients/pick-channel.ts";

const now = new Date("2026-12-03T09:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const DAY = 24 * 3_600_000;
const ORDER = ["telegram", "max", "whatsapp"];

type Chat = ChatChoice & { id: number };
const chat = (id: number, channel: string, lastInboundAt: Date | null, unreachableAt: Date | null = null): Chat => ({ id, channel, lastInboundAt, unreachableAt });
const pick = (chats: Chat[], more: Partial<Parameters<typeof pickChannel<Chat>>[0]> = {}) =>
  pickChannel<Chat>({ chats, order: ORDER, now, ready: () => true, ...more })?.id ?? null;

describe("pickChannel: the one rule of which messenger a message goes to", () => {
  it("goes where the patient last answered", () => {
    expect(pick([chat(1, "telegram", hoursAgo(30)), chat(2, "max", hoursAgo(2)), chat(3, "whatsapp", hoursAgo(50))])).toBe(2);
  });

  it("follows the clinic's order when the patient never answered", () => {
    expect(pick([chat(3, "whatsapp", null), chat(2, "max", null), chat(1, "telegram", null)])).toBe(1);
    expect(pick([chat(3, "whatsapp", null), chat(2, "max", null), chat(1, "telegram", null)], { order: ["max", "telegram", "whatsapp"] })).toBe(2);
  });

  it("a messenger the clinic's order leaves out comes after those it names", () => {
    expect(pick([chat(3, "whatsapp", null), chat(2, "max", null)], { order: ["whatsapp"] })).toBe(3);
    expect(pick([chat(2, "max", null)], { order: ["whatsapp"] })).toBe(2);
  });

  it("skips a chat that blocked the bot, even the one last answered in", () => {
    expect(pick([chat(1, "telegram", hoursAgo(1), hoursAgo(0.5)), chat(2, "max", null), chat(3, "whatsapp", null)])).toBe(2);
  });

  it("skips a messenger this process cannot send through now", () => {
    expect(pick([chat(1, "telegram", hoursAgo(1)), chat(2, "max", null)], { ready: (c) => c !== "telegram" })).toBe(2);
  });

  it("tries each messenger once for the same message", () => {
    const chats = [chat(1, "telegram", hoursAgo(1)), chat(2, "max", null), chat(3, "whatsapp", null)];
    expect(pick(chats, { tried: ["telegram"] })).toBe(2);
    expect(pick(chats, { tried: ["telegram", "max"] })).toBe(3);
    expect(pick(chats, { tried: ["telegram", "max", "whatsapp"] })).toBeNull();
  });

  it("never picks the preview's web chat, and answers null without chats", () => {
    expect(pick([chat(9, "web", hoursAgo(0.1))])).toBeNull();
    expect(pick([])).toBeNull();
  });

  it("the patient's own choice of messenger comes first", () => {
    expect(pick([chat(1, "telegram", hoursAgo(1)), chat(3, "whatsapp", hoursAgo(40))], { preferred: "whatsapp" })).toBe(3);
  });

  describe("WhatsApp Cloud's 24-hour window", () => {
    const windows = { whatsapp: DAY };

    it("the chat last answered in is chosen while its window is open", () => {
      expect(pick([chat(1, "telegram", hoursAgo(30)), chat(3, "whatsapp", hoursAgo(2))], { serviceWindowMs: windows })).toBe(3);
    });

    it("outside the window the clinic's order wins, and a messenger without a window before it", () => {
      // Last answered in WhatsApp 30 hours ago: only a template could go there now.
      expect(pick([chat(3, "whatsapp", hoursAgo(30)), chat(2, "max", null)], { serviceWindowMs: windows, order: ["whatsapp", "max"] })).toBe(2);
    });

    it("a closed window is still the last resort: a template may go", () => {
      expect(pick([chat(3, "whatsapp", hoursAgo(30)), chat(1, "telegram", null, hoursAgo(1))], { serviceWindowMs: windows })).toBe(3);
    });

    it("the patient's choice gives way when its window is closed", () => {
      expect(pick([chat(3, "whatsapp", hoursAgo(30)), chat(1, "telegram", hoursAgo(40))], { serviceWindowMs: windows, preferred: "whatsapp" })).toBe(1);
    });

    it("windowOpen: no window means open; never answered means closed", () => {
      expect(windowOpen(chat(1, "telegram", null), now, windows)).toBe(true);
      expect(windowOpen(chat(3, "whatsapp", null), now, windows)).toBe(false);
      expect(windowOpen(chat(3, "whatsapp", hoursAgo(23.9)), now, windows)).toBe(true);
      expect(windowOpen(chat(3, "whatsapp", hoursAgo(24)), now, windows)).toBe(false);
    });
  });
});
