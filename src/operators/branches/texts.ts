// The branches' words on the clinic page and the staff page, Russian first.
import type { BranchProblem, BranchProblemCode } from "../../domain/branches/form.ts";
import type { ConsoleLang, Dictionary } from "../i18n.ts";

export const BRANCH_TEXT: Dictionary<
  | "title" | "intro" | "code" | "codeHint" | "name" | "address" | "phone" | "reviews" | "reviewsHint" | "ownHours" | "hoursHint" | "remove" | "newBranch" | "daysOff" | "daysOffHint" | "specialHours" | "specialHoursHint"
  | "save" | "saved" | "problems" | "none" | "staffTitle" | "staffIntro" | "allBranches" | "staffSave" | "staffSaved" | "operator"
> = {
  ru: {
    title: "Филиалы",
    intro: "Если у клиники несколько филиалов: у каждого свой адрес, телефон, график и сайты отзывов. Пациенты и баллы — общие. МИС передаёт код филиала в визитах (поле branch).",
    code: "Код для МИС",
    codeHint: "Латиница и цифры, например north",
    name: "Название филиала",
    address: "Адрес филиала",
    phone: "Телефон филиала",
    reviews: "Сайты отзывов филиала",
    reviewsHint: "По одному в строке: название и адрес, например «Яндекс Карты https://yandex.ru/maps/org/…». Пусто — ссылки клиники.",
    ownHours: "Свой график работы",
    hoursHint: "Например 09:00-20:00; пусто — выходной. Праздники клиники действуют и в филиале.",
    daysOff: "Выходные дни филиала",
    daysOffHint: "Даты, когда закрыт только этот филиал (санитарный день, ремонт), через запятую: 2027-03-15, 2027-03-16.",
    specialHours: "Особые часы работы",
    specialHoursHint: "По одной дате в строке: 2026-12-31 09:00-15:00. В эти дни филиал работает так, даже в праздник или выходной.",
    remove: "Удалить филиал",
    newBranch: "Новый филиал",
    save: "Сохранить филиалы",
    saved: "Филиалы сохранены.",
    problems: "Филиалы не сохранены: исправьте отмеченные поля.",
    none: "Филиалов пока нет: клиника работает по одному адресу.",
    staffTitle: "Филиалы сотрудников",
    staffIntro: "Оператор видит очередь только отмеченных филиалов. Никто не отмечен — видит все.",
    allBranches: "все филиалы",
    staffSave: "Сохранить",
    staffSaved: "Филиалы сотрудников сохранены.",
    operator: "Сотрудник",
  },
  en: {
    title: "Branches",
    intro: "For a clinic with several branches: each has its own address, phone, hours and review sites. Patients and points are shared. The MIS sends the branch's code with each visit (the branch field).",
    code: "Code for the MIS",
    codeHint: "Latin letters and digits, such as north",
    name: "Branch name",
    address: "Branch address",
    phone: "Branch phone",
    reviews: "The branch's review sites",
    reviewsHint: "One a line: a name and the address, such as «Yandex Maps https://yandex.ru/maps/org/…». Empty: the clinic's links.",
    ownHours: "Its own working hours",
    hoursHint: "Such as 09:00-20:00; empty: a day off. The clinic's holidays apply to the branch too.",
    daysOff: "The branch's days off",
    daysOffHint: "Dates when only this branch is closed (a sanitary day, repairs), comma-separated: 2027-03-15, 2027-03-16.",
    specialHours: "Special hours",
    specialHoursHint: "One date a line: 2026-12-31 09:00-15:00. The branch works these hours that day, even on a holiday or a day off.",
    remove: "Remove the branch",
    newBranch: "New branch",
    save: "Save branches",
    saved: "Branches saved.",
    problems: "The branches were not saved: fix the marked fields.",
    none: "No branches yet: the clinic works at one address.",
    staffTitle: "Staff branches",
    staffIntro: "An operator sees the queue of the ticked branches only. None ticked: every branch.",
    allBranches: "every branch",
    staffSave: "Save",
    staffSaved: "Staff branches saved.",
    operator: "Staff member",
  },
};

export const BRANCH_PROBLEM_TEXT: Record<ConsoleLang, Record<BranchProblemCode, string>> = {
  ru: {
    "code-invalid": "Код — латиница, цифры, «-», «_» или «.», до 40 знаков, например north.",
    "code-taken": "Такой код уже есть у другого филиала.",
    "name-empty": "Укажите название филиала.",
    "name-long": "Название слишком длинное (не больше 120 символов).",
    "address-long": "Адрес слишком длинный (не больше 300 символов).",
    "phone-invalid": "Это не похоже на номер телефона. Пример: +7 495 123-45-67.",
    "review-line-invalid": "Строка отзывов — название и адрес страницы с https://, например «2ГИС https://2gis.ru/…».",
    "reviews-too-many": "Не больше 8 сайтов отзывов.",
    "hours-invalid": "Часы — в виде 09:00-20:00, конец позже начала.",
    "branch-used": "Филиал нельзя удалить: к нему уже относятся визиты или обращения.",
    "day-off-invalid": "Выходные дни филиала: «{value}» — не дата. Пишите год-месяц-день, например 2027-03-15.",
    "special-hours-invalid": "Особые часы работы: строка «{value}» непонятна. Пишите дату и часы, например 2026-12-31 09:00-15:00 (конец позже начала).",
    "special-hours-twice": "Особые часы работы: дата {value} указана дважды — оставьте одну строку.",
    "special-on-day-off": "Особые часы работы: {value} стоит и в выходных днях филиала — уберите дату из одного из полей.",
    "dates-too-many": "Слишком много дат: не больше 366 в поле.",
  },
  en: {
    "code-invalid": "A code is Latin letters, digits, -, _ or ., up to 40, such as north.",
    "code-taken": "Another branch has this code.",
    "name-empty": "Enter the branch's name.",
    "name-long": "The name is too long (at most 120 characters).",
    "address-long": "The address is too long (at most 300 characters).",
    "phone-invalid": "This does not look like a phone number. Example: +7 495 123-45-67.",
    "review-line-invalid": "A review line is a name and the page's address with https://, such as «2GIS https://2gis.ru/…».",
    "reviews-too-many": "At most 8 review sites.",
    "hours-invalid": "Hours look like 09:00-20:00, the end after the start.",
    "branch-used": "This branch cannot be removed: visits or escalations already belong to it.",
    "day-off-invalid": "The branch's days off: «{value}» is not a date. Write year-month-day, such as 2027-03-15.",
    "special-hours-invalid": "Special hours: the line «{value}» is not understood. Write a date and hours, such as 2026-12-31 09:00-15:00 (the end after the start).",
    "special-hours-twice": "Special hours: {value} is given twice; keep one line.",
    "special-on-day-off": "Special hours: {value} is also among the branch's days off; remove it from one of the fields.",
    "dates-too-many": "Too many dates: at most 366 in a field.",
  },
};

/** A problem in the manager's words, with what they typed where the text quotes it. */
export function branchProblemText(lang: ConsoleLang, problem: BranchProblem): string {
  return BRANCH_PROBLEM_TEXT[lang][problem.code].replace("{value}", problem.value ?? "");
}
