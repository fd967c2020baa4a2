import { describe, expect, it } from "vitest";
import { layoutRows, renderMessage } from "../../../src/channels/telegram/render.ts";
import type { OutboundOption } from "../../../src/channels/types.ts";

const opts = { contactButtonLabel: "Поделиться номером" };
const labels = (rows: OutboundOption[][]) => rows.map((row) => row.map((o) => o.label));
const options = (...names: string[]): OutboundOption[] => names.map((label, i) => ({ value: `v${i}`, label }));

describe("renderMessage", () => {
  it("sends plain text, never with a parse_mode", () => {
    const text = "*Анна*, <b>ваш</b> визит_в 10.00 [ссылка](x)";
    expect(renderMessage({ text }, opts)).toEqual({ text });
    expect(renderMessage({ text, options: options("Да") }, opts)).not.toHaveProperty("parse_mode");
  });

  it("renders options as an inline keyboard carrying encoded values", () => {
    const rendered = renderMessage({ text: "Визит в силе?", options: [{ value: "yes", label: "Да" }, { value: "no", label: "Нет" }] }, opts);
    expect(rendered.reply_markup).toEqual({ inline_keyboard: [[{ text: "Да", callback_data: "c:yes" }, { text: "Нет", callback_data: "c:no" }]] });
  });

  it("lays an NPS scale out as 6 + 5 numeric buttons", () => {
    const nps = Array.from({ length: 11 }, (_, n) => ({ value: n, label: String(n) }));
    const rendered = renderMessage({ text: "Оцените нас", options: nps }, opts);
    const rows = (rendered.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard;
    expect(rows.map((r) => r.map((b) => b.text))).toEqual([["0", "1", "2", "3", "4", "5"], ["6", "7", "8", "9", "10"]]);
    expect(rows[1]?.[4]).toEqual({ text: "10", callback_data: "n:10" });
  });

  it("asks for the phone with a one-time reply keyboard; options ride along as text buttons", () => {
    expect(renderMessage({ text: "Номер?", requestContact: true }, opts).reply_markup).toEqual({
      keyboard: [[{ text: "Поделиться номером", request_contact: true }]], one_time_keyboard: true, resize_keyboard: true,
    });
    const withSkip = renderMessage({ text: "Номер?", requestContact: true, options: [{ value: "skip", label: "Пропустить" }] }, opts);
    expect(withSkip.reply_markup).toMatchObject({ keyboard: [[{ text: "Поделиться номером", request_contact: true }], [{ text: "Пропустить" }]] });
  });

  it("removes a reply keyboard only when asked and nothing else is shown", () => {
    expect(renderMessage({ text: "Спасибо" }, { ...opts, removeKeyboard: true })).toEqual({ text: "Спасибо", reply_markup: { remove_keyboard: true } });
    expect(renderMessage({ text: "Спасибо" }, { ...opts, removeKeyboard: false })).toEqual({ text: "Спасибо" });
    expect(renderMessage({ text: "Ещё?", options: options("Да") }, { ...opts, removeKeyboard: true }).reply_markup).toHaveProperty("inline_keyboard");
    expect(renderMessage({ text: "Ещё?", options: [] }, { ...opts, removeKeyboard: true }).reply_markup).toEqual({ remove_keyboard: true });
  });

  it("fails loudly on a value that cannot be a button", () => {
    expect(() => renderMessage({ text: "x", options: [{ value: "z".repeat(80), label: "Z" }] }, opts)).toThrow(/option value "z{80}" is too long/);
  });
});

describe("layoutRows", () => {
  it("puts long labels one per row", () => {
    expect(labels(layoutRows(options("Записаться на приём к врачу", "Нет", "Позже")))).toEqual([["Записаться на приём к врачу"], ["Нет"], ["Позже"]]);
  });

  it("puts short labels up to 3 per row, balanced", () => {
    expect(labels(layoutRows(options("Да", "Нет")))).toEqual([["Да", "Нет"]]);
    expect(labels(layoutRows(options("Утро", "День", "Вечер", "Ночь")))).toEqual([["Утро", "День"], ["Вечер", "Ночь"]]);
    expect(layoutRows(options("Пн 10:00", "Вт 11:00", "Ср 12:00", "Чт 13:00", "Пт 14:00", "Сб 15:00", "Вс 16:00")).map((r) => r.length)).toEqual([3, 2, 2]);
    expect(layoutRows([])).toEqual([]);
  });

  it("counts emoji as one character", () => {
    expect(layoutRows(options("👍", "👎", "🤷", "😀", "😡", "🙂", "😐")).map((r) => r.length)).toEqual([4, 3]);
  });
});
