import { describe, expect, it } from "vitest";
import { defaultReader, Reader } from "../../../src/domain/understanding/index.ts";

const read = (text: string, expecting: Parameters<Reader["read"]>[2], language: "ru" | "en" = "ru") => defaultReader().read(text, language, expecting);

describe("understanding a patient's free text", () => {
  it("takes ordinary Russian at the check-in as fine", () => {
    for (const text of ["хорошо", "Всё отлично!", "нормально", "всё нормально, спасибо", "👍"]) expect(read(text, "checkin")).toMatchObject({ intent: "fine" });
  });

  it("keeps negation in scope: «не болит», «больше не опухает», «без температуры», «боли нет» are not complaints", () => {
    for (const text of ["Зуб больше не болит, врач супер!", "больше не опухает", "без температуры", "боли нет", "отёк спал", "Температура 36.6"]) {
      expect(read(text, "nps-comment").intent, text).toBe("fine");
    }
    // …but the negation ends with its clause: «не болит, но опухла щека» is one.
    expect(read("не болит, но опухла щека", "checkin")).toMatchObject({ intent: "complaint", evidence: ["опухла"] });
    expect(read("боль не проходит", "checkin")).toMatchObject({ intent: "complaint" });
  });

  it("reads word forms and typos through the stemmer: «балит», «апухла», «болииит»", () => {
    for (const text of ["балит", "щека апухла", "болииит", "темпиратура"]) expect(read(text, "checkin").intent, text).toBe("complaint");
  });

  it("is sure of a clear complaint, unsure of a soft or vague one", () => {
    expect(read("болит зуб", "checkin").confidence).toBeGreaterThanOrEqual(0.75);
    expect(read("Всё хорошо, только немного ноет", "checkin")).toMatchObject({ intent: "complaint", confidence: 0.6 });
    expect(read("не очень", "checkin")).toMatchObject({ intent: "complaint", confidence: 0.5 });
  });

  it("treats red flags as urgent at once, and a high temperature by its number", () => {
    for (const text of ["кровь не останавливается", "не могу дышать", "сильная боль", "отёк лица", "температура 39", "высокая температура"]) {
      expect(read(text, "checkin").intent, text).toBe("urgent");
    }
    expect(read("температура 37.5", "checkin")).toMatchObject({ intent: "complaint" });
    expect(read("нет кровотечения", "checkin")).toMatchObject({ intent: "fine" });
  });

  it("reads scores in digits and in words, out of range too", () => {
    expect(read("десять", "nps-score")).toMatchObject({ intent: "number", number: 10 });
    expect(read("на девятку", "nps-score")).toMatchObject({ intent: "number", number: 9 });
    expect(read("9 из 10", "nps-score")).toMatchObject({ intent: "number", number: 9 });
    expect(read("11", "nps-score")).toMatchObject({ intent: "number", number: 11 });
    expect(read("a solid eight", "nps-score", "en")).toMatchObject({ intent: "number", number: 8 });
  });

  it("hears a time wish, a request for a person, a stop and yes/no", () => {
    expect(read("Можно в субботу утром?", "rebook")).toMatchObject({ intent: "booking", timeWish: "Можно в субботу утром?" });
    expect(read("Спасибо, жду звонка", "free")).toMatchObject({ intent: "person" });
    expect(read("не пишите мне больше", "free")).toMatchObject({ intent: "stop" });
    // Out of the blue, «tell me if something earlier frees up» is the waitlist; while a time is being chosen, a wish for one.
    for (const text of ["Сообщите, пожалуйста, если освободится время раньше", "хочу в лист ожидания", "запишите меня в лист ожидания", "если что-то освободится пораньше, напишите"]) {
      expect(read(text, "free"), text).toMatchObject({ intent: "waitlist", confidence: 0.85 });
    }
    expect(read("Please put me on the waiting list", "free", "en")).toMatchObject({ intent: "waitlist" });
    expect(read("let me know if an earlier slot opens up", "free", "en")).toMatchObject({ intent: "waitlist" });
    expect(read("если освободится время раньше", "rebook")).toMatchObject({ intent: "booking" });
    expect(read("записаться", "free")).toMatchObject({ intent: "booking" });
    expect(read("да, болит", "confirm")).toMatchObject({ intent: "yes" });
    expect(read("нет, всё хорошо", "confirm")).toMatchObject({ intent: "no" });
  });

  it("takes a clinic's added words", () => {
    const reader = new Reader({ ru: { symptoms: ["стреляет в ухо"], fine: ["огонь"] } });
    expect(reader.read("стреляет в ухо", "ru", "checkin")).toMatchObject({ intent: "complaint" });
    expect(reader.read("огонь", "ru", "checkin")).toMatchObject({ intent: "fine" });
    expect(defaultReader().read("огонь", "ru", "checkin")).toMatchObject({ intent: "unknown" });
  });

  it("hears what the menu offers inside an ordinary sentence, greetings and politeness aside", () => {
    expect(read("привет, сколько у меня баллов?", "free")).toMatchObject({ intent: "balance", confidence: 0.85 });
    expect(read("Здравствуйте! Подскажите пожалуйста сколько бонусов накопилось", "free")).toMatchObject({ intent: "balance" });
    expect(read("а когда мой приём?", "free")).toMatchObject({ intent: "visits" });
    expect(read("хочу пригласить подругу", "free")).toMatchObject({ intent: "referral" });
    expect(read("как отозвать согласие на рекламу", "free")).toMatchObject({ intent: "consents" });
    expect(read("Добрый день, хочу записаться к врачу", "free")).toMatchObject({ intent: "booking" });
    // Typos: «балов» must not read as «болит» («балит»), «записатся» as a booking still.
    expect(read("сколько у меня балов", "free")).toMatchObject({ intent: "balance" });
    expect(read("у меня болит зуб", "free")).toMatchObject({ intent: "complaint" });
    expect(read("хочу записатся", "free")).toMatchObject({ intent: "booking" });
    // A number beside «баллов» is a score, not the balance.
    expect(read("10 баллов", "nps-comment")).toMatchObject({ intent: "number", number: 10 });
  });

  it("respects a refused wish, before or after it: «не хочу записываться», «записываться не хочу»", () => {
    for (const text of ["не хочу записываться", "записываться не хочу", "я не буду записываться", "не надо меня записывать"]) {
      expect(read(text, "free").intent, text).not.toBe("booking");
    }
    expect(read("не могу записаться через сайт", "free")).toMatchObject({ intent: "booking" });
    expect(read("я хочу записаться, не хочу ждать", "free")).toMatchObject({ intent: "booking" });
  });
});
