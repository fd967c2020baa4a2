// The demo clinic's people and services: plausible, varied, and fictional.

export const DEMO_CLINIC = {
  slug: "demo",
  name: "Клиника «Добрый доктор»",
  address: "Москва, ул. Садовая-Кудринская, 12",
  phone: "+74951234567",
  reviewUrl: "https://example.org/reviews/dobryi-doktor",
};

export const FIRST_NAMES_F = ["Анна", "Мария", "Елена", "Ольга", "Татьяна", "Наталья", "Ирина", "Светлана", "Екатерина", "Юлия", "Дарья", "Ксения"];
export const FIRST_NAMES_M = ["Алексей", "Дмитрий", "Сергей", "Андрей", "Михаил", "Иван", "Николай", "Павел", "Артём", "Владимир", "Егор", "Максим"];
export const LAST_NAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков", "Морозов", "Волков", "Фёдоров", "Егоров", "Павлов", "Семёнов"];

export interface DemoService {
  service: string;
  category: string;
  doctor: string;
  /** Typical price in roubles. */
  price: number;
  isProcedure: boolean;
  /** Days until the recommended follow-up, when the doctor asks the patient to come back. */
  followUpDays?: number;
}

export const DEMO_SERVICES: DemoService[] = [
  { service: "Консультация терапевта", category: "therapy", doctor: "Орлова Ирина Викторовна", price: 2500, isProcedure: false },
  { service: "Профессиональная гигиена полости рта", category: "dentistry", doctor: "Громов Артур Сергеевич", price: 6500, isProcedure: true, followUpDays: 180 },
  { service: "Лечение кариеса", category: "dentistry", doctor: "Громов Артур Сергеевич", price: 9000, isProcedure: true, followUpDays: 30 },
  { service: "УЗИ брюшной полости", category: "diagnostics", doctor: "Белова Марина Олеговна", price: 3200, isProcedure: false },
  { service: "Удаление новообразования кожи", category: "dermatology", doctor: "Зайцев Олег Петрович", price: 7800, isProcedure: true, followUpDays: 14 },
  { service: "Приём гинеколога", category: "gynecology", doctor: "Сафина Алина Рустамовна", price: 3500, isProcedure: false, followUpDays: 365 },
];

export const EXTRA_TIME_ZONES = ["Asia/Yekaterinburg", "Asia/Vladivostok", "Europe/Kaliningrad"];
export const SOURCES = ["website", "recommendation", "yandex-maps", "instagram-spring-2026", null];
export const TAG_SETS = [["family"], ["student"], ["pensioner"], [], [], ["vip"], []];
