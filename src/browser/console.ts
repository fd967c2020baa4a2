// The queue page (/console): the queue of escalations, the chosen conversation with its composer,
// and the patient's short card with a link to the full one. Live updates come as Server-Sent Events.
import { readPageData } from "./lib/page-data.ts";
import { byId, csrfToken, el } from "./lib/dom.ts";
import type { CannedReply, ConsolePageData, ConversationView, QueueItem } from "./lib/console-data.ts";

const L = readPageData<ConsolePageData>();
const T = L.t;
const CSRF = csrfToken();
const TITLE = document.title;

/** A text with its {name} places filled. */
function tr(key: keyof typeof T, values?: Record<string, string | number>): string {
  return T[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values && name in values ? values[name] : ""));
}

const state = {
  queue: [] as QueueItem[],
  current: null as number | null,
  view: null as ConversationView | null,
  busy: false,
  unseenUrgent: 0,
  canned: [] as CannedReply[],
  scrollToEnd: false,
};

const take = byId<HTMLButtonElement>("take");
const handBack = byId<HTMLButtonElement>("hand-back");
const replyButton = byId<HTMLButtonElement>("reply");
const noteButton = byId<HTMLButtonElement>("note");
const text = byId<HTMLTextAreaElement>("text");
const canned = byId<HTMLSelectElement>("canned");
const live = byId("live");

function fmt(iso: string | null, withDate = false): string {
  if (!iso) return "—";
  const options: Intl.DateTimeFormatOptions = withDate ? { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" } : { hour: "2-digit", minute: "2-digit" };
  try {
    return new Date(iso).toLocaleString(L.locale, { ...options, timeZone: L.timezone || undefined });
  } catch {
    return iso;
  }
}
function notice(message: string): void {
  byId("notice").textContent = message || "";
}
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

// On a phone one section shows at a time: the tabs pick it.
function show(view: string): void {
  document.body.dataset.view = view;
  document.querySelectorAll<HTMLButtonElement>(".tabs button").forEach((tab) => tab.setAttribute("aria-selected", String(tab.dataset.view === view)));
}
document.querySelectorAll<HTMLButtonElement>(".tabs button").forEach((tab) => tab.addEventListener("click", () => show(tab.dataset.view ?? "queue")));

async function api<R>(method: string, url: string, body?: unknown): Promise<R> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (method !== "GET") headers["x-csrf-token"] = CSRF;
  const init: RequestInit = { method, headers, credentials: "same-origin" };
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(url, init);
  if (res.status === 401) {
    location.href = "/console/login";
    throw new Error(T.reloginNeeded);
  }
  let data: Record<string, unknown> = {};
  try {
    data = (await res.json()) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  if (!res.ok) {
    if (res.status === 409 && typeof data.holder === "string") throw new Error(tr("heldBy", { name: data.holder }));
    throw new Error(typeof data.error === "string" ? data.error : tr("httpError", { status: res.status }));
  }
  return data as R;
}

async function act(fn: () => Promise<void>): Promise<void> {
  if (state.busy) return;
  state.busy = true;
  controls();
  notice("");
  try {
    await fn();
  } catch (e) {
    notice(errorText(e));
  } finally {
    state.busy = false;
    controls();
  }
}

function updateTitle(): void {
  document.title = state.unseenUrgent > 0 ? tr("urgentTitle", { n: state.unseenUrgent, title: TITLE }) : TITLE;
  byId("urgent-count").textContent = state.unseenUrgent > 0 ? tr("urgentCount", { n: state.unseenUrgent }) : "";
}
function beep(): void {
  try {
    const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext: typeof AudioContext }).webkitAudioContext;
    const ctx = new Ctx();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.value = 0.08;
    osc.connect(gain);
    gain.connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.35);
    osc.onended = () => void ctx.close();
  } catch {
    /* no sound available */
  }
}
function seen(): void {
  if (document.visibilityState === "visible" && state.unseenUrgent) {
    state.unseenUrgent = 0;
    updateTitle();
  }
}
document.addEventListener("visibilitychange", seen);
window.addEventListener("focus", seen);

