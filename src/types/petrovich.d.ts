// petrovich ships no types: the part CareBot uses.
declare module "petrovich" {
  type Gender = "male" | "female" | "androgynous";
  const petrovich: { detect_gender(middleName: string): Gender };
  export default petrovich;
}
