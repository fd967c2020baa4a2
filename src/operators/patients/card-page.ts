// /console/patients/:id: the patient card. Server-rendered; "Написать пациенту" is a plain form
// (CSRF field) that posts and comes back here with what became of the message.
import type { ConsentState } from "../../domain/consents/kinds.ts";
import type { DeliveryState, PatientCard } from "../../domain/patients/card.ts";
import { html, type SafeHtml } from "../../web-assets/html.ts";
import { describePayload } from "../console/conversation-view.ts";
import { CHANNEL_LABELS, CONVERSATION_LABELS, priorityLabel, reasonLabel } from "../console/labels.ts";
import type { ConsoleLang } from "../i18n.ts";
import { cardFormats, formatPhone, type CardFormats } from "./format.ts";
import { LOYALTY_TEXT, loyaltySection } from "./loyalty-section.ts";
import type { LoyaltySummary } from "../../domain/loyalty/summary.ts";
import { patientsShell, type ShellOptions } from "./page-shell.ts";
import { APPOINTMENT_STATUS, ESCALATION_STATUS, fill, FLOW_NAMES, FOLLOW_UP_STATUS, LEDGER_KIND, NPS_CATEGORY, PATIENT_TEXT, VISIT_STATUS } from "./texts.ts";

/** What the page says above the card after "Написать пациенту". */
export type CardNotice = { kind: "ok" | "error"; text: string; link?: { href: string; label: string } };

export interface CardPageOptions extends Omit<ShellOptions, "title"> {
  timezone: string;
  now: Date;
  card: PatientCard;
  notice?: CardNotice | null;
  /** The text the operator typed, kept when it could not be sent. */
  draft?: string;
  /** Status level, promo codes, certificates (docs/loyalty.md). */
  loyalty?: LoyaltySummary;
}

type T = (typeof PATIENT_TEXT)["ru"];

function section(title: string, content: SafeHtml | string, wide = false, id?: string): SafeHtml {
  return html`<section class="box${wide ? " wide" : ""}"${id ? html` id="${id}"` : ""} aria-label="${title}"><h2>${title}</h2>${content}</section>`;
}

