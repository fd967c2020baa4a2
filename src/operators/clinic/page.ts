// /console/clinic: the clinic's profile as one form that posts to itself (it works without a
// script; src/browser/clinic.ts only adds review-link rows and greys out days off).
import { BASE_STYLE } from "../../web-assets/page-style.ts";
import { WEEKDAYS } from "../../domain/clinic/calendar.ts";
import { clinicPhoneHref, formatClinicPhone } from "../../domain/clinic/phone.ts";
import type { ProfileForm } from "../../domain/clinic/profile.ts";
import { MAX_REVIEW_LINKS } from "../../domain/clinic/profile.ts";
import { zoneChoices } from "../../domain/clinic/time-zones.ts";
import { pageScript } from "../../web-assets/browser-bundles.ts";
import { html, raw } from "../../web-assets/html.ts";
import type { SafeHtml } from "../../web-assets/html.ts";
import type { ConsoleLang } from "../i18n.ts";
import { consoleHeader, HEADER_STYLE, documentHead } from "../layout.ts";
import { CARD_STYLE } from "../team/page.ts";
import { CLINIC_TEXT, WEEKDAY_NAMES } from "./texts.ts";
import { BRANCH_STYLE } from "../branches/clinic-card.ts";

export interface ClinicPageOptions {
  nonce: string;
  lang: ConsoleLang;
  csrfToken: string;
  operatorName: string;
  /** The name in the header: the stored one, not the one being typed. */
  clinicName: string;
  version: string;
  form: ProfileForm;
  /** Field → its problem, in the page's language. */
  problems: Record<string, string>;
  notice?: { kind: "ok" | "bad"; text: string } | null;
  now: Date;
  /** The branches card (its own form: src/operators/branches/clinic-card.ts). */
  branches?: SafeHtml;
}

const STYLE = `${BASE_STYLE}${HEADER_STYLE}${CARD_STYLE}${BRANCH_STYLE}
main{max-width:900px}
.grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:.8rem 1rem}
.wide{grid-column:1/-1}
.field{display:flex;flex-direction:column;gap:.25rem;min-width:0}
.more{margin-top:1rem}
.notice{border-radius:8px;padding:.7rem 1rem;margin-bottom:1rem;font-weight:600}
.notice.ok{background:#eaf7ef;color:var(--ok);border:1px solid #bfe3cb}
.notice.bad{background:#fff6f5;color:var(--urgent);border:1px solid var(--urgent)}
.shown{margin:.25rem 0 0;font-size:.88rem;font-weight:400}
.shown a{color:var(--accent);font-weight:600}
.links{display:flex;flex-direction:column;gap:.6rem}
.link-row{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,2fr);gap:.6rem}
.days{display:flex;flex-direction:column;gap:.35rem}
.day{display:grid;grid-template-columns:11rem auto 5.5rem auto 5.5rem;justify-content:start;gap:.5rem;align-items:center}
.day .name{font-weight:600;display:flex;flex-direction:row;align-items:center;gap:.45rem}
.day .name input{width:auto}
.day input.hours{width:5.5rem;text-align:center;font-variant-numeric:tabular-nums}
.day.off input.hours{opacity:.45}
.day .sep{color:var(--muted);font-size:.88rem}
.check{flex-direction:row;align-items:center;gap:.5rem;font-weight:400}
.check input{width:auto}
textarea{min-height:6.5rem;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88rem}
.actions{position:sticky;bottom:0;background:var(--bg);padding:.6rem 0;display:flex;gap:.75rem;align-items:center}
@media (max-width:700px){
  main{padding:.75rem .6rem 2rem}
  .grid{grid-template-columns:1fr}
  .link-row{grid-template-columns:1fr;padding-bottom:.6rem;border-bottom:1px dashed var(--line)}
  .day{grid-template-columns:8.5rem auto 4.6rem auto 4.6rem;gap:.35rem}
  .day input.hours{width:4.6rem}
}
`;

