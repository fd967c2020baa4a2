// /console/patients: the search box and one page of results (masked phones, last visit, chats).
// A plain GET form: no script needed, and the request log drops the query's value.
import type { PatientSearchPage } from "../../domain/patients/search.ts";
import { html } from "../../web-assets/html.ts";
import { CHANNEL_LABELS } from "../console/labels.ts";
import { cardFormats } from "./format.ts";
import { patientsShell, type ShellOptions } from "./page-shell.ts";
import { fill, PATIENT_TEXT } from "./texts.ts";

/** `branches`: the names of the branches a branch's operator works (null: the whole network). */
export function patientListPage(o: Omit<ShellOptions, "title"> & { timezone: string; q: string; result: PatientSearchPage; branches: string[] | null }): string {
  const t = PATIENT_TEXT[o.lang];
  const f = cardFormats(o.lang, o.timezone);
  const { result } = o;
  const link = (page: number) => `/console/patients?${new URLSearchParams({ ...(o.q ? { q: o.q } : {}), page: String(page) })}`;
  const rows = result.rows.map(
    (p) => html`<li><a href="/console/patients/${p.id}" data-testid="patient-row">
<span class="r-name">${p.fullName}</span>
<span class="r-meta"><b>${t.phone}: </b>${p.maskedPhone ?? "—"}</span>
<span class="r-meta"><b>${t.lastVisit}: </b>${f.date(p.lastVisitAt)}</span>
<span class="tags" aria-label="${t.channels}">${
      p.channels.length === 0
        ? html`<span class="tag muted">${t.noChannel}</span>`
        : p.channels.map((c) => html`<span class="tag${c.reachable ? "" : " off"}">${CHANNEL_LABELS[o.lang][c.channel]}${c.reachable ? "" : html` · ${t.blocked}`}</span>`)
    }</span>
</a></li>`,
  );
  const empty = o.q ? t.nothing : o.branches ? t.branchEmpty : t.noPatients;
  const body = html`<h1>${t.title}</h1>
<section class="box">
<form class="search" method="get" action="/console/patients" role="search">
<label for="q">${t.searchLabel}</label>
<input type="search" id="q" name="q" value="${o.q}" maxlength="100" autocomplete="off" autofocus>
<button type="submit" class="primary">${t.find}</button>
</form>
<p class="hint">${t.searchHint}</p>
${o.branches ? html`<p class="hint" data-testid="branch-scope">${o.branches.length === 1 ? fill(t.branchScope, { branches: o.branches[0]! }) : fill(t.branchesScope, { branches: o.branches.map((b) => `«${b}»`).join(", ") })}</p>` : ""}
</section>
${result.total > 0 ? html`<p class="count" role="status">${fill(t.found, { n: result.total })}</p>
<ul class="results">${rows}</ul>` : html`<p class="empty" role="status">${empty}</p>`}
${
  result.pages > 1
    ? html`<nav class="pager" aria-label="${t.pages}">${result.page > 1 ? html`<a href="${link(result.page - 1)}" rel="prev">${t.prev}</a>` : ""}<span>${fill(t.pageOf, { page: result.page, pages: result.pages })}</span>${
        result.page < result.pages ? html`<a href="${link(result.page + 1)}" rel="next">${t.next}</a>` : ""
      }</nav>`
    : ""
}`;
  return patientsShell({ ...o, title: t.title }, body);
}
