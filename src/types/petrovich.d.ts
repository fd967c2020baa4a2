// petrovich ships no types: the part CareBot uses.
declare module "petrovich" {
  type Gender = "male" | "female" | "androgynous";
  type Case = "nominative" | "genitive" | "dative" | "accusative" | "instrumental" | "prepositional";
  interface Person {
    first?: string;
    middle?: string;
    last?: string;
    gender?: Gender;
  }
  const petrovich: ((person: Person, to: Case) => Person) & { detect_gender(middleName: string): Gender };
  export default petrovich;
}
