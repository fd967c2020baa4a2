/** "+79991234567" → "+7999***4567": enough to tell two patients apart in a log, not to call one. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  if (digits.length < 7) return "***";
  return `${phone.startsWith("+") ? "+" : ""}${digits.slice(0, 4)}***${digits.slice(-4)}`;
}

/** "Анна Петрова" → "А*** П***". */
export function maskName(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => `${[...part][0] ?? ""}***`)
    .join(" ");
}

/** "Петрова Анна Сергеевна" → "П*** А***": surname and first name, enough to recognise, not to read. */
export function maskedPatientName(fullName: string): string {
  return maskName(fullName.split(/\s+/).filter(Boolean).slice(0, 2).join(" "));
}
