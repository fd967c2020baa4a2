import { describe, expect, it } from "vitest";
import { firstNameOf, genderOf, givenNameOf } from "../../../src/domain/names/names.ts";

describe("names", () => {
  it.each([
    ["Анна Петрова", "Анна"],
    ["Петрова Анна", "Анна"],
    ["Петрова Анна Сергеевна", "Анна"],
    ["Анна Сергеевна Петрова", "Анна"],
    ["Лебедева Ирина", "Ирина"],
    ["Кузнецова Элеонора", "Элеонора"],
    ["Громов Артур Сергеевич", "Артур"],
    ["John Smith", "John"],
    ["Мария", "Мария"],
  ])("tells the given name in «%s»: %s", (fullName, given) => {
    expect(givenNameOf(fullName)).toBe(given);
  });

  it("prefers the MIS's own first name", () => {
    expect(firstNameOf({ fullName: "Петрова-Водкина Анна-Мария", firstName: "Аня" })).toBe("Аня");
    expect(firstNameOf({ fullName: "Петрова Анна", firstName: null })).toBe("Анна");
    expect(firstNameOf({ fullName: "Петрова Анна", firstName: "  " })).toBe("Анна");
  });

  it.each([
    ["Орлова Ирина Викторовна", "female"],
    ["Громов Артур Сергеевич", "male"],
    ["Анна Петрова", "female"],
    ["Козлов Павел", "male"],
    ["Мамедова Айсель", "female"],
    ["Саша Ким", null],
    ["", null],
  ])("tells whether «%s» is a man or a woman: %s", (fullName, gender) => {
    expect(genderOf(fullName)).toBe(gender);
  });
});
