// /console/certificates: the clinic's gift certificates (issued, holder, what is left, expiry) with
// each one's history, rendered on the server; a search form narrows them by code or patient.
import { BASE_STYLE } from "../../web-assets/page-style.ts";
import { html, raw } from "../../web-assets/html.ts";
import type { CertificateEntryView, CertificateWithHistory } from "../../domain/loyalty/certificates/index.ts";
import { fill } from "../../i18n/lang.ts";
import type { ConsoleLang } from "../i18n.ts";
import { consoleHeader, documentHead, HEADER_STYLE } from "../layout.ts";
import type { CardFormats } from "../patients/format.ts";
import { CARD_STYLE } from "../team/page.ts";
import { CERTIFICATE_TEXT } from "./texts.ts";

const STYLE = `${BASE_STYLE}${HEADER_STYLE}${CARD_STYLE}
main{max-width:1200px}
.back{display:inline-block;margin:.2rem 0 .4rem;font-size:.9rem}
td .date,details li .when,.nowrap{white-space:nowrap}
form.find{display:flex;gap:.6rem;align-items:end;flex-wrap:wrap}
form.find label{flex:1 1 18rem}
form.find .hint{flex-basis:100%;margin:0}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:.55rem .5rem;border-top:1px solid var(--line);vertical-align:top}
th{font-size:.82rem;color:var(--muted);font-weight:600;border-top:none}
td .code{font-weight:700;letter-spacing:.03em;white-space:nowrap}
td .sub{color:var(--muted);font-size:.85rem;overflow-wrap:anywhere}
td .tag{display:inline-block;font-size:.78rem;padding:.05rem .45rem;border-radius:999px;background:#e3f4e8;color:var(--ok);white-space:nowrap}
td .tag.off{background:#fbe4e2;color:var(--urgent)}
td .tag.muted{background:#eef1f5;color:var(--muted)}
td.money{white-space:nowrap}
details summary{cursor:pointer;color:var(--accent)}
details ol{margin:.4rem 0 0;padding-left:1.1rem;font-size:.88rem}
details li{margin:.15rem 0}
details li .when{color:var(--muted);white-space:nowrap}
tr.gone td:not(.history){opacity:.7}
.count{color:var(--muted);font-size:.88rem;margin:.5rem 0 0}
@media (max-width:760px){
  main{padding:.75rem .6rem 2rem}
  thead{display:none}
  table,tbody,tr,td{display:block;width:100%}
  tr{border-top:1px solid var(--line);padding:.5rem 0}
  td{border:none;padding:.2rem 0}
  td[data-label]::before{content:attr(data-label) ": ";color:var(--muted);font-size:.82rem}
}
`;

export interface CertificatesPageInput {
  lang: ConsoleLang;
  csrfToken: string;
  clinicName: string;
  operatorName: string;
  query: string;
  certificates: CertificateWithHistory[];
  /** More than the page shows: the manager narrows with the search. */
  limited: boolean;
  limit: number;
  /** Patients' names by id (holders, buyers, payers). */
  names: Map<number, string>;
  formats: CardFormats;
}

/** Kopecks as a clinic writes money: «3 000 ₽», «2 500,50 ₽». */
export function roubles(kopecks: number, lang: ConsoleLang): string {
  const format = new Intl.NumberFormat(lang === "ru" ? "ru-RU" : "en-GB", { minimumFractionDigits: kopecks % 100 === 0 ? 0 : 2, maximumFractionDigits: 2 });
  // A no-break space: «₽» never wraps away from its amount.
  return `${format.format(kopecks / 100)}\u00a0₽`;
}

function entryText(e: CertificateEntryView, o: CertificatesPageInput): string {
  const t = CERTIFICATE_TEXT[o.lang];
  const amount = roubles(Math.abs(e.amount), o.lang);
  switch (e.kind) {
    case "issue":
      return fill(t.entryIssue, { amount });
    case "spend":
      return e.visitExternalId ? fill(t.entrySpendVisit, { visit: e.visitExternalId, amount }) : fill(t.entrySpend, { amount });
    case "gift":
      return fill(t.entryGift, { name: (e.patientId !== null ? o.names.get(e.patientId) : undefined) ?? "—" });
    case "expiry":
      return fill(t.entryExpiry, { amount });
  }
}

