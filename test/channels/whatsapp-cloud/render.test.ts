import { describe, expect, it } from "vitest";
import { eventOfOptionId, LIMITS, renderCloudMessages, splitText, templateMessage } from "../../../src/channels/whatsapp-cloud/index.ts";

const texts = { menuHint: "Ответьте цифрой нужного варианта.", contactRequest: "Пришлите номер телефона.", listButton: "Выбрать" };

describe("the Cloud API's shape of a CareBot message", () => {
  it("up to three short options are reply buttons whose ids bring the value back", () => {
    const [message, ...more] = renderCloudMessages({ text: "Вы придёте?", options: [{ value: "confirm", label: "Подтверждаю" }, { value: 3, label: "Три" }] }, texts);
    expect(more).toHaveLength(0);
    expect(message).toEqual({
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: "Вы придёте?" },
        action: { buttons: [{ type: "reply", reply: { id: "s:confirm", title: "Подтверждаю" } }, { type: "reply", reply: { id: "n:3", title: "Три" } }] },
      },
    });
    expect(eventOfOptionId("s:confirm")).toEqual({ type: "CHOICE", value: "confirm" });
    expect(eventOfOptionId("n:3")).toEqual({ type: "NUMBER", value: 3 });
    expect(eventOfOptionId("someone-else's")).toBeNull();
  });

  it("a label too long for a button makes a list; a row title too long is cut and shown whole beneath", () => {
    const [message] = renderCloudMessages({ text: "Что дальше?", options: [{ value: "a", label: "Да" }, { value: "op", label: "Связаться с администратором клиники" }] }, texts);
    expect(message).toMatchObject({ type: "interactive", interactive: { type: "list", action: { button: "Выбрать" } } });
    const rows = (message as { interactive: { action: { sections: { rows: { title: string; description?: string }[] }[] } } }).interactive.action.sections[0]!.rows;
    expect(rows[0]).toEqual({ id: "s:a", title: "Да" });
    expect(rows[1]!.title).toHaveLength(LIMITS.rowTitle);
    expect(rows[1]!.title.endsWith("…")).toBe(true);
    expect(rows[1]!.description).toBe("Связаться с администратором клиники");
  });

  it("more options than a list holds (a 0–10 scale) become the numbered text, with the hint", () => {
    const options = Array.from({ length: 11 }, (_, i) => ({ value: i, label: String(i) }));
    const messages = renderCloudMessages({ text: "Оцените нас от 0 до 10", options }, texts);
    expect(messages).toEqual([{ type: "text", text: { body: "Оцените нас от 0 до 10\n\n0 · 1 · 2 · 3 · 4 · 5 · 6 · 7 · 8 · 9 · 10\n\nОтветьте цифрой нужного варианта.", preview_url: false } }]);
  });

  it("a long text is split at paragraph ends; options hang under the last part, which fits an interactive body", () => {
    const paragraph = "Слово ".repeat(150).trim(); // 899 characters
    const text = [paragraph, paragraph, paragraph].join("\n\n");
    const messages = renderCloudMessages({ text, options: [{ value: "ok", label: "Понятно" }] }, texts);
    expect(messages.map((m) => m.type)).toEqual(["text", "interactive"]);
    const first = (messages[0] as { text: { body: string } }).text.body;
    const body = (messages[1] as { interactive: { body: { text: string } } }).interactive.body.text;
    expect(first).toBe(`${paragraph}\n\n${paragraph}`);
    expect(body).toBe(paragraph);
    expect(splitText("а".repeat(5000), LIMITS.text).map((p) => p.length)).toEqual([4096, 904]);
  });

  it("a request for the phone is a sentence (the Cloud API has no contact button)", () => {
    expect(renderCloudMessages({ text: "Чтобы найти вашу карту,", requestContact: true }, texts)).toEqual([
      { type: "text", text: { body: "Чтобы найти вашу карту,\n\nПришлите номер телефона.", preview_url: false } },
    ]);
  });

  it("a template carries its name, language and body parameters in order", () => {
    expect(templateMessage({ name: "visit_reminder", language: "ru", params: ["Ольга", "3 декабря в 15:00"] })).toEqual({
      type: "template",
      template: { name: "visit_reminder", language: { code: "ru" }, components: [{ type: "body", parameters: [{ type: "text", text: "Ольга" }, { type: "text", text: "3 декабря в 15:00" }] }] },
    });
    expect(templateMessage({ name: "hello", language: "en_US", params: [] })).toEqual({ type: "template", template: { name: "hello", language: { code: "en_US" } } });
  });
});
