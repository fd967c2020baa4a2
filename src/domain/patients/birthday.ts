/** month * 100 + day of a "YYYY-MM-DD" birth date: lets planners find birthdays with one indexed query. */
export function birthMonthDay(birthDate: string): number {
  const [, month, day] = birthDate.split("-").map(Number);
  return month! * 100 + day!;
}
