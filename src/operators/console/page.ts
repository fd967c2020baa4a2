// The console page: plain HTML, one inline style and one inline script (CSP nonce), no build step
// and nothing loaded from elsewhere. Every text from the API goes in with textContent, never as HTML.
import { BASE_STYLE } from "../../api/page-style.ts";
import { escapeHtml } from "../page-headers.ts";

export interface ConsolePageOptions {
  nonce: string;
  csrfToken: string;
  clinicName: string;
  timezone: string;
  operatorName: string;
  /** Admins also see WhatsApp's login QR. */
  admin?: boolean;
  operatorId: number;
}

const STYLE = `${BASE_STYLE}
button.danger{border-color:var(--urgent);color:var(--urgent)}
textarea{width:100%;border:1px solid var(--line);border-radius:8px;padding:.45rem .6rem;resize:vertical;min-height:2.6rem}
textarea:focus,button:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
header{display:flex;align-items:center;gap:.75rem;height:48px;padding:0 1rem;background:#1d2733;color:#fff}
header h1{font-size:1.05rem;margin:0;font-weight:600;white-space:nowrap}
header .clinic{color:#b8c4d3;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;flex:1}
header .me{color:#dfe6ee;white-space:nowrap}
header button{background:transparent;color:#fff;border-color:#4a5868;padding:.25rem .6rem}
#live{font-size:.75rem;color:#8fd19e}
#live.off{color:#f2a38f}
main{display:grid;grid-template-columns:330px minmax(0,1fr) 300px;height:calc(100vh - 48px)}
.panel{background:var(--panel);min-height:0;display:flex;flex-direction:column}
.queue{border-right:1px solid var(--line)}
.card{border-left:1px solid var(--line);overflow:auto;padding:.75rem 1rem}
h2{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:.25rem 0 .5rem;font-weight:600}
.qhead{padding:.75rem 1rem .25rem;display:flex;justify-content:space-between;align-items:baseline}
#queue{list-style:none;margin:0;padding:0 .5rem .5rem;overflow:auto;flex:1;min-height:0}
#queue li{margin-bottom:.4rem}
#queue button{display:block;width:100%;text-align:left;border-radius:8px;padding:.5rem .6rem;border-left:4px solid var(--line)}
#queue button.urgent{border-left-color:var(--urgent);background:#fff6f5}
#queue button.high{border-left-color:var(--warn)}
#queue button[aria-pressed=true]{background:#e3edff;border-color:var(--accent)}
.q-top{display:flex;gap:.35rem;align-items:center;flex-wrap:wrap}
.q-name{font-weight:600;margin-right:auto}
.q-reason{display:block;font-size:.85rem}
.q-meta{display:block;font-size:.78rem;color:var(--muted)}
.badge{display:inline-block;font-size:.72rem;padding:0 .4rem;border-radius:8px;background:#e8edf3;color:var(--muted);white-space:nowrap}
.badge.urgent,.badge.overdue{background:#ffe3e0;color:var(--urgent);font-weight:600}
.badge.high{background:#fff1d6;color:var(--warn)}
.badge.taken{background:#e3edff;color:var(--accent)}
.badge.operator{background:#fff1d6;color:var(--warn)}
.badge.bot{background:#e3f4e8;color:var(--ok)}
.empty{margin:auto;text-align:center;color:var(--muted);max-width:22rem;padding:1rem}
.chat{min-width:0}
.chat-head{padding:.6rem 1rem;border-bottom:1px solid var(--line);display:flex;align-items:center;gap:.5rem;flex-wrap:wrap;min-height:48px}
.chat-head strong{font-weight:600;margin-right:auto}
#messages{flex:1;min-height:0;overflow:auto;padding:1rem;background:#f7f9fb;display:flex;flex-direction:column;gap:.55rem}
.msg{display:flex;flex-direction:column;max-width:78%}
.msg.inbound{align-self:flex-start;align-items:flex-start}
.msg.outbound{align-self:flex-end;align-items:flex-end}
.msg.note{align-self:center;align-items:center;max-width:90%}
.who{font-size:.72rem;color:var(--muted);margin:0 .4rem .1rem}
.bubble{padding:.45rem .7rem;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere;box-shadow:0 1px 1px rgba(0,0,0,.06)}
.inbound .bubble{background:#fff;border:1px solid var(--line);border-bottom-left-radius:4px}
.outbound .bubble{background:#d7e8ff;border-bottom-right-radius:4px}
.outbound.by-operator .bubble{background:#cdeccf}
.note .bubble{background:#fff7e0;border:1px dashed #e3c26b;font-size:.85rem}
.composer{display:grid;grid-template-columns:1fr auto;gap:.5rem;padding:.6rem 1rem;border-top:1px solid var(--line);background:#fff}
.composer .buttons{display:flex;flex-direction:column;gap:.35rem}
.actions{display:flex;gap:.4rem;flex-wrap:wrap}
#notice{min-height:1.2rem;padding:0 1rem .4rem;font-size:.85rem;color:var(--urgent);background:#fff}
dl{margin:0 0 1rem;display:grid;grid-template-columns:auto 1fr;gap:.2rem .75rem;font-size:.9rem}
dt{color:var(--muted)}
dd{margin:0;overflow-wrap:anywhere}
.card ul{list-style:none;margin:0 0 1rem;padding:0;font-size:.88rem}
.card li{padding:.3rem .5rem;border:1px solid var(--line);border-radius:6px;margin-bottom:.3rem}
.card li.none{border:0;padding:0;color:var(--muted)}
.esc{display:flex;justify-content:space-between;gap:.5rem;align-items:center}
.muted{color:var(--muted)}
@media (max-width:900px){
  main{display:block;height:auto}
  .queue{border-right:0;border-bottom:1px solid var(--line)}
  #queue{max-height:40vh}
  .chat{height:80vh;min-height:26rem;border-bottom:1px solid var(--line)}
  .card{border-left:0}
  .msg{max-width:90%}
  header .clinic,#live,header .me{display:none}
  header h1{flex:1;font-size:1rem}
  .chat-head .actions{width:100%}
}
`;