function table(t: T, head: string[], rows: SafeHtml[]): SafeHtml {
  if (rows.length === 0) return html`<p class="hint">${t.none}</p>`;
  return html`<div class="scroll"><table><thead><tr>${head.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

export function deliveryLabel(lang: ConsoleLang, d: DeliveryState, f: CardFormats, now: Date): SafeHtml {
  const t = PATIENT_TEXT[lang];
  if (d.state === "waiting") return html`<span class="tag warn">${fill(t.willSendAt, { time: f.time(d.dueAt, now) })}</span>`;
  if (d.state === "sent") return html`<span class="tag ok">${d.at ? fill(t.delivered, { time: f.time(d.at, now) }) : t.delivered.replace(" {time}", "")}</span>`;
  if (d.state === "skipped") return html`<span class="tag off">${t.notSent}</span>`;
  return html`<span class="tag off">${t.failed}</span>`;
}

export function patientCardPage(o: CardPageOptions): string {
  const t = PATIENT_TEXT[o.lang];
  const f = cardFormats(o.lang, o.timezone);
  const { card } = o;
  const p = card.patient;
  const channel = (c: string) => CHANNEL_LABELS[o.lang][c] ?? c;

  const facts = html`<dl class="facts">
<dt>${t.birthday}</dt><dd>${f.birthday(p.birthDate) ?? t.notGiven}</dd>
<dt>${t.phone}</dt><dd>${p.phone ? html`<a href="tel:${p.phone}">${formatPhone(p.phone)}</a>` : t.notGiven}</dd>
<dt>${t.bonus}</dt><dd>${fill(t.balance, { n: card.bonus.balance })}${
    card.bonus.expiringTotal && card.bonus.nextExpiry ? html` · ${fill(t.expiring, { n: card.bonus.expiringTotal, date: f.date(card.bonus.nextExpiry) })}` : ""
  }</dd>
${p.tags.length ? html`<dt>${t.tags}</dt><dd><span class="tags">${p.tags.map((tag) => html`<span class="tag muted">${tag}</span>`)}</span></dd>` : ""}
</dl>`;

  const sourceName = { chat: t.srcChat, mis: t.srcMis, import: t.srcImport, paper: t.srcPaper, console: t.srcConsole };
  // One consent in force: given or withdrawn, when, where, and the form's version (a chat's is a hash, in the export).
  const consentRow = (label: string, state: ConsentState | null, none: string) =>
    html`<dt>${label}</dt><dd>${
      state
        ? html`<span class="tag ${state.granted ? "ok" : "off"}">${fill(state.granted ? t.consentGiven : t.consentWithdrawn, { date: f.date(state.at) })}</span> · ${fill(t.source, { source: sourceName[state.source] })}${state.source === "chat" ? "" : html` · ${fill(t.textVersion, { version: state.textVersion })}`}`
        : none
    }</dd>`;
  // Family ties (docs/loyalty.md «Семьи»): each person links to their own card.
  const familyRow = (label: string, people: { id: number; fullName: string }[]) =>
    people.length === 0 ? "" : html`<dt>${label}</dt><dd>${people.map((person, i) => html`${i > 0 ? ", " : ""}<a href="/console/patients/${person.id}">${person.fullName}</a>`)}</dd>`;
  const consents = html`<dl class="facts">
${consentRow(t.consentPersonalData, p.consents.personal_data, t.consentNone)}
${consentRow(t.consentCare, p.consents.care_messages, t.careByDefault)}
${consentRow(t.consentAdvertising, p.consents.advertising, t.consentNone)}
${consentRow(t.consentMedical, p.consents.medical, t.consentNone)}
${familyRow(t.familyWards, p.family.wards)}${familyRow(t.familyGuardians, p.family.guardians)}
<dt>${t.messages}</dt><dd>${
    p.optedOutAt
      ? html`<span class="tag off">${fill(t.optedOut, { date: f.date(p.optedOutAt) })}</span>${p.optOutSource ? html` · ${fill(t.source, { source: p.optOutSource })}` : ""}`
      : html`<span class="tag ok">${t.receives}</span>`
  }</dd>
</dl>`;

  const chats =
    card.identities.length === 0
      ? html`<p class="hint">${t.noChannel}</p>`
      : html`<ul class="tags" data-testid="chats">${card.identities.map(
          (i) => html`<li class="tag${i.channel === "web" ? " muted" : i.reachable ? " ok" : " off"}">${channel(i.channel)} · ${
            i.channel === "web" ? t.preview : i.reachable ? t.reachable : t.unreachable
          }${p.preferredChannel === i.channel ? html` · ${t.preferred}` : ""}${i.lastInboundAt ? html` · ${fill(t.lastWrote, { date: f.date(i.lastInboundAt) })}` : ""}</li>`,
        )}</ul>`;

  const reachable = card.identities.some((i) => i.reachable);
  const writeBlocked = p.optedOutAt ? fill(t.optedOutError, { date: f.date(p.optedOutAt) }) : !reachable ? t.noChannelError : null;
  const write = html`<form class="write" method="post" action="/console/patients/${p.id}/messages">
<input type="hidden" name="_csrf" value="${o.csrfToken}">
<p class="hint">${writeBlocked ?? t.writeHint}</p>
<label for="text" class="hint">${t.writeLabel}</label>
<textarea id="text" name="text" maxlength="4000" required${writeBlocked ? " disabled" : ""}>${o.draft ?? ""}</textarea>
<div class="buttons"><button type="submit" class="primary"${writeBlocked ? " disabled" : ""}>${t.send}</button></div>
</form>`;

  const messages =
    card.messages.length === 0
      ? html`<p class="hint">${t.none}</p>`
      : html`<ol class="messages">${card.messages.map((m) => {
          const who = m.direction === "inbound" ? t.fromPatient : m.operator ? fill(t.fromOperator, { name: m.operator }) : t.fromBot;
          return html`<li class="${m.direction}" data-testid="card-message"><span class="who">${who} · ${m.channel ? channel(m.channel) : ""} · ${f.dateTime(m.at)}</span><span class="text">${m.text ?? describePayload(m.payload) ?? "—"}</span>${
            m.delivery ? html` ${deliveryLabel(o.lang, m.delivery, f, o.now)}` : ""
          }</li>`;
        })}</ol>`;

  const visits = table(
    t,
    [t.when, t.doctor, t.service, t.status],
    card.visits.map((v) => html`<tr><td class="nowrap">${f.dateTime(v.startsAt)}</td><td>${v.doctor}</td><td>${v.service}</td><td>${VISIT_STATUS[o.lang][v.status] ?? v.status}</td></tr>`),
  );
  const followUps = table(
    t,
    [t.when, t.service, t.doctor, t.status],
    card.followUps.map(
      (x) => html`<tr><td class="nowrap">${f.date(x.dueAt)}</td><td>${x.service}</td><td>${x.doctor ?? "—"}</td><td>${FOLLOW_UP_STATUS[o.lang][x.status] ?? x.status}${x.missedAt && x.status === "open" ? html` · ${t.missed}` : ""}</td></tr>`,
    ),
  );
  const appointments = table(
    t,
    [t.when, t.doctor, t.service, t.status],
    card.appointments.map(
      (a) => html`<tr><td class="nowrap">${f.dateTime(a.startsAt)}</td><td>${a.doctor}</td><td>${a.service}</td><td>${APPOINTMENT_STATUS[o.lang][a.status] ?? a.status}${a.confirmedAt && a.status === "booked" ? html` · ${t.confirmed}` : ""}</td></tr>`,
    ),
  );
  const ledger = table(
    t,
    [t.when, t.kind, t.amount, ""],
    card.ledger.map(
      (e) => html`<tr><td class="nowrap">${f.date(e.createdAt)}</td><td>${LEDGER_KIND[o.lang][e.kind] ?? e.kind}</td><td class="num ${e.amount >= 0 ? "plus" : "minus"}">${e.amount > 0 ? "+" : e.amount < 0 ? "−" : ""}${Math.abs(e.amount)}</td><td class="hint">${
        e.expiresAt ? fill(t.expires, { date: f.date(e.expiresAt) }) : ""
      }</td></tr>`,
    ),
  );
  const nps = table(
    t,
    [t.when, t.score, t.doctor, t.comment],
    card.nps.map((n) => html`<tr><td class="nowrap">${f.date(n.createdAt)}</td><td class="num">${n.score} <span class="hint">${NPS_CATEGORY[o.lang][n.category] ?? n.category}</span></td><td>${n.doctor ?? "—"}</td><td>${n.comment ?? "—"}</td></tr>`),
  );
  const conversations = table(
    t,
    [t.when, t.flow, t.status, ""],
    card.conversations.map(
      (c) => html`<tr><td class="nowrap">${f.dateTime(c.startedAt)}</td><td>${FLOW_NAMES[o.lang][c.flowId] ?? c.flowId} · ${channel(c.channel)}${
        c.lastMessage ? html`<br><span class="hint">${fill(t.lastMessage, { date: f.dateTime(c.lastMessage.createdAt) })}</span>` : ""
      }</td><td>${CONVERSATION_LABELS[o.lang][c.status] ?? c.status}${c.holder ? html` · ${fill(t.holder, { name: c.holder })}` : ""}</td><td><a href="/console?conversation=${c.id}">${t.openChat}</a></td></tr>`,
    ),
  );
  const escalations = table(
    t,
    [t.when, t.reason, t.priority, t.status],
    card.escalations.map(
      (e) => html`<tr><td class="nowrap">${f.dateTime(e.createdAt)}</td><td>${reasonLabel(o.lang, e.reason)}${e.summary ? html`<br><span class="hint">${e.summary}</span>` : ""}</td><td>${priorityLabel(o.lang, e.priority)}</td><td>${
        ESCALATION_STATUS[o.lang][e.status] ?? e.status
      }${e.conversationId ? html` · <a href="/console?conversation=${e.conversationId}">${t.openChat}</a>` : ""}</td></tr>`,
    ),
  );

  const notice = o.notice
    ? html`<p class="notice${o.notice.kind === "error" ? " error" : ""}" role="status" data-testid="notice">${o.notice.text}${o.notice.link ? html` <a href="${o.notice.link.href}">${o.notice.link.label}</a>` : ""}</p>`
    : "";
  const body = html`<div class="card-head"><a class="back" href="/console/patients">${t.back}</a></div>
<div class="card-head"><h1>${p.fullName}</h1></div>
${notice}
<div class="grid">
${section(t.cardTitle, facts)}
${section(t.consents, consents)}
${section(t.chats, chats, true)}
${section(t.write, write, false, "write")}
${section(t.recent, messages)}
${section(t.visits, visits, true)}
${section(t.appointments, appointments)}
${section(t.followUps, followUps)}
${o.loyalty ? section(LOYALTY_TEXT[o.lang].title, loyaltySection(o.lang, o.loyalty, f)) : ""}
${section(t.ledger, ledger)}
${section(t.nps, nps)}
${section(t.conversations, conversations, true)}
${section(t.escalations, escalations, true)}
</div>`;
  return patientsShell({ ...o, title: p.fullName }, body);
}