function patientLink(id: number | null, o: CertificatesPageInput) {
  if (id === null) return null;
  return html`<a href="/console/patients/${String(id)}">${o.names.get(id) ?? `#${id}`}</a>`;
}

function row(c: CertificateWithHistory, o: CertificatesPageInput) {
  const t = CERTIFICATE_TEXT[o.lang];
  const f = o.formats;
  const holder = patientLink(c.ownerPatientId, o);
  const buyer = c.buyerPatientId !== null && c.buyerPatientId !== c.ownerPatientId ? patientLink(c.buyerPatientId, o) : null;
  const state = c.expired
    ? html`<span class="tag off">${fill(t.expired, { date: f.date(c.expiresAt) })}</span>`
    : c.balance === 0
      ? html`<span class="tag muted">${t.spent}</span>`
      : html`${fill(t.until, { date: f.date(c.expiresAt) })}`;
  return html`<tr class="${c.expired || c.balance === 0 ? "gone" : ""}" data-code="${c.code}">
<td data-label="${t.code}"><span class="code">${c.code}</span></td>
<td data-label="${t.issued}"><span class="date">${f.date(c.issuedAt)}</span><div class="sub">${roubles(c.initialAmount, o.lang)}</div></td>
<td data-label="${t.holder}">${holder ?? html`<span class="sub">${t.noHolder}</span>`}${buyer ? html`<div class="sub">${raw(fill(t.boughtBy, { name: buyer.value }))}</div>` : ""}${c.sharing ? html`<div class="sub">${t.sharing}</div>` : ""}</td>
<td class="money" data-label="${t.balance}" data-cell="balance"><strong>${roubles(c.balance, o.lang)}</strong><div class="sub">${fill(t.of, { amount: roubles(c.initialAmount, o.lang) })}</div></td>
<td data-label="${t.expiry}">${state}</td>
<td class="history"><details><summary>${t.history} (${String(c.history.length)})</summary><ol>${c.history.map(
    (e) => html`<li data-kind="${e.kind}"><span class="when">${f.date(e.at)}</span> — ${entryText(e, o)}</li>`,
  )}</ol></details></td>
</tr>`;
}

export function certificatesPage(o: CertificatesPageInput & { nonce: string }): string {
  const t = CERTIFICATE_TEXT[o.lang];
  const back = o.query ? `/console/certificates?q=${encodeURIComponent(o.query)}` : "/console/certificates";
  const page = html`${documentHead({ lang: o.lang, title: `${t.title} — ${o.clinicName}`, nonce: o.nonce, style: STYLE })}
<body>
${consoleHeader({ lang: o.lang, active: "settings", back, clinicName: o.clinicName, operatorName: o.operatorName, admin: true, csrfToken: o.csrfToken })}
<main>
<a class="back" href="/console/settings#s-bonus">${t.backToSettings}</a>
<h1>${t.title}</h1>
<p class="intro">${t.intro}</p>
<section class="card">
<form class="find" method="get" action="/console/certificates" role="search">
<label>${t.search}<input name="q" value="${o.query}" autocomplete="off" spellcheck="false"></label>
<button type="submit" class="primary">${t.find}</button>
${o.query ? html`<a href="/console/certificates">${t.showAll}</a>` : ""}
<p class="hint">${t.searchHint}</p>
</form>
</section>
<section class="card">
${
  o.certificates.length === 0
    ? html`<p class="empty" id="empty">${o.query ? t.emptySearch : t.empty}</p>`
    : html`<table><thead><tr><th>${t.code}</th><th>${t.issued}</th><th>${t.holder}</th><th>${t.balance}</th><th>${t.expiry}</th><th>${t.history}</th></tr></thead>
<tbody>${o.certificates.map((c) => row(c, o))}</tbody></table>
<p class="count">${o.limited ? fill(t.limited, { count: o.limit }) : fill(t.count, { count: o.certificates.length })}</p>`
}
</section>
</main>
</body>
</html>`;
  return page.value;
}