async function loadQueue(): Promise<void> {
  const data = await api<{ queue: QueueItem[] }>("GET", "/console/api/queue");
  state.queue = data.queue;
  renderQueue();
}

function renderQueue(): void {
  const list = byId("queue");
  list.replaceChildren();
  byId("queue-count").textContent = String(state.queue.length);
  if (state.queue.length === 0) {
    list.append(el("li", "empty", T.queueEmpty));
    return;
  }
  for (const item of state.queue) {
    const li = el("li");
    const b = el("button", item.priority);
    b.type = "button";
    b.dataset.testid = "queue-item";
    b.dataset.escalation = String(item.id);
    b.setAttribute("aria-pressed", String(item.conversationId !== null && item.conversationId === state.current));
    const top = el("span", "q-top");
    top.append(el("span", "q-name", item.patientName));
    top.append(el("span", `badge ${item.priority}`, L.priority[item.priority] ?? item.priority));
    if (item.overdue) top.append(el("span", "badge overdue", T.overdue));
    if (item.status === "taken") top.append(el("span", "badge taken", T.inWork));
    b.append(top);
    b.append(el("span", "q-reason", L.reason[item.reason] ?? item.reason));
    if (item.summary) b.append(el("span", "q-meta", item.summary));
    const parts = [tr("answerBy", { time: fmt(item.slaDueAt, true) })];
    if (item.channel) parts.push(L.channel[item.channel] ?? item.channel);
    if (item.takenBy) parts.push(tr("ledBy", { name: item.takenBy.name }));
    b.append(el("span", "q-meta", parts.join(" · ")));
    if (item.conversationId === null) b.disabled = true;
    b.addEventListener("click", () => void open(item.conversationId));
    li.append(b);
    list.append(li);
  }
}

async function open(conversationId: number | null): Promise<void> {
  if (conversationId === null) return;
  const changed = state.current !== conversationId;
  state.current = conversationId;
  show("chat");
  renderQueue();
  if (changed) {
    state.scrollToEnd = true;
    state.canned = [];
    renderCanned();
    loadCanned(conversationId).catch((e) => notice(errorText(e)));
  }
  await refreshConversation();
}

async function refreshConversation(): Promise<void> {
  if (state.current === null) return;
  const id = state.current;
  try {
    const view = await api<ConversationView>("GET", `/console/api/conversations/${id}`);
    if (state.current !== id) return;
    state.view = view;
    renderConversation();
  } catch (e) {
    notice(errorText(e));
  }
}

// The clinic's canned replies, already written for this patient; picking one fills the reply box.
async function loadCanned(id: number): Promise<void> {
  const replies = await api<CannedReply[]>("GET", `/console/api/conversations/${id}/canned`);
  if (state.current !== id) return;
  state.canned = replies;
  renderCanned();
}
function renderCanned(): void {
  const first = el("option", null, T.canned);
  first.value = "";
  canned.replaceChildren(first);
  state.canned.forEach((reply, i) => {
    const option = el("option", null, reply.title);
    option.value = String(i);
    canned.append(option);
  });
  canned.hidden = state.canned.length === 0;
}
canned.addEventListener("change", () => {
  const reply = state.canned[Number(canned.value)];
  canned.value = "";
  if (!reply) return;
  if (reply.text === null) {
    notice(reply.error ?? "");
    return;
  }
  notice("");
  text.value = reply.text;
  text.focus();
});

function held(): boolean {
  const v = state.view;
  return Boolean(v && v.conversation.status === "operator" && v.conversation.holder && v.conversation.holder.id === L.operatorId);
}

