// The settings page's browser script (plain JS in a string: no build step). It loads the document,
// fills the fields, collects them back into the whole document on save, and shows each problem
// the server names next to its field and in the summary at the top. PAGE comes from page.ts.
export const SETTINGS_SCRIPT = String.raw`
"use strict";
const T = PAGE.text;
const form = document.getElementById("settings");
const saveButton = document.getElementById("save");
const statusLine = document.getElementById("status");
const summary = document.getElementById("summary");
const summaryTitle = document.getElementById("summary-title");
const summaryList = document.getElementById("summary-list");
const reloadButton = document.getElementById("reload");
const fields = [...document.querySelectorAll("[data-path]")];
let version = null;
let loaded = null;
let savedAt = "";

const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => (k in values ? String(values[k]) : ""));

function getPath(obj, path) {
  return path.split(".").reduce((o, k) => (o && typeof o === "object" ? o[k] : undefined), obj);
}
function setPath(obj, path, value) {
  const keys = path.split(".");
  let o = obj;
  for (const k of keys.slice(0, -1)) {
    if (!o[k] || typeof o[k] !== "object" || Array.isArray(o[k])) o[k] = {};
    o = o[k];
  }
  if (value === undefined) delete o[keys[keys.length - 1]];
  else o[keys[keys.length - 1]] = value;
}

// ---- cron: how CareBot reads a schedule, in words ----
const pad = (s) => String(s).padStart(2, "0");
const isNum = (s) => /^\d+$/.test(s);
function cronHint(expression) {
  const f = expression.trim().split(/\s+/);
  if (f.length !== 5 || f[0] === "") return { text: T.cronBad, bad: true };
  const [mi, h, dom, mon, dow] = f;
  let time = null;
  let minuteBased = false;
  if (mi === "*" && h === "*") { time = T.cronEveryMinute; minuteBased = true; }
  else if (/^\*\/\d+$/.test(mi) && h === "*") { time = fill(T.cronEveryN, { n: mi.slice(2) }); minuteBased = true; }
  else if (isNum(mi) && h === "*") { time = fill(T.cronHourly, { m: pad(mi) }); minuteBased = true; }
  else if (isNum(mi) && isNum(h)) time = fill(T.cronAt, { t: pad(h) + ":" + pad(mi) });
  const names = T.weekdays.split(",");
  let day = null;
  if (dom === "*" && mon === "*" && dow === "*") day = minuteBased ? "" : T.cronDaily;
  else if (isNum(dom) && mon === "*" && dow === "*") day = fill(T.cronMonthly, { d: Number(dom) });
  else if (dom === "*" && mon === "*" && dow === "1-5") day = T.cronWeekdays;
  else if (dom === "*" && mon === "*" && /^[0-7](,[0-7])*$/.test(dow)) day = fill(T.cronWeekly, { days: dow.split(",").map((d) => names[Number(d) % 7]).join(", ") });
  if (time === null || day === null) return { text: fill(T.cronOther, { mi, h, dom, mon, dow }), bad: false };
  return { text: [day, time].filter(Boolean).join(" "), bad: false };
}
function showCron(input) {
  const hint = document.getElementById("h-" + input.id);
  const { text, bad } = cronHint(input.value);
  hint.textContent = text;
  hint.classList.toggle("bad", bad);
}

// ---- fields <-> document ----
function toText(kind, value) {
  if (value === undefined || value === null) return kind === "json" ? "[]" : "";
  if (kind === "json") return JSON.stringify(value, null, 2);
  if (kind === "pairs") return Object.entries(value).map(([k, v]) => k + " = " + v).join("\n");
  if (kind === "list-text" || kind === "list-number") return Array.isArray(value) ? value.join(", ") : String(value);
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}
// A number as typed ("7,5" too); anything else goes to the server as typed, which names the problem.
function toNumber(text) {
  const s = text.trim().replace(",", ".");
  if (s === "") return null;
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : text.trim();
}
function fromField(el, problems) {
  const kind = el.dataset.kind;
  const text = el.value;
  switch (kind) {
    case "number": return toNumber(text);
    case "optional-text": return text.trim() === "" ? undefined : text.trim();
    case "list-text": return text.split(",").map((s) => s.trim()).filter(Boolean);
    case "list-number": return text.split(/[,;\s]+/).filter(Boolean).map(toNumber);
    case "pairs": {
      const out = {};
      text.split("\n").forEach((line, i) => {
        if (!line.trim()) return;
        const m = /^\s*([^=:]+?)\s*[=:]\s*(\S.*?)\s*$/.exec(line);
        if (!m) problems.push({ path: el.dataset.path, message: fill(T.pairsError, { n: i + 1 }) });
        else out[m[1]] = toNumber(m[2]);
      });
      return out;
    }
    case "json": {
      if (!text.trim()) return [];
      try { return JSON.parse(text); }
      catch (e) { problems.push({ path: el.dataset.path, message: fill(T.jsonError, { e: e.message }) }); return undefined; }
    }
    default: return text.trim();
  }
}
function fillFields(settings) {
  for (const el of fields) {
    el.value = toText(el.dataset.kind, getPath(settings, el.dataset.path));
    if (el.dataset.kind === "cron") showCron(el);
  }
}
function collect() {
  const doc = JSON.parse(JSON.stringify(loaded));
  const problems = [];
  for (const el of fields) setPath(doc, el.dataset.path, fromField(el, problems));
  return { doc, problems };
}

// ---- errors next to fields and in the summary ----
function fieldFor(path) {
  const parts = path.split(".");
  for (let n = parts.length; n > 0; n--) {
    const el = fields.find((f) => f.dataset.path === parts.slice(0, n).join("."));
    if (el) return { el, rest: parts.slice(n) };
  }
  return { el: null, rest: parts };
}
// "0.offer.bonusPoints" under a list field reads "item 1 › offer.bonusPoints".
function describeRest(rest) {
  if (rest.length === 0) return "";
  const [first, ...more] = rest;
  const head = isNum(first) ? fill(T.item, { n: Number(first) + 1 }) : first;
  return [head, ...more].join(" › ") + ": ";
}
function clearErrors() {
  for (const el of fields) el.removeAttribute("aria-invalid");
  for (const p of document.querySelectorAll(".error")) { p.textContent = ""; p.hidden = true; }
  for (const a of document.querySelectorAll(".toc a")) a.classList.remove("has-error");
  summary.hidden = true;
  reloadButton.hidden = true;
  summaryList.replaceChildren();
}
function showSummary(title, items) {
  summaryTitle.textContent = title;
  summaryList.replaceChildren(...items);
  summary.hidden = false;
  summary.focus();
}
function showErrors(problems, title) {
  clearErrors();
  const items = [];
  for (const problem of problems) {
    const { el, rest } = fieldFor(problem.path);
    const li = document.createElement("li");
    if (el) {
      const line = describeRest(rest) + problem.message;
      const box = document.getElementById("e-" + el.id);
      box.textContent = box.textContent ? box.textContent + "\n" + line : line;
      box.hidden = false;
      el.setAttribute("aria-invalid", "true");
      const section = el.closest("section");
      const toc = section && document.querySelector('.toc a[data-toc="' + section.dataset.section + '"]');
      if (toc) toc.classList.add("has-error");
      const a = document.createElement("a");
      a.href = "#" + el.id;
      a.textContent = document.querySelector('label[for="' + el.id + '"]').textContent + " — " + line;
      a.addEventListener("click", (e) => { e.preventDefault(); el.focus(); el.scrollIntoView({ block: "center" }); });
      li.append(a);
    } else {
      li.textContent = (problem.path || "settings") + ": " + problem.message;
    }
    items.push(li);
  }
  showSummary(title || fill(T.errorsTitle, { n: problems.length }), items);
}

// ---- status line ----
function formatVersion(v) {
  try { return new Date(v).toLocaleString(PAGE.lang === "ru" ? "ru-RU" : "en-GB", { timeZone: PAGE.timezone, dateStyle: "medium", timeStyle: "short" }); }
  catch { return v; }
}
function setStatus(text, kind) {
  statusLine.textContent = text;
  statusLine.className = kind || "";
}
function markDirty() {
  if (version !== null) setStatus(T.dirty, "dirty");
}

// ---- load and save ----
async function load() {
  try {
    const res = await fetch("/console/api/settings", { headers: { accept: "application/json" } });
    if (res.status === 401) { setStatus(T.sessionEnded, "dirty"); return; }
    const body = await res.json();
    if (!res.ok) throw new Error(body.error || String(res.status));
    loaded = body.settings;
    version = body.version;
    fillFields(loaded);
    clearErrors();
    savedAt = fill(T.savedAt, { t: formatVersion(version) });
    setStatus(savedAt);
    saveButton.disabled = false;
    if (body.problems && body.problems.length) showErrors(body.problems, T.storedProblems);
  } catch (e) {
    setStatus(fill(T.loadFailed, { e: e.message }), "dirty");
  }
}

async function save() {
  const { doc, problems } = collect();
  if (problems.length) { showErrors(problems); return; }
  saveButton.disabled = true;
  setStatus(T.saving);
  try {
    const res = await fetch("/console/api/settings", {
      method: "PUT",
      headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": PAGE.csrfToken },
      body: JSON.stringify({ version, settings: doc }),
    });
    const body = await res.json().catch(() => ({}));
    if (res.ok) {
      const changed = body.version !== version;
      loaded = body.settings;
      version = body.version;
      fillFields(loaded);
      clearErrors();
      savedAt = fill(T.savedAt, { t: formatVersion(version) });
      setStatus(changed ? T.saved + " " + savedAt : T.unchanged, "ok");
    } else if (res.status === 422) {
      showErrors(body.errors || []);
      setStatus(savedAt);
    } else if (res.status === 409) {
      clearErrors();
      showSummary(T.conflict, []);
      reloadButton.hidden = false;
      setStatus(T.dirty, "dirty");
    } else if (res.status === 401) {
      showSummary(T.sessionEnded, []);
    } else {
      showSummary(body.error || String(res.status), []);
    }
  } catch (e) {
    showSummary(fill(T.networkError, { e: e.message }), []);
  } finally {
    saveButton.disabled = false;
  }
}

form.addEventListener("submit", (e) => { e.preventDefault(); void save(); });
form.addEventListener("input", (e) => {
  if (e.target.dataset && e.target.dataset.kind === "cron") showCron(e.target);
  markDirty();
});
reloadButton.addEventListener("click", () => void load());
void load();
`;
