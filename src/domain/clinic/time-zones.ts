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

/** Neighbours whose clinics often write in Russian: named by their capital cities. */
const NEIGHBOUR_CITIES: Record<string, string> = {
  "Europe/Minsk": "Минск",
  "Europe/Kyiv": "Киев",
  "Europe/Kiev": "Киев",
  "Europe/Chisinau": "Кишинёв",
  "Asia/Almaty": "Алматы",
  "Asia/Tashkent": "Ташкент",
  "Asia/Bishkek": "Бишкек",
  "Asia/Dushanbe": "Душанбе",
  "Asia/Ashgabat": "Ашхабад",
  "Asia/Yerevan": "Ереван",
  "Asia/Tbilisi": "Тбилиси",
  "Asia/Baku": "Баку",
  "Europe/Riga": "Рига",
  "Europe/Vilnius": "Вильнюс",
  "Europe/Tallinn": "Таллин",
};

/** ICU's Russian name of a zone's time ("Центральная Европа"), without the ", стандартное время" tail. */
function russianZoneName(zone: string, at: Date): string {
  const part = new Intl.DateTimeFormat("ru", { timeZone: zone, timeZoneName: "longGeneric" }).formatToParts(at).find((p) => p.type === "timeZoneName");
  return (part?.value ?? zone).replace(/, стандартное время$/, "");
}

export interface ZoneChoice {
  zone: string;
  /** "Москва (UTC+3)" for a Russian zone in Russian; "Europe/Berlin (UTC+1)" otherwise. */
  label: string;
  russian: boolean;
}

const offsetOf = (zone: string, at: Date) => DateTime.fromJSDate(at, { zone }).toFormat("'UTC'ZZ").replace(":00", "").replace("+0", "+").replace("-0", "-");

/**
 * The zones to choose from, Russia's first under their cities. In English every other IANA zone
 * by its id; in Russian the neighbours by their capitals, then one zone per Russian name of its
 * time and offset ("Центральная Европа (UTC+1)"), so no Latin name shows. `keep` (the clinic's
 * current zone) is always among them.
 */
export function zoneChoices(lang: "ru" | "en", at: Date, keep?: string): ZoneChoice[] {
  const russian = new Set(RUSSIAN_ZONES.map((z) => z.zone));
  const own = RUSSIAN_ZONES.map(({ zone, city }) => ({ zone, russian: true, label: `${lang === "ru" ? city : zone} (${offsetOf(zone, at)})` }));
  const world = Intl.supportedValuesOf("timeZone").filter((zone) => !russian.has(zone));
  if (lang === "en") return [...own, ...world.map((zone) => ({ zone, russian: false, label: `${zone} (${offsetOf(zone, at)})` }))];
  const neighbours = Object.entries(NEIGHBOUR_CITIES)
    .filter(([zone]) => world.includes(zone))
    .map(([zone, city]) => ({ zone, russian: false, label: `${city} (${offsetOf(zone, at)})` }));
  const seen = new Set(neighbours.map((z) => z.label));
  const others: ZoneChoice[] = [];
  for (const zone of world) {
    if (zone in NEIGHBOUR_CITIES) continue;
    const label = `${russianZoneName(zone, at)} (${offsetOf(zone, at)})`;
    if (seen.has(label) && zone !== keep) continue;
    seen.add(label);
    others.push({ zone, russian: false, label });
  }
  others.sort((a, b) => a.label.localeCompare(b.label, "ru"));
  return [...own, ...neighbours, ...others];
}
