// The server names problems in English ("must be at most 100"); a Russian page says them in
// Russian. The patterns are the settings schema's messages; one it does not know reads as
// «значение не подходит» rather than showing English to a Russian-speaking manager.
import { explainCron } from "../../domain/schedules/explain.ts";

const RU: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^"(.*)" is not a valid cron expression/, (m) => (explainCron(m[1]!, "ru") as { error?: string }).error ?? "расписание не принято"],
  [/^is not a valid cron expression/, () => "расписание не принято"],
  [/^must be at most ([\d.]+) characters$/, (m) => `не длиннее ${m[1]} символов`],
  [/^must list at most (\d+)/, (m) => `не больше ${m[1]} записей`],
  [/^at most (\d+) reminders/, (m) => `не больше ${m[1]} напоминаний`],
  [/^must be at most ([\d.]+)/, (m) => `не больше ${m[1]}`],
  [/^must be at least ([\d.]+)/, (m) => `не меньше ${m[1]}`],
  [/^must be below ([\d.]+)/, (m) => `меньше ${m[1]}`],
  [/^must be above ([\d.]+)/, (m) => `больше ${m[1]}`],
  [/^must not be below ageMin \((\d+)\)/, (m) => `не меньше нижней границы (${m[1]})`],
  [/^must be a whole number|^must be whole/, () => "нужно целое число"],
  [/^must be a number|^must be an integer/, () => "нужно число"],
  [/^is required$/, () => "нужно заполнить"],
  [/^must not be empty|cannot be empty|needs a title|^must list at least/, () => "нужно заполнить"],
  [/^must be a time "HH:MM"/, () => "время в виде ЧЧ:ММ, например 09:00"],
  [/^must be a date "YYYY-MM-DD"|is not a real calendar date/, () => "нужна настоящая дата"],
  [/^must be "MM-DD"/, () => "дата в виде ММ-ДД (каждый год) или ГГГГ-ММ-ДД"],
  [/^must be a web address/, () => "нужен адрес сайта, например https://yandex.ru/maps/org/…"],
  [/^must be a Telegram bot username/, () => "имя Telegram-бота латиницей, например clinic_bot"],
  [/^must be the MAX bot's name/, () => "имя бота из ссылки max.ru/<бот>, например clinic_bot"],
  [/ id must be 1–64 lowercase letters/, () => "код: латинские строчные буквы, цифры, - или _ (например, sleeping-adults)"],
  [/^"(.*)" is already the id of/, (m) => `код «${m[1]}» уже занят`],
  [/^no segment "(.*)" in segments/, (m) => `нет сегмента с кодом «${m[1]}»`],
  [/^must be a flow id/, () => "код сценария латиницей, например reactivation"],
  [/^the day must end after it starts/, () => "конец дня — позже начала"],
  [/^is not a valid template/, () => "в тексте ошибка в фигурных скобках {{…}}"],
  [/^partials/, () => "вставки {{> …}} в шаблонах ответов не поддерживаются"],
  [/^must be \{ "daysBefore"/, () => "выберите, когда напоминать"],
  [/^is not a setting CareBot knows/, () => "такой настройки нет"],
  [/^must be true or false/, () => "выберите да или нет"],
];

export function sayProblem(message: string, lang: "ru" | "en", fallback: string): string {
  // The page's own problems (an unfinished pick) are already in Russian.
  if (lang !== "ru" || /[а-яё]/i.test(message)) return message;
  for (const [pattern, say] of RU) {
    const m = pattern.exec(message);
    if (m) return say(m);
  }
  return fallback;
}
