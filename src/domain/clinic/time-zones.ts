// Time zones a clinic chooses from: Russia's by their cities (in Russian), then every other IANA zone.
import { DateTime } from "luxon";

/** Russia's IANA zones, west to east, with the city a Russian reader knows each by. */
export const RUSSIAN_ZONES: readonly { zone: string; city: string }[] = [
  { zone: "Europe/Kaliningrad", city: "Калининград" },
  { zone: "Europe/Moscow", city: "Москва" },
  { zone: "Europe/Simferopol", city: "Симферополь" },
  { zone: "Europe/Kirov", city: "Киров" },
  { zone: "Europe/Volgograd", city: "Волгоград" },
  { zone: "Europe/Astrakhan", city: "Астрахань" },
  { zone: "Europe/Saratov", city: "Саратов" },
  { zone: "Europe/Ulyanovsk", city: "Ульяновск" },
  { zone: "Europe/Samara", city: "Самара" },
  { zone: "Asia/Yekaterinburg", city: "Екатеринбург" },
  { zone: "Asia/Omsk", city: "Омск" },
  { zone: "Asia/Novosibirsk", city: "Новосибирск" },
  { zone: "Asia/Barnaul", city: "Барнаул" },
  { zone: "Asia/Tomsk", city: "Томск" },
  { zone: "Asia/Novokuznetsk", city: "Новокузнецк" },
  { zone: "Asia/Krasnoyarsk", city: "Красноярск" },
  { zone: "Asia/Irkutsk", city: "Иркутск" },
  { zone: "Asia/Chita", city: "Чита" },
  { zone: "Asia/Yakutsk", city: "Якутск" },
  { zone: "Asia/Khandyga", city: "Хандыга" },
  { zone: "Asia/Vladivostok", city: "Владивосток" },
  { zone: "Asia/Ust-Nera", city: "Усть-Нера" },
  { zone: "Asia/Magadan", city: "Магадан" },
  { zone: "Asia/Sakhalin", city: "Южно-Сахалинск" },
  { zone: "Asia/Srednekolymsk", city: "Среднеколымск" },
  { zone: "Asia/Kamchatka", city: "Петропавловск-Камчатский" },
  { zone: "Asia/Anadyr", city: "Анадырь" },
];

export interface ZoneChoice {
  zone: string;
  /** "Москва (UTC+3)" for a Russian zone in Russian; "Europe/Berlin (UTC+1)" otherwise. */
  label: string;
  russian: boolean;
}

const offsetOf = (zone: string, at: Date) => DateTime.fromJSDate(at, { zone }).toFormat("'UTC'ZZ").replace(":00", "").replace("+0", "+").replace("-0", "-");

/** Every zone the runtime knows, Russia's first under their cities (English: city and zone). */
export function zoneChoices(lang: "ru" | "en", at: Date): ZoneChoice[] {
  const russian = new Set(RUSSIAN_ZONES.map((z) => z.zone));
  const own = RUSSIAN_ZONES.map(({ zone, city }) => ({ zone, russian: true, label: `${lang === "ru" ? city : zone} (${offsetOf(zone, at)})` }));
  const others = Intl.supportedValuesOf("timeZone")
    .filter((zone) => !russian.has(zone))
    .map((zone) => ({ zone, russian: false, label: `${zone} (${offsetOf(zone, at)})` }));
  return [...own, ...others];
}
