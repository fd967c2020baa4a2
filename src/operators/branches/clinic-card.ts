// The clinic page's branches card: its own form (posting to /console/clinic/branches), one
// fieldset per branch and a spare one for a new branch. It works without any script.
import { WEEKDAYS } from "../../domain/clinic/calendar.ts";
import type { Weekday } from "../../domain/clinic/calendar.ts";
import { formatClinicPhone } from "../../domain/clinic/phone.ts";
import type { Branch } from "../../domain/branches/branch.ts";
import type { BranchFormRow } from "../../domain/branches/form.ts";
import { html, raw } from "../../web-assets/html.ts";
import type { SafeHtml } from "../../web-assets/html.ts";
import type { ConsoleLang } from "../i18n.ts";
import { BRANCH_TEXT } from "./texts.ts";

const SHORT_DAYS: Record<ConsoleLang, Record<Weekday, string>> = {
  ru: { mon: "Пн", tue: "Вт", wed: "Ср", thu: "Чт", fri: "Пт", sat: "Сб", sun: "Вс" },
  en: { mon: "Mon", tue: "Tue", wed: "Wed", thu: "Thu", fri: "Fri", sat: "Sat", sun: "Sun" },
};

export const BRANCH_STYLE = `
.branch{border:1px solid var(--line);border-radius:8px;padding:.8rem;margin:0 0 .8rem;min-width:0}
.branch legend{font-weight:600;padding:0 .3rem}
.branch .grid{margin-bottom:.6rem}
.branch textarea{min-height:4.5rem}
.branch-hours{display:grid;grid-template-columns:repeat(7,minmax(0,1fr));gap:.4rem;margin:.4rem 0}
.branch-hours label{font-size:.8rem}
.branch-hours input{padding:.3rem .35rem;font-size:.85rem;text-align:center}
.branch .row{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem}
@media (max-width:700px){.branch-hours{grid-template-columns:repeat(2,minmax(0,1fr))}}
`;

/** A stored branch as the form shows it. */
export function branchFormRowOf(b: Branch): BranchFormRow {
  const week = b.calendar?.week ?? null;
  // Without its own week the boxes offer the usual one, ready for ticking "its own hours".
  const hours = week
    ? (Object.fromEntries(WEEKDAYS.map((d) => {
        const h = week[d];
        return [d, h ? `${h.start}-${h.end}` : ""];
      })) as Record<Weekday, string>)
    : blankBranchRow().hours;
  return {
    id: b.id,
    code: b.code,
    name: b.name,
    address: b.address,
    phone: b.phone ? formatClinicPhone(b.phone) : "",
    reviews: b.reviewLinks.map((l) => `${l.label} ${l.url}`).join("\n"),
    ownHours: week !== null,
    hours,
    daysOff: (b.calendar?.daysOff ?? []).join(", "),
    specialHours: (b.calendar?.specialHours ?? []).map((h) => `${h.date} ${h.start}-${h.end}`).join("\n"),
    remove: false,
  };
}

export function blankBranchRow(): BranchFormRow {
  return { id: null, code: "", name: "", address: "", phone: "", reviews: "", ownHours: false, hours: { mon: "09:00-20:00", tue: "09:00-20:00", wed: "09:00-20:00", thu: "09:00-20:00", fri: "09:00-20:00", sat: "", sun: "" }, daysOff: "", specialHours: "", remove: false };
}

