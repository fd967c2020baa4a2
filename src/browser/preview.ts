// /preview: staff write as a chosen patient to the real flows in a sandbox (src/operators/preview).
// Every text from the API goes in as textContent, never as HTML.
import { flowTitle } from "../operators/flows/step-title.ts";
import type { ChatState } from "../channels/web/chat-state.ts";
import type { PatientListItem } from "../channels/web/list-patients.ts";
import type { TranscriptEntry } from "../channels/web/transcript.ts";
import type { PreviewPageData } from "../operators/preview/page.ts";
import { byId, el } from "./lib/dom.ts";
import { callJson } from "./lib/json-api.ts";
import { readPageData } from "./lib/page-data.ts";

interface FlowItem {
  id: string;
  version: number;
  description: string;
  category: string;
}

const { timezone } = readPageData<PreviewPageData>();
const STATUS: Record<string, string> = { bot: "ведёт бот", operator: "у оператора", closed: "завершён" };
const PRIORITY: Record<string, string> = { urgent: "срочно", high: "высокий", normal: "обычный", low: "низкий" };
const ESC_STATUS: Record<string, string> = { open: "открыто", taken: "в работе", resolved: "решено" };
const REASON: Record<string, string> = {
  operator_request: "просит связаться с человеком",
  nps_detractor: "низкая оценка",
  health_complaint: "жалоба на самочувствие",
  unknown_phone: "неизвестный номер",
  rebook_other_time: "другое время записи",
  unrecognized_input: "бот не понял ответ",
  flow_error: "ошибка сценария",
  patient_message: "сообщение пациента",
  booking_request: "хочет записаться",
  visit_unconfirmed: "не подтвердил визит — позвонить",
};
const CATEGORY: Record<string, string> = { care: "забота о пациенте", transactional: "сервисный", marketing: "маркетинг" };

/** The console's "try the draft" opens /preview?flow=<id>&draft=<version>: that flow starts on the draft. */
const DRAFT = (() => {
  const q = new URLSearchParams(location.search);
  const v = Number(q.get("draft"));
  return { flow: q.get("flow"), version: Number.isInteger(v) && v > 0 ? v : null };
})();
const draftFor = (flowId: string) => (DRAFT.version && flowId === DRAFT.flow ? { draft: DRAFT.version } : {});

/** seq counts actions: a poll answered after an action started is stale and dropped. */
const view = { chatId: null as string | null, patient: null as PatientListItem | null, state: null as ChatState | null, shown: "", count: -1, busy: false, seq: 0 };

const input = <T extends HTMLElement>(id: string) => byId<T>(id);
const text = input<HTMLInputElement>("text");
const flowSelect = input<HTMLSelectElement>("flow");

