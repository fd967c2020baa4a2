import { describe, expect, it } from "vitest";
import { renderMenu, renderMessage } from "../../../src/channels/whatsapp/render.ts";
import { defaultContactRequest, defaultMenuHint, guessLocale } from "../../../src/channels/whatsapp/texts.ts";

describe("renderMessage", () => {
  it("appends text options as a numbered menu and the hint it was given", () => {
    const text = renderMessage(
      { text: "Вы придёте на приём?", options: [{ value: "yes", label: "Да" }, { value: "no", label: "Нет" }] },
      { hint: "Ответьте цифрой" },
    );
    expect(text).toBe("Вы придёте на приём?\n\n1. Да\n2. Нет\n\nОтветьте цифрой");
  });

  it("leaves plain messages alone and adds no hint without options", () => {
    expect(renderMessage({ text: "Спасибо!" }, { hint: "Ответьте цифрой" })).toBe("Спасибо!");
    expect(renderMessage({ text: "Спасибо!", options: [] }, { hint: "Ответьте цифрой" })).toBe("Спасибо!");
    expect(renderMessage({ text: "Выберите", options: [{ value: "a", label: "А" }] })).toBe("Выберите\n\n1. А");
  });

  it("shows numeric values instead of positions, since a typed number means the value", () => {
    const nps = Array.from({ length: 11 }, (_, i) => ({ value: i, label: String(i) }));
    expect(renderMenu(nps)).toBe("0 · 1 · 2 · 3 · 4 · 5 · 6 · 7 · 8 · 9 · 10");
    expect(renderMenu([{ value: 5, label: "Отлично" }, { value: 1, label: "Плохо" }])).toBe("5. Отлично\n1. Плохо");
    // Mixed values: the runtime does not number them, so text options are bullets picked by their label.
    expect(renderMenu([{ value: 1, label: "1" }, { value: "later", label: "Позже" }])).toBe("1\n• Позже");
  });

  it("asks for the phone in words, after any menu", () => {
    expect(renderMessage({ text: "Нужен ваш номер.", requestContact: true }, { contactRequest: "Пришлите номер." })).toBe(
      "Нужен ваш номер.\n\nПришлите номер.",
    );
    expect(
      renderMessage(
        { text: "Номер?", requestContact: true, options: [{ value: "skip", label: "Пропустить" }] },
        { hint: "Ответьте цифрой", contactRequest: "Пришлите номер." },
      ),
    ).toBe("Номер?\n\n1. Пропустить\n\nОтветьте цифрой\n\nПришлите номер.");
  });

  it("sends WhatsApp's formatting characters as they are (there is no escape syntax)", () => {
    expect(renderMessage({ text: "Код: a_b*c~d, ссылка https://x.ru/r/ref_AB_12" })).toBe("Код: a_b*c~d, ссылка https://x.ru/r/ref_AB_12");
  });
});

describe("texts", () => {
  it("guesses the language from the message and defaults to Russian", () => {
    expect(guessLocale("Как вы себя чувствуете?")).toBe("ru");
    expect(guessLocale("How do you feel?")).toBe("en");
    expect(guessLocale("👍 10")).toBeUndefined();
    expect(defaultMenuHint("en")).toMatch(/number/);
    expect(defaultMenuHint(undefined)).toMatch(/цифрой/);
    expect(defaultContactRequest("ru")).toMatch(/номер/);
    expect(defaultContactRequest("en-US")).toMatch(/phone number/);
  });
});
