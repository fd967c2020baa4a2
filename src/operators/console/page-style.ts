// The queue page's layout: three columns on a desk (queue, chat, card); on a phone one of them at
// a time, picked with tabs, the chat filling the screen so the composer stays in reach.
import { BASE_STYLE } from "../../web-assets/page-style.ts";
import { HEADER_STYLE } from "../layout.ts";

export const CONSOLE_STYLE = `${BASE_STYLE}${HEADER_STYLE}
body{display:flex;flex-direction:column;height:100vh;height:100dvh}
button.danger{border-color:var(--urgent);color:var(--urgent)}
textarea{width:100%;border:1px solid var(--line);border-radius:8px;padding:.45rem .6rem;resize:vertical;min-height:2.6rem}
select{border:1px solid var(--line);border-radius:8px;padding:.3rem .5rem;background:#fff;max-width:100%}
textarea:focus,select:focus,button:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
#live{font-size:.75rem;color:#8fd19e;white-space:nowrap}
#live.off{color:#f2a38f}
.tabs{display:none}
main{flex:1;min-height:0;display:grid;grid-template-columns:330px minmax(0,1fr) 300px}
.panel{background:var(--panel);min-height:0;display:flex;flex-direction:column}
.queue{border-right:1px solid var(--line)}
.card{border-left:1px solid var(--line);overflow:auto;padding:.75rem 1rem;display:block}
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
.badge:empty{display:none}
.badge.urgent,.badge.overdue{background:#ffe3e0;color:var(--urgent);font-weight:600}
.badge.high{background:#fff1d6;color:var(--warn)}
.badge.taken{background:#e3edff;color:var(--accent)}
.badge.operator{background:#fff1d6;color:var(--warn)}
.badge.bot{background:#e3f4e8;color:var(--ok)}
.empty{margin:auto;text-align:center;color:var(--muted);max-width:22rem;padding:1rem}
.chat{min-width:0}
.chat-head{padding:.6rem 1rem;border-bottom:1px solid var(--line);display:flex;align-items:center;gap:.5rem;flex-wrap:wrap;min-height:48px}
.chat-head strong{font-weight:600;margin-right:auto;min-width:0;overflow-wrap:anywhere}
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
.composer{display:grid;grid-template-columns:1fr auto;gap:.4rem .5rem;padding:.6rem 1rem;border-top:1px solid var(--line);background:#fff}
.composer .tools{grid-column:1/-1;display:flex;gap:.5rem;align-items:center}
.composer .tools:has(select[hidden]){display:none}
.composer .buttons{display:flex;flex-direction:column;gap:.35rem}
.actions{display:flex;gap:.4rem;flex-wrap:wrap}
#notice{min-height:1.2rem;padding:0 1rem .4rem;font-size:.85rem;color:var(--urgent);background:#fff}
dl{margin:0 0 1rem;display:grid;grid-template-columns:auto 1fr;gap:.2rem .75rem;font-size:.9rem}
dt{color:var(--muted)}
dd{margin:0;overflow-wrap:anywhere}
.card ul{list-style:none;margin:0 0 1rem;padding:0;font-size:.88rem}
.card li{padding:.3rem .5rem;border:1px solid var(--line);border-radius:6px;margin-bottom:.3rem}
.card li.none{border:0;padding:0;color:var(--muted)}
.card a.card-link{display:inline-block;margin:0 0 1rem;color:var(--accent);font-weight:600}
.esc{display:flex;justify-content:space-between;gap:.5rem;align-items:center}
.muted{color:var(--muted)}
@media (max-width:900px){
  .tabs{display:flex;background:#fff;border-bottom:1px solid var(--line)}
  .tabs button{flex:1;border:0;border-radius:0;border-bottom:3px solid transparent;padding:.55rem .25rem;background:#fff}
  .tabs button[aria-selected=true]{border-bottom-color:var(--accent);color:var(--accent);font-weight:600}
  main{display:block;position:relative}
  main>.panel{display:none;height:100%;border:0}
  body[data-view=queue] main>.queue,body[data-view=chat] main>.chat{display:flex}
  body[data-view=card] main>.card{display:block}
  main>.whatsapp:not([hidden]){display:block;height:auto;padding:1rem}
  .msg{max-width:90%}
  .chat-head{padding:.5rem .75rem}
  .chat-head .actions{width:100%}
  .chat-head .actions button{flex:1}
  #messages{padding:.75rem}
  .composer{padding:.5rem .75rem}
}
`;