function fmt(iso: string, withDate: boolean): string {
  const options: Intl.DateTimeFormatOptions = withDate ? { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" } : { hour: "2-digit", minute: "2-digit" };
  try {
    return new Date(iso).toLocaleString("ru-RU", { ...options, timeZone: timezone });
  } catch {
    return iso;
  }
}

function notice(message: string): void {
  byId("notice").textContent = message;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Runs one action at a time; the controls wait while it runs. */
async function act(fn: () => Promise<void>): Promise<void> {
  if (view.busy) return;
  const rerender = () => {
    controls();
    if (view.state) renderChat(view.state.transcript, false);
  };
  view.busy = true;
  view.seq++;
  rerender();
  notice("");
  try {
    await fn();
  } catch (error) {
    notice(errorText(error));
  } finally {
    view.busy = false;
    rerender();
  }
}

function controls(): void {
  const off = !view.chatId || view.busy;
  for (const id of ["text", "send", "start", "reset", "flow"]) (byId(id) as HTMLInputElement).disabled = off;
  const timers = view.state?.conversation ? view.state.conversation.timers.length : 0;
  input<HTMLButtonElement>("timers").disabled = off || timers === 0;
}

/* ---- patients ---- */
let searchTimer: ReturnType<typeof setTimeout> | undefined;
async function loadPatients(): Promise<void> {
  const q = input<HTMLInputElement>("search").value.trim();
  try {
    const { patients } = await callJson<{ patients: PatientListItem[] }>("GET", `/preview/api/patients${q ? `?q=${encodeURIComponent(q)}` : ""}`);
    const list = byId("patient-list");
    list.replaceChildren();
    if (patients.length === 0) list.append(el("li", "muted small", q ? "Никого не нашлось." : "В клинике пока нет пациентов."));
    for (const p of patients) {
      const b = el("button");
      b.type = "button";
      b.dataset.patientId = String(p.id);
      b.setAttribute("aria-pressed", String(view.patient?.id === p.id));
      b.append(el("span", "p-name", p.fullName));
      const meta = el("span", "p-meta", `№ ${p.id} · баллов: ${p.balance.toLocaleString("ru-RU")}${p.locale ? ` · ${p.locale}` : ""}`);
      if (p.optedOut) meta.append(" · ", el("span", "out", "отписан"));
      b.append(meta);
      b.addEventListener("click", () => pickPatient(p));
      const li = el("li");
      li.append(b);
      list.append(li);
    }
  } catch (error) {
    notice(errorText(error));
  }
}

function pickPatient(p: PatientListItem): void {
  void act(async () => {
    const { chatId } = await callJson<{ chatId: string }>("POST", "/preview/api/session", { patientId: p.id });
    view.patient = p;
    view.chatId = chatId;
    view.shown = "";
    view.count = -1;
    for (const b of document.querySelectorAll<HTMLButtonElement>("#patient-list button")) b.setAttribute("aria-pressed", String(b.dataset.patientId === String(p.id)));
    byId("chat-title").textContent = p.fullName;
    byId("chat-sub").textContent = `чат ${chatId}`;
    show(await callJson<ChatState>("GET", `/preview/api/state?chatId=${encodeURIComponent(chatId)}`));
    text.focus();
  });
}

/* ---- flows ---- */
async function loadFlows(): Promise<void> {
  try {
    const { flows } = await callJson<{ flows: FlowItem[] }>("GET", "/preview/api/flows");
    flowSelect.replaceChildren();
    for (const f of flows) {
      // By the name a manager knows it by (the start of its description), not the file's id.
      const o = el("option", null, `${flowTitle(f)} (в. ${f.version})`);
      o.value = f.id;
      o.title = f.description;
      flowSelect.append(o);
    }
    if (DRAFT.flow && flows.some((f) => f.id === DRAFT.flow)) flowSelect.value = DRAFT.flow;
    describeFlow(flows);
    flowSelect.addEventListener("change", () => describeFlow(flows));
  } catch (error) {
    notice(errorText(error));
  }
}

function describeFlow(flows: FlowItem[]): void {
  const f = flows.find((x) => x.id === flowSelect.value);
  const draft = f && DRAFT.version && f.id === DRAFT.flow ? `Черновик версии ${DRAFT.version} (ещё не опубликован) · ` : "";
  byId("flow-description").textContent = f ? `${draft}${CATEGORY[f.category] ?? f.category} · ${f.description}` : "";
}

/* ---- chat ---- */
function send(body: Record<string, unknown>): Promise<void> {
  return act(async () => show(await callJson<ChatState>("POST", "/preview/api/send", { chatId: view.chatId, ...body })));
}

function renderChat(transcript: TranscriptEntry[], force: boolean): void {
  const box = byId("messages");
  const key = `${JSON.stringify(transcript)}|${view.busy}`;
  if (!force && key === view.shown) return;
  const grew = transcript.length !== view.count;
  view.shown = key;
  view.count = transcript.length;
  box.replaceChildren();
  if (transcript.length === 0) {
    box.append(
      el("p", "empty", view.chatId ? "Сообщений пока нет. Напишите, например, «меню» или запустите сценарий слева." : "Выберите пациента слева: вы будете писать от его имени, как из мессенджера."),
    );
    return;
  }
  transcript.forEach((m, i) => {
    const last = i === transcript.length - 1;
    const side = m.direction === "inbound" ? "patient" : m.direction === "note" ? "note" : "clinic";
    const who = side === "patient" ? "Пациент" : side === "note" ? "Заметка" : m.operator ? "Клиника · оператор" : "Клиника";
    const wrap = el("div", `msg ${side}`);
    wrap.dataset.testid = "message";
    wrap.dataset.direction = m.direction;
    wrap.append(el("div", "who", `${who} · ${fmt(m.at, false)}`), el("div", "bubble", m.text));
    if (m.options?.length || m.requestContact) {
      const opts = el("div", "options");
      const option = (label: string, body: Record<string, unknown>) => {
        const b = el("button", null, label);
        b.type = "button";
        b.disabled = !last || view.busy;
        b.addEventListener("click", () => void send(body));
        opts.append(b);
      };
      for (const o of m.options ?? []) option(o.label, { choice: o.value });
      if (m.requestContact) option("Поделиться номером", { contact: true });
      wrap.append(opts);
    }
    box.append(wrap);
  });
  if (grew) box.scrollTop = box.scrollHeight;
}

/* ---- state ---- */
function renderState(state: Pick<ChatState, "conversation" | "escalations">): void {
  const c = state.conversation;
  const flow = byId("state-flow");
  flow.replaceChildren();
  if (!c) {
    flow.append(el("p", "muted small", view.chatId ? "Разговора ещё нет." : "Выберите пациента."));
  } else {
    const dl = el("dl");
    const row = (label: string, value: Node | string) => {
      dl.append(el("dt", null, label));
      const dd = el("dd");
      dd.append(value);
      dl.append(dd);
    };
    const id = el("code", null, c.flowId);
    id.dataset.testid = "state-flow-id";
    const flowLine = document.createDocumentFragment();
    flowLine.append(id, ` v${c.flowVersion}`);
    row("Сценарий", flowLine);
    row("Состояние", el("code", null, c.state));
    row("Статус", el("span", `badge ${c.status}`, STATUS[c.status] ?? c.status));
    row("Разговор", `№ ${c.id}`);
    flow.append(dl, el("h2", null, "Контекст"), el("pre", null, JSON.stringify(c.context, null, 2)));
  }
  const timers = byId("state-timers");
  timers.replaceChildren();
  const pending = c ? c.timers : [];
  if (pending.length === 0) timers.append(el("li", "none", "Нет"));
  for (const t of pending) {
    const li = el("li");
    li.append(el("strong", null, fmt(t.dueAt, true)), " ", el("code", "muted", t.event));
    timers.append(li);
  }
  const escalations = byId("state-escalations");
  escalations.replaceChildren();
  if (state.escalations.length === 0) escalations.append(el("li", "none", "Нет"));
  for (const e of state.escalations) {
    const li = el("li");
    li.dataset.testid = "escalation";
    // The reason's code is a small label beside its words.
    const due = el("div", "muted small", `ответить до ${fmt(e.slaDueAt, true)} · `);
    due.append(el("code", null, e.reason));
    li.append(
      el("span", `badge ${e.priority}`, PRIORITY[e.priority] ?? e.priority),
      " ",
      el("span", "badge", ESC_STATUS[e.status] ?? e.status),
      " ",
      el("strong", null, `№ ${e.id} `),
      REASON[e.reason] ?? e.reason,
      due,
    );
    escalations.append(li);
  }
}

function show(state: ChatState): void {
  view.state = state;
  renderChat(state.transcript, false);
  renderState(state);
  controls();
}

async function poll(): Promise<void> {
  if (!view.chatId || view.busy || document.hidden) return;
  const seq = view.seq;
  try {
    const state = await callJson<ChatState>("GET", `/preview/api/state?chatId=${encodeURIComponent(view.chatId)}`);
    if (seq === view.seq && !view.busy) show(state);
  } catch (error) {
    if (seq === view.seq) notice(errorText(error));
  }
}

input<HTMLInputElement>("search").addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => void loadPatients(), 250);
});
byId("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const typed = text.value;
  if (!typed.trim()) return;
  text.value = "";
  void send({ text: typed }).then(() => text.focus());
});
byId("start").addEventListener("click", () =>
  void act(async () => show(await callJson<ChatState>("POST", "/preview/api/start", { chatId: view.chatId, flowId: flowSelect.value, ...draftFor(flowSelect.value) }))),
);
byId("reset").addEventListener("click", () => void act(async () => show(await callJson<ChatState>("POST", "/preview/api/reset", { chatId: view.chatId }))));
byId("timers").addEventListener("click", () =>
  void act(async () => {
    const state = await callJson<ChatState & { fired: number }>("POST", "/preview/api/timers", { chatId: view.chatId });
    show(state);
    notice(state.fired ? "" : "Срабатывать было нечему.");
  }),
);
setInterval(() => void poll(), 3000);
controls();
renderChat([], true);
renderState({ conversation: null, escalations: [] });
void loadPatients();
void loadFlows();
