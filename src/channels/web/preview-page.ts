// The flow preview page: plain HTML, one inline style and one inline script, no build step and
// nothing loaded from elsewhere. Every text from the API is put in with textContent, never as HTML.
import { DOM_HELPERS } from "../../web-assets/page-script.ts";
import { BASE_STYLE } from "../../web-assets/page-style.ts";
import { escapeHtml } from "../../web-assets/html.ts";

export interface PreviewPageOptions {
  /** The Content-Security-Policy nonce of this response. */
  nonce: string;
  clinicName: string;
  /** Times are shown in the clinic's time zone. */
  timezone: string;
}

const STYLE = `${BASE_STYLE}
input[type=search],input[type=text],select{width:100%;border:1px solid var(--line);border-radius:8px;padding:.45rem .6rem;background:#fff;min-width:0}
input:focus,select:focus,button:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
header{display:flex;align-items:center;gap:.75rem;height:48px;padding:0 1rem;background:#1d2733;color:#fff}
header h1{font-size:1.05rem;margin:0;font-weight:600;white-space:nowrap}
header .clinic{color:#b8c4d3;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
main{display:grid;grid-template-columns:280px minmax(0,1fr) 330px;height:calc(100vh - 48px)}
.panel{background:var(--panel);min-height:0;display:flex;flex-direction:column}
.side{border-right:1px solid var(--line)}
.state{border-left:1px solid var(--line);overflow:auto;padding:.75rem 1rem 1rem}
h2{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:0 0 .5rem;font-weight:600}
.block{padding:.75rem 1rem;border-bottom:1px solid var(--line)}
.patients{flex:1;min-height:0;display:flex;flex-direction:column}
#patient-list{list-style:none;margin:.5rem 0 0;padding:0;overflow:auto;flex:1;min-height:0}
#patient-list button{display:block;width:100%;text-align:left;border:0;border-radius:6px;padding:.4rem .5rem;background:none}
#patient-list button:hover{background:#f1f5fb}
#patient-list button[aria-pressed=true]{background:#e3edff}
.p-name{display:block;font-weight:500}
.p-meta{display:block;font-size:.8rem;color:var(--muted)}
.p-meta .out{color:var(--warn)}
.row{display:flex;gap:.5rem;margin-top:.5rem}
.row>*{flex:1}
.flow-row{display:flex;gap:.5rem}
.flow-row select{flex:1}
#flow-description{margin:.4rem 0 0}
.actions{flex-direction:column}
.muted{color:var(--muted)}
.small{font-size:.85rem}
.chat{min-width:0}
.badge-sandbox{background:#2e7d32;color:#fff;border-radius:10px;padding:.1rem .5rem;font-size:.75rem;white-space:nowrap}
.sandbox{margin:0;padding:.45rem 1rem;background:#eef6ee;border-bottom:1px solid #b9d8b9;font-size:.8rem;line-height:1.35}
.sandbox span{display:block;color:var(--muted);margin-top:.15rem}
.chat-head{padding:.6rem 1rem;border-bottom:1px solid var(--line);display:flex;align-items:baseline;gap:.5rem;min-height:44px}
.chat-head strong{font-weight:600}
#messages{flex:1;min-height:0;overflow:auto;padding:1rem;background:#f7f9fb;display:flex;flex-direction:column;gap:.6rem}
.empty{margin:auto;text-align:center;color:var(--muted);max-width:22rem}
.msg{display:flex;flex-direction:column;max-width:78%}
.msg.patient{align-self:flex-end;align-items:flex-end}
.msg.clinic{align-self:flex-start;align-items:flex-start}
.msg.note{align-self:center;align-items:center;max-width:90%}
.who{font-size:.75rem;color:var(--muted);margin:0 .4rem .15rem}
.bubble{padding:.5rem .75rem;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere;box-shadow:0 1px 1px rgba(0,0,0,.06)}
.patient .bubble{background:var(--patient);border-bottom-right-radius:4px}
.clinic .bubble{background:var(--clinic);border:1px solid var(--line);border-bottom-left-radius:4px}
.note .bubble{background:#fff7e0;border:1px dashed #e3c26b;font-size:.85rem}
.options{display:flex;flex-wrap:wrap;gap:.35rem;margin-top:.4rem}
.options button{border-color:var(--accent);color:var(--accent);background:#fff;border-radius:16px;padding:.3rem .75rem;font-size:.9rem}
.options button:disabled{border-color:var(--line);color:var(--muted);opacity:1}
.composer{display:flex;gap:.5rem;padding:.6rem 1rem;border-top:1px solid var(--line);background:#fff}
.composer input{flex:1}
#notice{min-height:1.2rem;padding:0 1rem .4rem;font-size:.85rem;color:var(--warn);background:#fff}
dl{margin:0 0 1rem;display:grid;grid-template-columns:auto 1fr;gap:.25rem .75rem}
dt{color:var(--muted)}
dd{margin:0;overflow-wrap:anywhere}
pre{margin:0 0 1rem;background:#f4f6f9;border:1px solid var(--line);border-radius:6px;padding:.5rem;font-size:.8rem;overflow:auto;max-height:16rem;white-space:pre-wrap;overflow-wrap:anywhere}
.state ul{list-style:none;margin:0 0 1rem;padding:0}
.state li{padding:.35rem .5rem;border:1px solid var(--line);border-radius:6px;margin-bottom:.35rem;font-size:.9rem}
.state li.none{border:0;padding:0 0 .35rem;color:var(--muted)}
.badge{display:inline-block;font-size:.75rem;padding:0 .4rem;border-radius:8px;background:#e8edf3;color:var(--muted)}
.badge.bot{background:#e3f4e8;color:var(--ok)}
.badge.operator{background:#fff1d6;color:var(--warn)}
.badge.high,.badge.urgent{background:#ffe3e0;color:#b3261e}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em}
@media (max-width:900px){
  main{display:block;height:auto}
  .side{border-right:0;border-bottom:1px solid var(--line)}
  #patient-list{max-height:8.5rem}
  #flow-description{display:none}
  .actions{flex-direction:row}
  .actions button{font-size:.85rem;padding:.45rem .3rem;white-space:nowrap}
  .block{padding:.6rem 1rem}
  .chat{height:75vh;min-height:26rem;border-bottom:1px solid var(--line)}
  .state{border-left:0}
  .msg{max-width:88%}
  header .clinic{display:none}
}
`;