const SCRIPT = `
"use strict";
const $ = (id) => document.getElementById(id);
const CSRF = document.querySelector('meta[name="csrf-token"]').content;
const ME = Number(document.body.dataset.operator);
const TZ = document.body.dataset.tz || undefined;
const TITLE = document.title;
const PRIORITY = { urgent: "срочно", high: "высокий", normal: "обычный", low: "низкий" };
const REASON = {
  operator_request: "просит связаться с человеком", nps_detractor: "низкая оценка", health_complaint: "жалоба на самочувствие",
  unknown_phone: "неизвестный номер", rebook_other_time: "другое время записи", unrecognized_input: "бот не понял ответ",
  flow_error: "ошибка сценария", new_patient: "новый пациент",
};
const CONV = { bot: "ведёт бот", operator: "у оператора", closed: "завершён" };
const CHANNEL = { telegram: "Telegram", whatsapp: "WhatsApp", web: "веб" };
const state = { queue: [], current: null, view: null, busy: false, unseenUrgent: 0 };

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}
function fmt(iso, withDate) {
  if (!iso) return "—";
  const options = withDate ? { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" } : { hour: "2-digit", minute: "2-digit" };
  try { return new Date(iso).toLocaleString("ru-RU", { ...options, timeZone: TZ }); } catch (e) { return iso; }
}
function notice(text) { $("notice").textContent = text || ""; }

async function api(method, url, body) {
  const init = { method, headers: { accept: "application/json" }, credentials: "same-origin" };
  if (method !== "GET") init.headers["x-csrf-token"] = CSRF;
  if (body !== undefined) { init.headers["content-type"] = "application/json"; init.body = JSON.stringify(body); }
  const res = await fetch(url, init);
  if (res.status === 401) { location.href = "/console/login"; throw new Error("нужно войти снова"); }
  let data = {};
  try { data = await res.json(); } catch (e) { /* not JSON */ }
  if (!res.ok) {
    if (res.status === 409 && data.holder) throw new Error("Диалог уже ведёт " + data.holder);
    throw new Error(data.error || "ошибка " + res.status);
  }
  return data;
}

async function act(fn) {
  if (state.busy) return;
  state.busy = true; controls(); notice("");
  try { await fn(); } catch (e) { notice(e.message); } finally { state.busy = false; controls(); }
}

function updateTitle() {
  document.title = state.unseenUrgent > 0 ? "(" + state.unseenUrgent + ") срочно — " + TITLE : TITLE;
  $("urgent-count").textContent = state.unseenUrgent > 0 ? "новых срочных: " + state.unseenUrgent : "";
}
function beep() {
  try {
    const ctx = new (window.AudioContext || window.webkitAudioContext)();
    const osc = ctx.createOscillator(); const gain = ctx.createGain();
    osc.frequency.value = 880; gain.gain.value = 0.08; osc.connect(gain); gain.connect(ctx.destination);
    osc.start(); osc.stop(ctx.currentTime + 0.35); osc.onended = () => ctx.close();
  } catch (e) { /* no sound available */ }
}
function seen() { if (document.visibilityState === "visible" && state.unseenUrgent) { state.unseenUrgent = 0; updateTitle(); } }
document.addEventListener("visibilitychange", seen);
window.addEventListener("focus", seen);

async function loadQueue() {
  const data = await api("GET", "/console/api/queue");
  state.queue = data.queue;
  renderQueue();
}

function renderQueue() {
  const list = $("queue");
  list.replaceChildren();
  $("queue-count").textContent = String(state.queue.length);
  if (state.queue.length === 0) { list.append(el("li", "empty", "Очередь пуста: все обращения разобраны.")); return; }
  for (const item of state.queue) {
    const li = el("li");
    const b = el("button", item.priority);
    b.type = "button";
    b.dataset.testid = "queue-item";
    b.dataset.escalation = String(item.id);
    b.setAttribute("aria-pressed", String(item.conversationId !== null && item.conversationId === state.current));
    const top = el("span", "q-top");
    top.append(el("span", "q-name", item.patientName));
    top.append(el("span", "badge " + item.priority, PRIORITY[item.priority] || item.priority));
    if (item.overdue) top.append(el("span", "badge overdue", "просрочено"));
    if (item.status === "taken") top.append(el("span", "badge taken", "в работе"));
    b.append(top);
    b.append(el("span", "q-reason", REASON[item.reason] || item.reason));
    if (item.summary) b.append(el("span", "q-meta", item.summary));
    const who = item.takenBy ? " · ведёт " + item.takenBy.name : "";
    b.append(el("span", "q-meta", "ответить до " + fmt(item.slaDueAt, true) + (item.channel ? " · " + (CHANNEL[item.channel] || item.channel) : "") + who));
    if (item.conversationId === null) b.disabled = true;
    b.addEventListener("click", () => open(item.conversationId));
    li.append(b);
    list.append(li);
  }
}

async function open(conversationId) {
  if (conversationId === null) return;
  state.current = conversationId;
  renderQueue();
  await refreshConversation();
}

async function refreshConversation() {
  if (state.current === null) return;
  const id = state.current;
  try {
    const view = await api("GET", "/console/api/conversations/" + id);
    if (state.current !== id) return;
    state.view = view;
    renderConversation();
  } catch (e) { notice(e.message); }
}

function held() { const v = state.view; return v && v.conversation.status === "operator" && v.conversation.holder && v.conversation.holder.id === ME; }

function controls() {
  const v = state.view;
  const off = !v || state.busy;
  const mine = held();
  const other = v && v.conversation.status === "operator" && !mine;
  $("take").disabled = off || mine || other;
  $("take").textContent = other ? "Ведёт " + v.conversation.holder.name : mine ? "Диалог у вас" : "Взять диалог";
  $("hand-back").disabled = off || !mine;
  $("reply").disabled = off || !mine;
  $("text").disabled = !v;
  $("text").placeholder = mine ? "Ответ пациенту или заметка" : "Заметка для коллег (ответить можно, взяв диалог)";
  $("note").disabled = off;
}

function renderConversation() {
  const v = state.view;
  const p = v.patient;
  $("chat-title").textContent = p ? p.fullName : "Пациент не привязан";
  const status = $("chat-status");
  status.className = "badge " + v.conversation.status;
  status.textContent = CONV[v.conversation.status] + (v.conversation.holder ? ": " + v.conversation.holder.name : "");
  $("chat-channel").textContent = CHANNEL[v.conversation.channel] || v.conversation.channel;
  const box = $("messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  box.replaceChildren();
  if (v.transcript.length === 0) box.append(el("p", "empty", "Сообщений пока нет."));
  for (const m of v.transcript) {
    const node = el("div", "msg " + m.direction + (m.operator && m.direction === "outbound" ? " by-operator" : ""));
    node.dataset.testid = "message";
    node.dataset.direction = m.direction;
    const who = m.direction === "inbound" ? "пациент" : m.direction === "note" ? "заметка · " + (m.operator || "") : m.operator ? "оператор · " + m.operator : "бот";
    node.append(el("span", "who", who + " · " + fmt(m.at, false)));
    node.append(el("div", "bubble", m.text || "—"));
    box.append(node);
  }
  if (atBottom || state.scrollToEnd) { box.scrollTop = box.scrollHeight; state.scrollToEnd = false; }
  renderCard();
  controls();
}

function list(title, items, render) {
  const card = $("card-body");
  card.append(el("h2", null, title));
  const ul = el("ul");
  if (items.length === 0) ul.append(el("li", "none", "нет"));
  for (const item of items) { const li = el("li"); render(li, item); ul.append(li); }
  card.append(ul);
}

function renderCard() {
  const v = state.view;
  const card = $("card-body");
  card.replaceChildren();
  list("Обращения", v.escalations, (li, e) => {
    li.className = "esc";
    const text = el("span", null, (REASON[e.reason] || e.reason) + " · до " + fmt(e.slaDueAt, true));
    li.append(text);
    const b = el("button", "danger", "Решено");
    b.type = "button";
    b.dataset.escalation = String(e.id);
    b.addEventListener("click", () => act(async () => { await api("POST", "/console/api/escalations/" + e.id + "/resolve"); await Promise.all([loadQueue(), refreshConversation()]); }));
    li.append(b);
  });
  const p = v.patient;
  if (!p) { card.append(el("p", "muted", "Чат не привязан к карточке пациента.")); return; }
  card.append(el("h2", null, "Пациент"));
  const dl = el("dl");
  const row = (k, val) => { dl.append(el("dt", null, k)); dl.append(el("dd", null, val)); };
  row("ФИО", p.fullName);
  row("Телефон", p.phone || "—");
  row("Баллы", String(p.bonus.balance) + (p.bonus.expiringTotal ? " (сгорит " + p.bonus.expiringTotal + ")" : ""));
  row("Согласие", p.consentAt ? "с " + fmt(p.consentAt, true) : "нет");
  row("Рассылки", p.optedOutAt ? "отказался " + fmt(p.optedOutAt, true) : "получает");
  card.append(dl);
  list("Визиты", p.visits, (li, x) => { li.textContent = fmt(x.startsAt, true) + " · " + x.service + " · " + x.doctor; });
  list("Ожидаемые визиты", p.followUps, (li, x) => { li.textContent = fmt(x.dueAt, true) + " · " + x.service + (x.missedAt ? " · пропущен" : ""); });
  list("Оценки NPS", p.nps, (li, x) => { li.textContent = x.score + " · " + fmt(x.createdAt, true) + (x.comment ? " · " + x.comment : ""); });
  list("Чаты", p.chats, (li, x) => { li.textContent = (CHANNEL[x.channel] || x.channel) + (x.unreachableAt ? " · недоступен" : ""); });
}

$("take").addEventListener("click", () => act(async () => { await api("POST", "/console/api/conversations/" + state.current + "/take"); await Promise.all([refreshConversation(), loadQueue()]); }));
$("hand-back").addEventListener("click", () => act(async () => { await api("POST", "/console/api/conversations/" + state.current + "/hand-back"); await Promise.all([refreshConversation(), loadQueue()]); }));
async function send(kind) {
  const text = $("text").value.trim();
  if (!text) { notice("Введите текст"); return; }
  await act(async () => {
    await api("POST", "/console/api/conversations/" + state.current + "/" + kind, { text });
    $("text").value = "";
    state.scrollToEnd = true;
    await refreshConversation();
  });
}
$("reply").addEventListener("click", () => send("reply"));
$("note").addEventListener("click", () => send("note"));
$("text").addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); send(held() ? "reply" : "note"); } });
$("logout").addEventListener("click", () => act(async () => { await api("POST", "/console/logout"); location.href = "/console/login"; }));

let queueTimer = null;
function queueSoon() { clearTimeout(queueTimer); queueTimer = setTimeout(() => loadQueue().catch((e) => notice(e.message)), 150); }
function connect() {
  const source = new EventSource("/console/api/events");
  source.addEventListener("open", () => { $("live").textContent = "онлайн"; $("live").className = ""; });
  source.addEventListener("error", () => { $("live").textContent = "нет связи…"; $("live").className = "off"; });
  source.addEventListener("transcript", (e) => {
    const data = JSON.parse(e.data);
    const v = state.view;
    if (v && (data.conversationId === state.current || data.identityId === v.conversation.identityId)) refreshConversation();
    queueSoon();
  });
  source.addEventListener("queue", queueSoon);
  source.addEventListener("urgent", () => {
    state.unseenUrgent++;
    updateTitle();
    beep();
    queueSoon();
  });
}

controls();
loadQueue().catch((e) => notice(e.message));
// Admins see WhatsApp's login QR while the session waits for one (the SVG comes from our server).
async function loadWhatsApp() {
  const res = await fetch("/console/api/whatsapp", { credentials: "same-origin" });
  if (!res.ok) return;
  const wa = await res.json();
  $("whatsapp").hidden = !wa.qrSvg;
  $("wa-qr").innerHTML = wa.qrSvg || "";
}
if (document.body.dataset.role === "admin") {
  loadWhatsApp().catch(() => {});
  setInterval(() => loadWhatsApp().catch(() => {}), 5_000);
}
setInterval(() => loadQueue().catch(() => {}), 60_000);
connect();
`;

