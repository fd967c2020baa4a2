// The patients pages' layout: one readable column on a desk, the card's sections in two columns
// when there is room; on a phone everything stacks and wide tables scroll inside their section.
import { BASE_STYLE } from "../../web-assets/page-style.ts";
import { HEADER_STYLE } from "../layout.ts";

export const PATIENTS_STYLE = `${BASE_STYLE}${HEADER_STYLE}
main.patients{max-width:1180px;margin:0 auto;padding:1rem}
h1{font-size:1.35rem;margin:.2rem 0 .6rem}
h2{font-size:1rem;margin:0 0 .5rem}
a{color:var(--accent)}
.box{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:1rem 1.1rem;min-width:0}
form.search{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center}
form.search label{width:100%;font-weight:600}
input[type=search],textarea{border:1px solid var(--line);border-radius:8px;padding:.45rem .6rem;background:#fff}
input[type=search]{flex:1;min-width:12rem}
textarea{width:100%;min-height:5rem;resize:vertical}
input:focus,textarea:focus,button:focus-visible,a:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
.hint{color:var(--muted);font-size:.85rem;margin:.4rem 0 0}
.count{color:var(--muted);margin:1rem 0 .4rem}
.empty{color:var(--muted);text-align:center;margin:1.5rem 0}
ul.results{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}
ul.results a{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,1fr) minmax(0,1fr) minmax(0,1.2fr);gap:.25rem 1rem;align-items:center;
 background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:.6rem .9rem;text-decoration:none;color:var(--text)}
ul.results a:hover{border-color:var(--accent)}
.r-name{font-weight:600;overflow-wrap:anywhere}
.r-meta{color:var(--muted);font-size:.9rem}
.r-meta b{display:none;font-weight:400}
.tags{display:flex;flex-wrap:wrap;gap:.3rem;list-style:none;margin:0;padding:0}
.tag{display:inline-block;border-radius:999px;padding:.05rem .55rem;font-size:.8rem;background:#e3edff;color:var(--accent-dark);max-width:100%;overflow-wrap:anywhere}
.tag.off{background:#fbe9e7;color:var(--urgent)}
.tag.muted{background:#eef1f5;color:var(--muted)}
.tag.ok{background:#e6f4ea;color:var(--ok)}
.tag.warn{background:#fff3e0;color:var(--warn)}
nav.pager{display:flex;gap:1rem;align-items:center;justify-content:center;margin:1rem 0}
.card-head{display:flex;flex-wrap:wrap;gap:.3rem 1rem;align-items:baseline;margin-bottom:.8rem}
.card-head h1{margin:0}
.card-head .back{margin-right:auto}
.grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:1rem}
.grid .wide{grid-column:1/-1}
dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.3rem 1rem;margin:0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;overflow-wrap:anywhere}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600;font-size:.82rem}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.plus{color:var(--ok)}
td.minus{color:var(--urgent)}
.nowrap{white-space:nowrap}
.notice{border-radius:8px;padding:.6rem .8rem;margin:0 0 .8rem;background:#e6f4ea;color:#174d2a}
.notice.error{background:#fbe9e7;color:#7a1c15}
.write .buttons{display:flex;justify-content:flex-end;margin-top:.5rem}
ol.messages{list-style:none;margin:0;padding:0;display:grid;gap:.45rem}
ol.messages li{max-width:85%;border-radius:10px;padding:.4rem .65rem;background:#f3f5f8;overflow-wrap:anywhere}
ol.messages li.inbound{background:var(--patient);justify-self:start}
ol.messages li.outbound{justify-self:end;border:1px solid var(--line);background:#fff}
ol.messages .who{display:block;color:var(--muted);font-size:.78rem}
ol.messages .text{white-space:pre-wrap}
@media (max-width:760px){
 main.patients{padding:.6rem}
 .grid{grid-template-columns:minmax(0,1fr)}
 ul.results a{grid-template-columns:minmax(0,1fr)}
 .r-meta b{display:inline}
 ol.messages li{max-width:100%}
 dl.facts{grid-template-columns:minmax(0,1fr);gap:0}
 dl.facts dd{margin-bottom:.45rem}
 /* Tables read as short stacked records: the date first, the rest in a line that wraps. */
 table thead{display:none}
 table,tbody,tr{display:block}
 tr{padding:.45rem 0;border-bottom:1px solid var(--line)}
 td{display:inline;border:0;padding:0 .6rem 0 0}
 td:first-child{display:block;font-weight:600}
 td.num{text-align:left}
 .scroll{overflow:visible}
}
`;