const SCRIPT = `
"use strict";
const $ = (id) => document.getElementById(id);
const TZ = document.body.dataset.tz || undefined;
const STATUS = { bot: "ведёт бот", operator: "у оператора", closed: "завершён" };
const PRIORITY = { urgent: "срочно", high: "высокий", normal: "обычный", low: "низкий" };
const ESC_STATUS = { open: "открыто", taken: "в работе", resolved: "решено" };
const REASON = {
  operator_request: "просит связаться с человеком", nps_detractor: "низкая оценка", health_complaint: "жалоба на самочувствие",
  unknown_phone: "неизвестный номер", rebook_other_time: "другое время записи", unrecognized_input: "бот не понял ответ",
  flow_error: "ошибка сценария", patient_message: "сообщение пациента", booking_request: "хочет записаться", visit_unconfirmed: "не подтвердил визит — позвонить",
};
const CATEGORY = { care: "забота о пациенте", transactional: "сервисный", marketing: "маркетинг" };
/* seq counts actions: a poll answered after an action started is stale and dropped. */
const view = { chatId: null, patient: null, state: null, shown: "", count: -1, busy: false, seq: 0 };

${DOM_HELPERS}
function fmt(iso, withDate) {
  const options = withDate ? { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" } : { hour: "2-digit", minute: "2-digit" };
  try { return new Date(iso).toLocaleString("ru-RU", { ...options, timeZone: TZ }); } catch (e) { return iso; }
}
function notice(text) { $("notice").textContent = text || ""; }

async function api(method, url, body) {
  const init = { method, headers: {} };
  if (body !== undefined) { init.headers["content-type"] = "application/json"; init.body = JSON.stringify(body); }
  const res = await fetch(url, init);
  let data = {};
  try { data = await res.json(); } catch (e) { /* not JSON */ }
  if (!res.ok) throw new Error(data.error || "ошибка " + res.status);
  return data;
}

/* Runs one action at a time; the controls wait while it runs. */
async function act(fn) {
  if (view.busy) return;
  const rerender = () => { controls(); if (view.state) renderChat(view.state.transcript, false); };
  view.busy = true; view.seq++; rerender(); notice("");
  try { await fn(); } catch (e) { notice(e.message); } finally { view.busy = false; rerender(); }
}

function controls() {
  const off = !view.chatId || view.busy;
  for (const id of ["text", "send", "start", "reset", "flow"]) $(id).disabled = off;
  const timers = view.state && view.state.conversation ? view.state.conversation.timers.length : 0;
  $("timers").disabled = off || timers === 0;
}

/* ---- patients ---- */
let searchTimer = 0;
async function loadPatients() {
  const q = $("search").value.trim();
  try {
    const { patients } = await api("GET", "/preview/api/patients" + (q ? "?q=" + encodeURIComponent(q) : ""));
    const list = $("patient-list");
    list.replaceChildren();
    if (patients.length === 0) list.append(el("li", "muted small", q ? "Никого не нашлось." : "В клинике пока нет пациентов."));
    for (const p of patients) {
      const b = el("button");
      b.type = "button";
      b.dataset.patientId = String(p.id);
      b.setAttribute("aria-pressed", String(view.patient && view.patient.id === p.id));
      b.append(el("span", "p-name", p.fullName));
      const meta = el("span", "p-meta", "№ " + p.id + " · баллов: " + p.balance.toLocaleString("ru-RU") + (p.locale ? " · " + p.locale : ""));
      if (p.optedOut) meta.append(" · ", el("span", "out", "отписан"));
      b.append(meta);
      b.addEventListener("click", () => pickPatient(p));
      const li = el("li"); li.append(b); list.append(li);
    }
  } catch (e) { notice(e.message); }
}

function pickPatient(p) {
  act(async () => {
    const { chatId } = await api("POST", "/preview/api/session", { patientId: p.id });
    view.patient = p; view.chatId = chatId; view.shown = ""; view.count = -1;
    for (const b of document.querySelectorAll("#patient-list button")) b.setAttribute("aria-pressed", String(b.dataset.patientId === String(p.id)));
    $("chat-title").textContent = p.fullName;
    $("chat-sub").textContent = "чат " + chatId;
    show(await api("GET", "/preview/api/state?chatId=" + encodeURIComponent(chatId)));
    $("text").focus();
  });
}

/* ---- flows ---- */
async function loadFlows() {
  try {
    const { flows } = await api("GET", "/preview/api/flows");
    const select = $("flow");
    select.replaceChildren();
    for (const f of flows) {
      const o = el("option", null, f.id + " (v" + f.version + ")");
      o.value = f.id; o.title = f.description;
      select.append(o);
    }
    if (DRAFT.flow && flows.some((f) => f.id === DRAFT.flow)) select.value = DRAFT.flow;
    describeFlow(flows);
    select.addEventListener("change", () => describeFlow(flows));
  } catch (e) { notice(e.message); }
}
function describeFlow(flows) {
  const f = flows.find((x) => x.id === $("flow").value);
  const draft = f && DRAFT.version && f.id === DRAFT.flow ? "Черновик версии " + DRAFT.version + " (ещё не опубликован) · " : "";
  $("flow-description").textContent = f ? draft + (CATEGORY[f.category] || f.category) + " · " + f.description : "";
}

/* ---- chat ---- */
function send(body) {
  return act(async () => show(await api("POST", "/preview/api/send", { chatId: view.chatId, ...body })));
}

function renderChat(transcript, force) {
  const box = $("messages");
  const key = JSON.stringify(transcript) + "|" + view.busy;
  if (!force && key === view.shown) return;
  const grew = transcript.length !== view.count;
  view.shown = key;
  view.count = transcript.length;
  box.replaceChildren();
  if (transcript.length === 0) {
    box.append(el("p", "empty", view.chatId ? "Сообщений пока нет. Напишите, например, «меню» или запустите сценарий слева." : "Выберите пациента слева: вы будете писать от его имени, как из мессенджера."));
    return;
  }
  transcript.forEach((m, i) => {
    const last = i === transcript.length - 1;
    const side = m.direction === "inbound" ? "patient" : m.direction === "note" ? "note" : "clinic";
    const who = side === "patient" ? "Пациент" : side === "note" ? "Заметка" : m.operator ? "Клиника · оператор" : "Клиника";
    const wrap = el("div", "msg " + side);
    wrap.dataset.testid = "message";
    wrap.dataset.direction = m.direction;
    wrap.append(el("div", "who", who + " · " + fmt(m.at, false)), el("div", "bubble", m.text));
    if ((m.options && m.options.length) || m.requestContact) {
      const opts = el("div", "options");
      for (const o of m.options || []) {
        const b = el("button", null, o.label);
        b.type = "button"; b.disabled = !last || view.busy;
        b.addEventListener("click", () => send({ choice: o.value }));
        opts.append(b);
      }
      if (m.requestContact) {
        const b = el("button", null, "Поделиться номером");
        b.type = "button"; b.disabled = !last || view.busy;
        b.addEventListener("click", () => send({ contact: true }));
        opts.append(b);
      }
      wrap.append(opts);
    }
    box.append(wrap);
  });
  if (grew) box.scrollTop = box.scrollHeight;
}

/* ---- state ---- */
function renderState(state) {
  const c = state.conversation;
  const flow = $("state-flow");
  flow.replaceChildren();
  if (!c) {
    flow.append(el("p", "muted small", view.chatId ? "Разговора ещё нет." : "Выберите пациента."));
  } else {
    const dl = el("dl");
    const row = (label, value) => { dl.append(el("dt", null, label)); const dd = el("dd"); dd.append(value); dl.append(dd); };
    const id = el("code", null, c.flowId); id.dataset.testid = "state-flow-id";
    const flowLine = document.createDocumentFragment(); flowLine.append(id, " v" + c.flowVersion);
    row("Сценарий", flowLine);
    row("Состояние", el("code", null, c.state));
    row("Статус", el("span", "badge " + c.status, STATUS[c.status] || c.status));
    row("Разговор", "№ " + c.id);
    flow.append(dl, el("h2", null, "Контекст"), el("pre", null, JSON.stringify(c.context, null, 2)));
  }
  const timers = $("state-timers");
  timers.replaceChildren();
  const pending = c ? c.timers : [];
  if (pending.length === 0) timers.append(el("li", "none", "Нет"));
  for (const t of pending) {
    const li = el("li");
    li.append(el("strong", null, fmt(t.dueAt, true)), " ", el("code", "muted", t.event));
    timers.append(li);
  }
  const esc = $("state-escalations");
  esc.replaceChildren();
  if (state.escalations.length === 0) esc.append(el("li", "none", "Нет"));
  for (const e of state.escalations) {
    const li = el("li");
    li.dataset.testid = "escalation";
    li.append(
      el("span", "badge " + e.priority, PRIORITY[e.priority] || e.priority), " ",
      el("span", "badge", ESC_STATUS[e.status] || e.status), " ",
      el("strong", null, "№ " + e.id + " "), REASON[e.reason] || e.reason,
      el("div", "muted small", "ответить до " + fmt(e.slaDueAt, true) + " · " + e.reason),
    );
    esc.append(li);
  }
}

function show(state) {
  view.state = state;
  renderChat(state.transcript, false);
  renderState(state);
  controls();
}

async function poll() {
  if (!view.chatId || view.busy || document.hidden) return;
  const seq = view.seq;
  try {
    const state = await api("GET", "/preview/api/state?chatId=" + encodeURIComponent(view.chatId));
    if (seq === view.seq && !view.busy) show(state);
  } catch (e) { if (seq === view.seq) notice(e.message); }
}

$("search").addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(loadPatients, 250); });
$("composer").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const text = $("text").value;
  if (!text.trim()) return;
  $("text").value = "";
  send({ text }).then(() => $("text").focus());
});
/* The console's "try the draft" opens /preview?flow=<id>&draft=<version>: that flow starts on the draft. */
const DRAFT = (() => { const q = new URLSearchParams(location.search); const v = Number(q.get("draft")); return { flow: q.get("flow"), version: Number.isInteger(v) && v > 0 ? v : null }; })();
const draftFor = (flowId) => (DRAFT.version && flowId === DRAFT.flow ? { draft: DRAFT.version } : {});
$("start").addEventListener("click", () => act(async () => show(await api("POST", "/preview/api/start", { chatId: view.chatId, flowId: $("flow").value, ...draftFor($("flow").value) }))));
$("reset").addEventListener("click", () => act(async () => show(await api("POST", "/preview/api/reset", { chatId: view.chatId }))));
$("timers").addEventListener("click", () => act(async () => {
  const state = await api("POST", "/preview/api/timers", { chatId: view.chatId });
  show(state);
  notice(state.fired ? "" : "Срабатывать было нечему.");
}));
setInterval(poll, 3000);
controls();
renderChat([], true);
renderState({ conversation: null, escalations: [] });
loadPatients();
loadFlows();
`;