export function consolePage(o: ConsolePageOptions): string {
  return `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<meta name="csrf-token" content="${escapeHtml(o.csrfToken)}">
<title>Консоль операторов — ${escapeHtml(o.clinicName)}</title>
<style nonce="${o.nonce}">${STYLE}</style>
</head>
<body data-tz="${escapeHtml(o.timezone)}" data-operator="${o.operatorId}" data-role="${o.admin ? "admin" : "operator"}">
<header>
<h1>Консоль операторов</h1>
<span class="clinic">${escapeHtml(o.clinicName)}</span>
<span id="live" class="off">подключение…</span>
<span class="me">${escapeHtml(o.operatorName)}</span>
<button type="button" id="logout">Выйти</button>
</header>
<main>
<section class="panel queue" aria-label="Очередь">
<div class="qhead"><h2>Очередь <span id="queue-count" class="badge">0</span></h2><span id="urgent-count" class="badge urgent" aria-live="polite"></span></div>
<ul id="queue"></ul>
</section>
<section class="panel chat" aria-label="Диалог">
<div class="chat-head"><strong id="chat-title">Выберите обращение в очереди</strong><span id="chat-channel" class="muted"></span><span id="chat-status" class="badge"></span>
<div class="actions"><button type="button" id="take" class="primary">Взять диалог</button><button type="button" id="hand-back">Вернуть боту</button></div></div>
<div id="messages"><p class="empty">Здесь появится переписка с пациентом. Сообщения приходят без перезагрузки страницы.</p></div>
<div id="notice" role="status" aria-live="polite"></div>
<div class="composer"><textarea id="text" rows="2" aria-label="Текст" placeholder="Ответ пациенту или заметка"></textarea>
<div class="buttons"><button type="button" id="reply" class="primary">Ответить</button><button type="button" id="note">Заметка</button></div></div>
</section>
<section id="whatsapp" class="panel whatsapp" hidden aria-label="WhatsApp"><h2>Подключите WhatsApp</h2>
<p>Откройте WhatsApp на телефоне клиники → «Связанные устройства» → «Привязать устройство» и отсканируйте код.</p><div id="wa-qr"></div></section>
<aside class="panel card" aria-label="Карточка пациента"><div id="card-body"><p class="muted">Карточка пациента: визиты, баллы, оценки, чаты.</p></div></aside>
</main>
<script nonce="${o.nonce}">${SCRIPT}</script>
</body>
</html>`;
}