function controls(): void {
  const v = state.view;
  const off = !v || state.busy;
  const mine = held();
  const other = Boolean(v && v.conversation.status === "operator" && !mine);
  take.disabled = off || mine || other;
  take.textContent = other && v?.conversation.holder ? tr("takenBy", { name: v.conversation.holder.name }) : mine ? T.takenByYou : T.take;
  handBack.disabled = off || !mine;
  replyButton.disabled = off || !mine;
  text.disabled = !v;
  canned.disabled = !v;
  text.placeholder = mine ? T.replyPlaceholder : T.notePlaceholder;
  noteButton.disabled = off;
}

function renderConversation(): void {
  const v = state.view;
  if (!v) return;
  const p = v.patient;
  byId("chat-title").textContent = p ? p.fullName : T.unlinked;
  const status = byId("chat-status");
  status.className = `badge ${v.conversation.status}`;
  status.textContent = (L.conversation[v.conversation.status] ?? v.conversation.status) + (v.conversation.holder ? `: ${v.conversation.holder.name}` : "");
  byId("chat-channel").textContent = L.channel[v.conversation.channel] ?? v.conversation.channel;
  const box = byId("messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  box.replaceChildren();
  if (v.transcript.length === 0) box.append(el("p", "empty", T.noMessages));
  for (const m of v.transcript) {
    const node = el("div", `msg ${m.direction}${m.operator && m.direction === "outbound" ? " by-operator" : ""}`);
    node.dataset.testid = "message";
    node.dataset.direction = m.direction;
    const who =
      m.direction === "inbound" ? T.fromPatient : m.direction === "note" ? tr("fromNote", { name: m.operator ?? "" }) : m.operator ? tr("fromOperator", { name: m.operator }) : T.fromBot;
    node.append(el("span", "who", `${who} · ${fmt(m.at)}`));
    node.append(el("div", "bubble", m.text || "—"));
    box.append(node);
  }
  if (atBottom || state.scrollToEnd) {
    box.scrollTop = box.scrollHeight;
    state.scrollToEnd = false;
  }
  renderCard();
  controls();
}

function list<I>(title: string, items: I[], render: (li: HTMLLIElement, item: I) => void): void {
  const card = byId("card-body");
  card.append(el("h2", null, title));
  const ul = el("ul");
  if (items.length === 0) ul.append(el("li", "none", T.none));
  for (const item of items) {
    const li = el("li");
    render(li, item);
    ul.append(li);
  }
  card.append(ul);
}

function renderCard(): void {
  const v = state.view;
  if (!v) return;
  const card = byId("card-body");
  card.replaceChildren();
  list(T.escalations, v.escalations, (li, e) => {
    li.className = "esc";
    li.append(el("span", null, `${L.reason[e.reason] ?? e.reason} · ${tr("until", { time: fmt(e.slaDueAt, true) })}`));
    const b = el("button", "danger", T.resolved);
    b.type = "button";
    b.dataset.escalation = String(e.id);
    b.addEventListener("click", () =>
      act(async () => {
        await api("POST", `/console/api/escalations/${e.id}/resolve`);
        await Promise.all([loadQueue(), refreshConversation()]);
      }),
    );
    li.append(b);
  });
  const p = v.patient;
  if (!p) {
    card.append(el("p", "muted", T.unlinkedCard));
    return;
  }
  card.append(el("h2", null, T.patient));
  const dl = el("dl");
  const row = (k: string, val: string) => {
    dl.append(el("dt", null, k));
    dl.append(el("dd", null, val));
  };
  row(T.fullName, p.fullName);
  row(T.phone, p.phone || "—");
  row(T.points, String(p.bonus.balance) + (p.bonus.expiringTotal ? ` (${tr("expiring", { n: p.bonus.expiringTotal })})` : ""));
  row(T.consent, p.consentAt ? tr("consentSince", { time: fmt(p.consentAt, true) }) : T.no);
  row(T.mailings, p.optedOutAt ? tr("optedOut", { time: fmt(p.optedOutAt, true) }) : T.receives);
  card.append(dl);
  // The whole card (ledger, conversations, writing first) lives in the patients section.
  const full = el("a", "card-link", T.openCard);
  full.href = `/console/patients/${p.id}`;
  full.dataset.testid = "open-card";
  card.append(full);
  list(T.visits, p.visits, (li, x) => {
    li.textContent = `${fmt(x.startsAt, true)} · ${x.service} · ${x.doctor}`;
  });
  list(T.followUps, p.followUps, (li, x) => {
    li.textContent = `${fmt(x.dueAt, true)} · ${x.service}${x.missedAt ? ` · ${T.missed}` : ""}`;
  });
  list(T.nps, p.nps, (li, x) => {
    li.textContent = `${x.score} · ${fmt(x.createdAt, true)}${x.comment ? ` · ${x.comment}` : ""}`;
  });
  list(T.chats, p.chats, (li, x) => {
    li.textContent = (L.channel[x.channel] ?? x.channel) + (x.unreachableAt ? ` · ${T.unreachable}` : "");
  });
}

take.addEventListener("click", () =>
  act(async () => {
    await api("POST", `/console/api/conversations/${state.current}/take`);
    await Promise.all([refreshConversation(), loadQueue()]);
  }),
);
handBack.addEventListener("click", () =>
  act(async () => {
    await api("POST", `/console/api/conversations/${state.current}/hand-back`);
    await Promise.all([refreshConversation(), loadQueue()]);
  }),
);
async function send(kind: "reply" | "note"): Promise<void> {
  const value = text.value.trim();
  if (!value) {
    notice(T.enterText);
    return;
  }
  await act(async () => {
    await api("POST", `/console/api/conversations/${state.current}/${kind}`, { text: value });
    text.value = "";
    state.scrollToEnd = true;
    await refreshConversation();
  });
}
replyButton.addEventListener("click", () => void send("reply"));
noteButton.addEventListener("click", () => void send("note"));
text.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    void send(held() ? "reply" : "note");
  }
});

