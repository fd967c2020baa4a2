// The queue page's script: plain browser JavaScript, no build step. Its words come from the
// page's JSON block (#texts) in the operator's language; API texts go in with textContent only.
import { DOM_HELPERS } from "../../api/page-script.ts";

export const CONSOLE_SCRIPT = `
"use strict";
const $ = (id) => document.getElementById(id);
const CSRF = document.querySelector('meta[name="csrf-token"]').content;
const ME = Number(document.body.dataset.operator);
const TZ = document.body.dataset.tz || undefined;
const TITLE = document.title;
const L = JSON.parse($("texts").textContent);
const T = L.t;
/** A text with its {name} places filled. */
function tr(key, values) { return T[key].replace(/\\{(\\w+)\\}/g, (_, name) => String(values && name in values ? values[name] : "")); }
const state = { queue: [], current: null, view: null, busy: false, unseenUrgent: 0, canned: [] };

${DOM_HELPERS}
function fmt(iso, withDate) {
  if (!iso) return "—";
  const options = withDate ? { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" } : { hour: "2-digit", minute: "2-digit" };
  try { return new Date(iso).toLocaleString(L.locale, { ...options, timeZone: TZ }); } catch (e) { return iso; }
}
function notice(text) { $("notice").textContent = text || ""; }

// On a phone one section shows at a time: the tabs pick it.
function show(view) {
  document.body.dataset.view = view;
  for (const tab of document.querySelectorAll(".tabs button")) tab.setAttribute("aria-selected", String(tab.dataset.view === view));
}
for (const tab of document.querySelectorAll(".tabs button")) tab.addEventListener("click", () => show(tab.dataset.view));

async function api(method, url, body) {
  const init = { method, headers: { accept: "application/json" }, credentials: "same-origin" };
  if (method !== "GET") init.headers["x-csrf-token"] = CSRF;
  if (body !== undefined) { init.headers["content-type"] = "application/json"; init.body = JSON.stringify(body); }
  const res = await fetch(url, init);
  if (res.status === 401) { location.href = "/console/login"; throw new Error(T.reloginNeeded); }
  let data = {};
  try { data = await res.json(); } catch (e) { /* not JSON */ }
  if (!res.ok) {
    if (res.status === 409 && data.holder) throw new Error(tr("heldBy", { name: data.holder }));
    throw new Error(data.error || tr("httpError", { status: res.status }));
  }
  return data;
}

async function act(fn) {
  if (state.busy) return;
  state.busy = true; controls(); notice("");
  try { await fn(); } catch (e) { notice(e.message); } finally { state.busy = false; controls(); }
}

function updateTitle() {
  document.title = state.unseenUrgent > 0 ? tr("urgentTitle", { n: state.unseenUrgent, title: TITLE }) : TITLE;
  $("urgent-count").textContent = state.unseenUrgent > 0 ? tr("urgentCount", { n: state.unseenUrgent }) : "";
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
  if (state.queue.length === 0) { list.append(el("li", "empty", T.queueEmpty)); return; }
  for (const item of state.queue) {
    const li = el("li");
    const b = el("button", item.priority);
    b.type = "button";
    b.dataset.testid = "queue-item";
    b.dataset.escalation = String(item.id);
    b.setAttribute("aria-pressed", String(item.conversationId !== null && item.conversationId === state.current));
    const top = el("span", "q-top");
    top.append(el("span", "q-name", item.patientName));
    top.append(el("span", "badge " + item.priority, L.priority[item.priority] || item.priority));
    if (item.overdue) top.append(el("span", "badge overdue", T.overdue));
    if (item.status === "taken") top.append(el("span", "badge taken", T.inWork));
    b.append(top);
    b.append(el("span", "q-reason", L.reason[item.reason] || item.reason));
    if (item.summary) b.append(el("span", "q-meta", item.summary));
    const parts = [tr("answerBy", { time: fmt(item.slaDueAt, true) })];
    if (item.channel) parts.push(L.channel[item.channel] || item.channel);
    if (item.takenBy) parts.push(tr("ledBy", { name: item.takenBy.name }));
    b.append(el("span", "q-meta", parts.join(" · ")));
    if (item.conversationId === null) b.disabled = true;
    b.addEventListener("click", () => open(item.conversationId));
    li.append(b);
    list.append(li);
  }
}

async function open(conversationId) {
  if (conversationId === null) return;
  const changed = state.current !== conversationId;
  state.current = conversationId;
  show("chat");
  renderQueue();
  if (changed) { state.scrollToEnd = true; state.canned = []; renderCanned(); loadCanned(conversationId).catch((e) => notice(e.message)); }
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

// The clinic's canned replies, already written for this patient; picking one fills the reply box.
async function loadCanned(id) {
  const replies = await api("GET", "/console/api/conversations/" + id + "/canned");
  if (state.current !== id) return;
  state.canned = replies;
  renderCanned();
}
function renderCanned() {
  const select = $("canned");
  select.replaceChildren(el("option", null, T.canned));
  select.firstChild.value = "";
  state.canned.forEach((reply, i) => {
    const option = el("option", null, reply.title);
    option.value = String(i);
    select.append(option);
  });
  select.hidden = state.canned.length === 0;
}
$("canned").addEventListener("change", () => {
  const reply = state.canned[Number($("canned").value)];
  $("canned").value = "";
  if (!reply) return;
  if (reply.text === null) { notice(reply.error); return; }
  notice("");
  $("text").value = reply.text;
  $("text").focus();
});

function held() { const v = state.view; return v && v.conversation.status === "operator" && v.conversation.holder && v.conversation.holder.id === ME; }

function controls() {
  const v = state.view;
  const off = !v || state.busy;
  const mine = held();
  const other = v && v.conversation.status === "operator" && !mine;
  $("take").disabled = off || mine || other;
  $("take").textContent = other ? tr("takenBy", { name: v.conversation.holder.name }) : mine ? T.takenByYou : T.take;
  $("hand-back").disabled = off || !mine;
  $("reply").disabled = off || !mine;
  $("text").disabled = !v;
  $("canned").disabled = !v;
  $("text").placeholder = mine ? T.replyPlaceholder : T.notePlaceholder;
  $("note").disabled = off;
}

function renderConversation() {
  const v = state.view;
  const p = v.patient;
  $("chat-title").textContent = p ? p.fullName : T.unlinked;
  const status = $("chat-status");
  status.className = "badge " + v.conversation.status;
  status.textContent = (L.conversation[v.conversation.status] || v.conversation.status) + (v.conversation.holder ? ": " + v.conversation.holder.name : "");
  $("chat-channel").textContent = L.channel[v.conversation.channel] || v.conversation.channel;
  const box = $("messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  box.replaceChildren();
  if (v.transcript.length === 0) box.append(el("p", "empty", T.noMessages));
  for (const m of v.transcript) {
    const node = el("div", "msg " + m.direction + (m.operator && m.direction === "outbound" ? " by-operator" : ""));
    node.dataset.testid = "message";
    node.dataset.direction = m.direction;
    const who = m.direction === "inbound" ? T.fromPatient : m.direction === "note" ? tr("fromNote", { name: m.operator || "" }) : m.operator ? tr("fromOperator", { name: m.operator }) : T.fromBot;
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
  if (items.length === 0) ul.append(el("li", "none", T.none));
  for (const item of items) { const li = el("li"); render(li, item); ul.append(li); }
  card.append(ul);
}

function renderCard() {
  const v = state.view;
  const card = $("card-body");
  card.replaceChildren();
  list(T.escalations, v.escalations, (li, e) => {
    li.className = "esc";
    li.append(el("span", null, (L.reason[e.reason] || e.reason) + " · " + tr("until", { time: fmt(e.slaDueAt, true) })));
    const b = el("button", "danger", T.resolved);
    b.type = "button";
    b.dataset.escalation = String(e.id);
    b.addEventListener("click", () => act(async () => { await api("POST", "/console/api/escalations/" + e.id + "/resolve"); await Promise.all([loadQueue(), refreshConversation()]); }));
    li.append(b);
  });
  const p = v.patient;
  if (!p) { card.append(el("p", "muted", T.unlinkedCard)); return; }
  card.append(el("h2", null, T.patient));
  const dl = el("dl");
  const row = (k, val) => { dl.append(el("dt", null, k)); dl.append(el("dd", null, val)); };
  row(T.fullName, p.fullName);
  row(T.phone, p.phone || "—");
  row(T.points, String(p.bonus.balance) + (p.bonus.expiringTotal ? " (" + tr("expiring", { n: p.bonus.expiringTotal }) + ")" : ""));
  row(T.consent, p.consentAt ? tr("consentSince", { time: fmt(p.consentAt, true) }) : T.no);
  row(T.mailings, p.optedOutAt ? tr("optedOut", { time: fmt(p.optedOutAt, true) }) : T.receives);
  card.append(dl);
  list(T.visits, p.visits, (li, x) => { li.textContent = fmt(x.startsAt, true) + " · " + x.service + " · " + x.doctor; });
  list(T.followUps, p.followUps, (li, x) => { li.textContent = fmt(x.dueAt, true) + " · " + x.service + (x.missedAt ? " · " + T.missed : ""); });
  list(T.nps, p.nps, (li, x) => { li.textContent = x.score + " · " + fmt(x.createdAt, true) + (x.comment ? " · " + x.comment : ""); });
  list(T.chats, p.chats, (li, x) => { li.textContent = (L.channel[x.channel] || x.channel) + (x.unreachableAt ? " · " + T.unreachable : ""); });
}

$("take").addEventListener("click", () => act(async () => { await api("POST", "/console/api/conversations/" + state.current + "/take"); await Promise.all([refreshConversation(), loadQueue()]); }));
$("hand-back").addEventListener("click", () => act(async () => { await api("POST", "/console/api/conversations/" + state.current + "/hand-back"); await Promise.all([refreshConversation(), loadQueue()]); }));
async function send(kind) {
  const text = $("text").value.trim();
  if (!text) { notice(T.enterText); return; }
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

let queueTimer = null;
function queueSoon() { clearTimeout(queueTimer); queueTimer = setTimeout(() => loadQueue().catch((e) => notice(e.message)), 150); }
function connect() {
  const source = new EventSource("/console/api/events");
  source.addEventListener("open", () => { $("live").textContent = T.online; $("live").className = ""; });
  source.addEventListener("error", () => { $("live").textContent = T.offline; $("live").className = "off"; });
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
renderCanned();
show("queue");
loadQueue().catch((e) => notice(e.message));
// A link from an alert in the operators' chat opens its conversation (/console?conversation=12).
const linked = Number(new URLSearchParams(location.search).get("conversation"));
if (Number.isSafeInteger(linked) && linked > 0) open(linked).catch((e) => notice(e.message));
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
