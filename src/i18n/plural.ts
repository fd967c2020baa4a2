/**
 * The Russian form of a word for a count: plural(1, ["балл", "балла", "баллов"]) → "балл",
 * 3 → "балла", 11 → "баллов", 21 → "балл" (CLDR: one, few, many).
 */
export function plural(n: number, [one, few, many]: readonly [string, string, string]): string {
  const abs = Math.abs(Math.trunc(n));
  const tens = abs % 100;
  const units = abs % 10;
  if (tens >= 11 && tens <= 14) return many;
  if (units === 1) return one;
  if (units >= 2 && units <= 4) return few;
  return many;
}
