// Cutting a patient's text to a column's or a card's length must not split an emoji: half a
// surrogate pair is a lone surrogate, which JSON spells "\ud83d" and PostgreSQL's json refuses,
// failing the whole write (the fuzz suite found it in notes to staff).

/** `text` cut to at most `max` UTF-16 units, never inside a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.charCodeAt(max - 1);
  return text.slice(0, cut >= 0xd800 && cut <= 0xdbff ? max - 1 : max);
}
