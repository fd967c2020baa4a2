// The dashboard's card on closing the NPS loop (review invitations and clicks, detractors who came
// back), and the branch chooser of a network's dashboard.
import type { ConsoleLang, Dictionary } from "../i18n.ts";
import { html, type SafeHtml } from "../../web-assets/html.ts";
import type { Formats } from "./format.ts";
import { emptyState, section, table, tiles } from "./html.ts";
import type { ReviewFigures } from "./review-figures.ts";

export const REVIEW_TEXT: Dictionary<
  "title" | "note" | "invited" | "clicked" | "clickRate" | "returnRate" | "returned" | "site" | "noInvites" | "branch" | "allBranches" | "show" | "branchNote"
> = {
  ru: {
    title: "Отзывы и возвраты",
    note: "За 12 месяцев. Довольным пациентам бот предлагает сайты отзывов кнопками; переход по ссылке считается один раз на приглашение и сайт. Вернулись — недовольные, у которых после ответа был визит.",
    invited: "Приглашены оставить отзыв",
    clicked: "Перешли по ссылке",
    clickRate: "Доля перешедших",
    returnRate: "Вернулись из недовольных",
    returned: "недовольных вернулись",
    site: "Сайт отзывов",
    noInvites: "Приглашений оставить отзыв пока не было.",
    branch: "Филиал",
    allBranches: "Вся сеть",
    show: "Показать",
    branchNote: "Показаны оценки, обращения, напоминания, записи, каналы и отзывы филиала; баллы и кампании — по всей сети.",
  },
  en: {
    title: "Reviews and returns",
    note: "Over 12 months. The bot offers happy patients the review sites as buttons; a click counts once per invitation and site. Returned: unhappy patients with a visit after their answer.",
    invited: "Invited to review",
    clicked: "Followed a link",
    clickRate: "Share who followed",
    returnRate: "Unhappy who came back",
    returned: "unhappy came back",
    site: "Review site",
    noInvites: "No one has been invited to leave a review yet.",
    branch: "Branch",
    allBranches: "Whole network",
    show: "Show",
    branchNote: "Showing the branch's ratings, escalations, reminders, appointments, channels and reviews; points and campaigns are the whole network's.",
  },
};

const percent = (part: number, whole: number, lang: ConsoleLang) =>
  whole === 0 ? "—" : new Intl.NumberFormat(lang === "ru" ? "ru-RU" : "en-GB", { style: "percent", maximumFractionDigits: 0 }).format(part / whole);

export function reviewSection(r: ReviewFigures, lang: ConsoleLang, f: Formats): SafeHtml {
  const t = REVIEW_TEXT[lang];
  const sites =
    r.sites.length === 0
      ? emptyState(t.noInvites)
      : table({ caption: t.title, head: [t.site, t.invited, t.clicked], rows: r.sites.map((s) => [s.site, f.int(s.invited), f.int(s.clicked)]) });
  return section({
    id: "reviews",
    title: t.title,
    note: t.note,
    body: html`${tiles([
      { label: t.invited, value: f.int(r.invited), testid: "reviews-invited" },
      { label: t.clicked, value: f.int(r.clicked), testid: "reviews-clicked" },
      { label: t.clickRate, value: percent(r.clicked, r.invited, lang), testid: "reviews-click-rate" },
      { label: t.returnRate, value: percent(r.detractorsReturned, r.detractors, lang), tone: r.detractors > 0 && r.detractorsReturned === 0 ? "warn" : undefined, testid: "reviews-return-rate" },
    ])}
${sites}`,
  });
}

/** A GET form choosing the branch (only for a clinic with branches). */
export function branchChooser(branches: { code: string; name: string }[], chosen: { code: string } | null, lang: ConsoleLang): SafeHtml | null {
  if (branches.length === 0) return null;
  const t = REVIEW_TEXT[lang];
  const options = [html`<option value="">${t.allBranches}</option>`, ...branches.map((b) => html`<option value="${b.code}"${chosen?.code === b.code && " selected"}>${b.name}</option>`)];
  return html`<form method="get" action="/console/dashboard" class="branch-choice"><label>${t.branch} <select name="branch">${options}</select></label><button type="submit">${t.show}</button></form>${chosen && html`<p class="note branch-note">${t.branchNote}</p>`}`;
}
