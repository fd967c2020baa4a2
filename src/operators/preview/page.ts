// The flow preview page: its HTML, one style, and its script from src/browser/preview.ts (served
// as /assets/preview.js), nothing loaded from elsewhere. Values are escaped by html`…`.
import { BASE_STYLE } from "../../web-assets/page-style.ts";
import { pageScript } from "../../web-assets/browser-bundles.ts";
import { html, pageData } from "../../web-assets/html.ts";
import type { SafeHtml } from "../../web-assets/html.ts";
import { documentHead } from "../layout.ts";

/** What the page's script reads (readPageData). */
export interface PreviewPageData {
  /** Times are shown in the clinic's time zone. */
  timezone: string;
}

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
.flow-row{display:flex;gap:.5rem;flex-wrap:wrap}
.flow-row select{flex:1 1 100%}
.flow-row button{flex:1 1 auto}
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

export async function previewPage(options: PreviewPageOptions): Promise<string> {
  const data: PreviewPageData = { timezone: options.timezone };
  const page: SafeHtml = html`${documentHead({ lang: "ru", title: "Предпросмотр сценариев — CareBot", nonce: options.nonce, style: STYLE })}
<body>
<header><h1>Предпросмотр сценариев</h1><span class="badge-sandbox" title="Песочница: данные клиники не меняются">песочница</span><span class="clinic">${options.clinicName}</span></header>
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
${pageData(data)}
${await pageScript("preview", options.nonce)}
</body>
</html>`;
  return page.toString();
}