let queueTimer: ReturnType<typeof setTimeout> | undefined;
function queueSoon(): void {
  clearTimeout(queueTimer);
  queueTimer = setTimeout(() => loadQueue().catch((e) => notice(errorText(e))), 150);
}
function connect(): void {
  const source = new EventSource("/console/api/events");
  source.addEventListener("open", () => {
    live.textContent = T.online;
    live.className = "";
  });
  source.addEventListener("error", () => {
    live.textContent = T.offline;
    live.className = "off";
  });
  source.addEventListener("transcript", (e) => {
    const data = JSON.parse((e as MessageEvent<string>).data) as { conversationId: number | null; identityId: number };
    const v = state.view;
    if (v && (data.conversationId === state.current || data.identityId === v.conversation.identityId)) void refreshConversation();
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

// Admins see WhatsApp's login QR while the session waits for one (the SVG comes from our server).
async function loadWhatsApp(): Promise<void> {
  const res = await fetch("/console/api/whatsapp", { credentials: "same-origin" });
  if (!res.ok) return;
  const wa = (await res.json()) as { qrSvg: string | null };
  byId("whatsapp").hidden = !wa.qrSvg;
  byId("wa-qr").innerHTML = wa.qrSvg || "";
}

controls();
renderCanned();
show("queue");
loadQueue().catch((e) => notice(errorText(e)));
// A link from an alert in the operators' chat (or from a patient card) opens its conversation (/console?conversation=12).
const linked = Number(new URLSearchParams(location.search).get("conversation"));
if (Number.isSafeInteger(linked) && linked > 0) open(linked).catch((e) => notice(errorText(e)));
if (L.admin) {
  loadWhatsApp().catch(() => {});
  setInterval(() => loadWhatsApp().catch(() => {}), 5_000);
}
setInterval(() => loadQueue().catch(() => {}), 60_000);
connect();