export function previewPage(options: PreviewPageOptions): string {
  const nonce = escapeHtml(options.nonce);
  return `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Предпросмотр сценариев — CareBot</title>
<link rel="icon" href="data:,">
<style nonce="${nonce}">${STYLE}</style>
</head>
<body data-tz="${escapeHtml(options.timezone)}">
<header><h1>Предпросмотр сценариев</h1><span class="badge-sandbox" title="Песочница: данные клиники не меняются">песочница</span><span class="clinic">${escapeHtml(options.clinicName)}</span></header>
<main>
  <aside class="panel side" aria-label="Пациент и сценарий">
    <section class="block patients">
      <h2><label for="search">Пациент</label></h2>
      <input id="search" type="search" placeholder="Поиск по имени" autocomplete="off">
      <ul id="patient-list" data-testid="patients"></ul>
    </section>
    <section class="block">
      <h2><label for="flow">Сценарий</label></h2>
      <div class="flow-row"><select id="flow"></select><button id="start" type="button" class="primary">Запустить</button></div>
      <p id="flow-description" class="muted small"></p>
    </section>
    <section class="block">
      <div class="row actions">
        <button id="reset" type="button" title="Начать заново: новая копия данных пациента, переписка и разговоры этого чата удаляются">Сбросить</button>
        <button id="timers" type="button" title="Сработать ближайшему таймеру сценария сейчас">Пропустить ожидание</button>
      </div>
    </section>
  </aside>
  <section class="panel chat" aria-label="Чат">
    <div class="chat-head"><strong id="chat-title">Чат</strong><span id="chat-sub" class="muted small">пациент не выбран</span></div>
    <p class="sandbox" role="note" data-testid="sandbox">
      <strong>Песочница.</strong> Сценарии настоящие, данные — копия клиники и пациента: записи, баллы, оценки, обращения и сообщения отсюда не попадут ни в данные клиники, ни в сводку, ни в МИС, ни в очередь операторов.
    </p>
    <div id="messages" data-testid="messages" aria-live="polite"></div>
    <form id="composer" class="composer">
      <input id="text" type="text" placeholder="Сообщение от пациента" autocomplete="off" aria-label="Сообщение">
      <button id="send" type="submit" class="primary">Отправить</button>
    </form>
    <div id="notice" role="status"></div>
  </section>
  <aside class="panel state" aria-label="Состояние" data-testid="state">
    <h2>Состояние</h2>
    <div id="state-flow"></div>
    <h2>Таймеры</h2>
    <ul id="state-timers"></ul>
    <h2>Открытые обращения</h2>
    <ul id="state-escalations" data-testid="escalations"></ul>
  </aside>
</main>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>`;
}