export async function clinicPage(o: ClinicPageOptions): Promise<string> {
  const t = CLINIC_TEXT[o.lang];
  const f = o.form;
  const problem = (field: string) => (o.problems[field] ? html`<p class="error" id="err-${field}">${o.problems[field]}</p>` : "");
  const invalid = (field: string) => (o.problems[field] ? raw(` aria-invalid="true" aria-describedby="err-${field}"`) : "");
  const zones = zoneChoices(o.lang, o.now, f.timezone);
  const known = zones.some((z) => z.zone === f.timezone);
  const option = (zone: string, label: string) => html`<option value="${zone}"${zone === f.timezone ? raw(" selected") : ""}>${label}</option>`;
  const phoneHref = clinicPhoneHref(f.phone);
  const links = [...f.reviewLinks];
  while (links.length < Math.min(MAX_REVIEW_LINKS, Math.max(2, f.reviewLinks.length + 1))) links.push({ label: "", url: "" });
  const linkRows: SafeHtml[] = links.map(
    (l, i) => html`<div class="link-row">
<div class="field"><label>${t.label}<input name="review_label" value="${l.label}" maxlength="60" placeholder="${i === 0 ? t.labelPlaceholder : ""}"${invalid(`reviewLinks.${i}.label`)}></label>${problem(`reviewLinks.${i}.label`)}</div>
<div class="field"><label>${t.url}<input name="review_url" type="url" inputmode="url" value="${l.url}" placeholder="https://"${invalid(`reviewLinks.${i}.url`)}></label>${problem(`reviewLinks.${i}.url`)}</div>
</div>`,
  );
  const days = WEEKDAYS.map((d) => {
    const hours = f.week[d];
    return html`<div class="day${hours ? "" : " off"}" data-day="${d}">
<label class="name"><input type="checkbox" name="${d}_on" value="1"${hours ? raw(" checked") : ""} aria-label="${WEEKDAY_NAMES[o.lang][d]}: ${t.works}">${WEEKDAY_NAMES[o.lang][d]}</label>
<span class="sep">${t.from}</span><input class="hours" name="${d}_start" value="${hours?.start ?? "09:00"}" inputmode="numeric" maxlength="5" placeholder="09:00" aria-label="${WEEKDAY_NAMES[o.lang][d]}: ${t.from}"${invalid(`week.${d}`)}>
<span class="sep">${t.to}</span><input class="hours" name="${d}_end" value="${hours?.end ?? "18:00"}" inputmode="numeric" maxlength="5" placeholder="18:00" aria-label="${WEEKDAY_NAMES[o.lang][d]}: ${t.to}"${invalid(`week.${d}`)}>
</div>${problem(`week.${d}`)}`;
  });
  const listProblems = (prefix: string) =>
    Object.entries(o.problems)
      .filter(([k]) => k.startsWith(`${prefix}.`))
      .map(([, v]) => html`<p class="error">${v}</p>`);
  const problemCount = Object.keys(o.problems).length;
  return html`${documentHead({ lang: o.lang, title: `${t.title} — ${o.clinicName}`, nonce: o.nonce, style: STYLE })}
<body>
${consoleHeader({ lang: o.lang, active: "clinic", clinicName: o.clinicName, operatorName: o.operatorName, admin: true, csrfToken: o.csrfToken })}
<main>
<h1>${t.title}</h1>
<p class="intro">${t.intro}</p>
${o.notice ? html`<p class="notice ${o.notice.kind}" role="${o.notice.kind === "bad" ? "alert" : "status"}">${o.notice.text}</p>` : problemCount > 0 ? html`<p class="notice bad" role="alert">${t.problems}</p>` : ""}
<form method="post" action="/console/clinic" id="clinic-form" novalidate>
<input type="hidden" name="_csrf" value="${o.csrfToken}">
<input type="hidden" name="version" value="${o.version}">
<section class="card">
<h2>${t.profile}</h2>
<div class="grid">
<div class="field wide"><label>${t.name}<input name="name" value="${f.name}" maxlength="120" required${invalid("name")}></label><span class="hint">${t.nameHint}</span>${problem("name")}</div>
<div class="field"><label for="f-timezone">${t.timezone}</label><select id="f-timezone" name="timezone"${invalid("timezone")}>
${known ? "" : option(f.timezone, f.timezone)}
<optgroup label="${t.russia}">${zones.filter((z) => z.russian).map((z) => option(z.zone, z.label))}</optgroup>
<optgroup label="${t.world}">${zones.filter((z) => !z.russian).map((z) => option(z.zone, z.label))}</optgroup>
</select>${problem("timezone")}</div>
<div class="field"><label>${t.phone}<input name="phone" type="tel" inputmode="tel" autocomplete="off" value="${o.problems.phone ? f.phone : f.phone ? formatClinicPhone(f.phone) : ""}"${invalid("phone")}></label><span class="hint">${t.phoneHint}</span>${problem("phone")}
${phoneHref && !o.problems.phone ? html`<span class="shown">${t.phoneShown} <a href="${phoneHref}" id="phone-link">${formatClinicPhone(f.phone)}</a></span>` : ""}</div>
<div class="field wide"><label>${t.address}<input name="address" value="${f.address}" maxlength="300"${invalid("address")}></label>${problem("address")}</div>
</div>
</section>
<section class="card">
<h2>${t.reviews}</h2>
<p class="hint">${t.reviewsIntro}</p>
${problem("reviewLinks")}
<div class="links" id="links">${linkRows}</div>
<p><button type="button" id="add-link"${links.length >= MAX_REVIEW_LINKS ? raw(" disabled") : ""}>${t.addLink}</button></p>
<p class="hint">${t.doctorLinks} <a href="/console/settings#f-doctorReviewLinks" id="doctor-links">${t.doctorLinksPlace}</a>.</p>
</section>
<section class="card">
<h2>${t.calendar}</h2>
<p class="hint">${t.calendarIntro}</p>
<div class="days">${days}</div>
<div class="grid more">
<div class="field"><label>${t.holidays}<textarea name="holidays" spellcheck="false"${listProblems("holidays").length ? raw(' aria-invalid="true"') : ""}>${f.holidays.join("\n")}</textarea></label><span class="hint">${t.holidaysHint}</span>${listProblems("holidays")}</div>
<div class="field"><label>${t.workdays}<textarea name="workdays" spellcheck="false"${listProblems("workdays").length ? raw(' aria-invalid="true"') : ""}>${f.workdays.join("\n")}</textarea></label><span class="hint">${t.workdaysHint}</span>${listProblems("workdays")}</div>
<label class="check wide"><input type="checkbox" name="move_weekend" value="1"${f.moveWeekendHolidays ? raw(" checked") : ""}>${t.moveWeekend}</label>
</div>
</section>
<div class="actions"><button type="submit" class="primary">${t.save}</button></div>
</form>
${o.branches ?? ""}
</main>
${await pageScript("clinic", o.nonce)}
</body>
</html>`.value;
}
