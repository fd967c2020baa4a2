// The ward's name as a message to the guardian says it: «Напоминаем о приёме Миши», «Миша
// записан», «ждём Мишу». petrovich declines the given name; gender from the name dictionary.
import petrovich from "petrovich";
import { firstNameOf, genderOf } from "../names/names.ts";

export interface WardName {
  /** Nominative: «Миша». */
  name: string;
  /** Genitive: «(о приёме) Миши». */
  genitive: string;
  /** Dative: «(к) Мише». */
  dative: string;
  /** Accusative: «(ждём) Мишу». */
  accusative: string;
  gender: "male" | "female" | "";
}

type Case = "genitive" | "dative" | "accusative";

/** Russian spelling after г, к, х, ж, ч, ш, щ: petrovich writes «Мишы», the word is «Миши». */
const spelling = (word: string) => word.replace(/([гкхжчшщ])ы$/i, "$1и");

function decline(name: string, gender: "male" | "female" | null, to: Case): string {
  if (!/^[а-яё-]+$/i.test(name)) return name;
  const declined = petrovich({ first: name, gender: gender ?? "androgynous" }, to) as { first?: string };
  return spelling(declined.first ?? name);
}

export function wardName(patient: { fullName: string; firstName?: string | null }): WardName {
  const name = firstNameOf(patient);
  const gender = genderOf(`${patient.firstName ?? ""} ${patient.fullName}`.trim());
  return { name, genitive: decline(name, gender, "genitive"), dative: decline(name, gender, "dative"), accusative: decline(name, gender, "accusative"), gender: gender ?? "" };
}