export function branchesCard(o: { lang: ConsoleLang; csrfToken: string; rows: BranchFormRow[]; problems: Record<string, string>; notice?: { kind: "ok" | "bad"; text: string } | null }): SafeHtml {
  const t = BRANCH_TEXT[o.lang];
  const invalid = (field: string) => (o.problems[field] ? raw(' aria-invalid="true"') : "");
  const problem = (field: string) => (o.problems[field] ? html`<p class="error">${o.problems[field]}</p>` : "");
  const fieldsets = o.rows.map((row, i) => {
    const at = (f: string) => `branches.${i}.${f}`;
    const n = (f: string) => `b${i}_${f}`;
    const hours = WEEKDAYS.map((d) => html`<label>${SHORT_DAYS[o.lang][d]}<input name="${n(d)}" value="${row.hours[d]}" inputmode="numeric" maxlength="11" placeholder="—"${invalid(at(`hours.${d}`))}></label>`);
    const hourProblems = WEEKDAYS.map((d) => problem(at(`hours.${d}`)));
    return html`<fieldset class="branch" data-branch="${row.code || "new"}">
<legend>${row.id === null ? t.newBranch : row.name || row.code}</legend>
${row.id === null ? "" : html`<input type="hidden" name="${n("id")}" value="${row.id}">`}
<div class="grid">
<div class="field"><label>${t.name}<input name="${n("name")}" value="${row.name}" maxlength="120"${invalid(at("name"))}></label>${problem(at("name"))}</div>
<div class="field"><label>${t.code}<input name="${n("code")}" value="${row.code}" maxlength="40" autocapitalize="off" spellcheck="false" placeholder="north"${invalid(at("code"))}></label><span class="hint">${t.codeHint}</span>${problem(at("code"))}</div>
<div class="field"><label>${t.address}<input name="${n("address")}" value="${row.address}" maxlength="300"${invalid(at("address"))}></label>${problem(at("address"))}</div>
<div class="field"><label>${t.phone}<input name="${n("phone")}" type="tel" inputmode="tel" value="${row.phone}"${invalid(at("phone"))}></label>${problem(at("phone"))}</div>
<div class="field wide"><label>${t.reviews}<textarea name="${n("reviews")}" spellcheck="false"${invalid(at("reviews"))}>${row.reviews}</textarea></label><span class="hint">${t.reviewsHint}</span>${problem(at("reviews"))}</div>
</div>
<label class="check"><input type="checkbox" name="${n("own_hours")}" value="1"${row.ownHours ? raw(" checked") : ""}>${t.ownHours}</label>
<div class="branch-hours">${hours}</div><span class="hint">${t.hoursHint}</span>${hourProblems}
<div class="grid">
<div class="field"><label>${t.daysOff}<textarea name="${n("days_off")}" spellcheck="false" placeholder="2027-03-15, 2027-03-16"${invalid(at("daysOff"))}>${row.daysOff}</textarea></label><span class="hint">${t.daysOffHint}</span>${problem(at("daysOff"))}</div>
<div class="field"><label>${t.specialHours}<textarea name="${n("special_hours")}" spellcheck="false" placeholder="2026-12-31 09:00-15:00"${invalid(at("specialHours"))}>${row.specialHours}</textarea></label><span class="hint">${t.specialHoursHint}</span>${problem(at("specialHours"))}</div>
</div>
${row.id === null ? "" : html`<div class="row"><label class="check"><input type="checkbox" name="${n("remove")}" value="1"${row.remove ? raw(" checked") : ""}>${t.remove}</label></div>${problem(at("remove"))}`}
</fieldset>`;
  });
  const stored = o.rows.filter((r) => r.id !== null).length;
  return html`<section class="card" id="branches">
<h2>${t.title}</h2>
<p class="hint">${t.intro}</p>
${o.notice ? html`<p class="notice ${o.notice.kind}" role="${o.notice.kind === "bad" ? "alert" : "status"}">${o.notice.text}</p>` : ""}
${stored === 0 ? html`<p class="hint">${t.none}</p>` : ""}
<form method="post" action="/console/clinic/branches" id="branches-form" novalidate>
<input type="hidden" name="_csrf" value="${o.csrfToken}">
<input type="hidden" name="rows" value="${o.rows.length}">
${fieldsets}
<button type="submit" class="primary">${t.save}</button>
</form>
</section>`;
}

/** The posted branch rows (urlencoded `b<i>_<field>`, or the same names as JSON). */
export function branchRowsFromPost(body: unknown): BranchFormRow[] {
  const b = (body && typeof body === "object" && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  const count = Math.min(50, Math.max(0, Number.parseInt(text(b.rows), 10) || 0));
  return Array.from({ length: count }, (_, i): BranchFormRow => {
    const f = (name: string) => text(b[`b${i}_${name}`]);
    const id = Number.parseInt(f("id"), 10);
    return {
      id: Number.isInteger(id) && id > 0 ? id : null,
      code: f("code"),
      name: f("name"),
      address: f("address"),
      phone: f("phone"),
      reviews: f("reviews"),
      ownHours: f("own_hours") === "1" || f("own_hours") === "on",
      hours: Object.fromEntries(WEEKDAYS.map((d) => [d, f(d)])) as Record<Weekday, string>,
      daysOff: f("days_off"),
      specialHours: f("special_hours"),
      remove: f("remove") === "1" || f("remove") === "on",
    };
  });
}
