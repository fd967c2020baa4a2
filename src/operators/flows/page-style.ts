// The flows page's own layout, after BASE_STYLE and HEADER_STYLE.
export const FLOWS_STYLE = `
body{height:auto;min-height:100%}
.page{max-width:1200px;margin:0 auto;padding:1rem 1.25rem 3rem}
.muted{color:var(--muted)}
.small{font-size:.85rem}
h1{font-size:1.35rem;margin:.2rem 0 .4rem}
h2{font-size:1.08rem;margin:0 0 .6rem}
a{color:var(--accent-dark)}
.card{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:1rem 1.1rem;margin-bottom:1rem}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.85rem;color:var(--muted);font-weight:600}
.pill{display:inline-block;border-radius:999px;padding:.05rem .55rem;font-size:.8rem;background:#e3e9f0;white-space:nowrap}
.pill.on,.pill.published{background:#dff3e6;color:var(--ok)}
.pill.off{background:#fde7e5;color:var(--urgent)}
.pill.draft{background:#fff1de;color:var(--warn)}
.diagram{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:.7rem}
.node{border:1px solid var(--line);border-radius:10px;padding:.6rem .7rem;background:#fafbfd;min-width:0}
.node.initial{border-color:var(--accent);box-shadow:0 0 0 1px var(--accent) inset}
.node.final{background:#f3f5f8}
.node h3{font-size:.95rem;margin:0 0 .3rem;display:flex;gap:.4rem;align-items:center;flex-wrap:wrap;overflow-wrap:anywhere}
.node .say{font-size:.85rem;margin:.2rem 0 .35rem;white-space:pre-line;overflow-wrap:anywhere;display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:5;line-clamp:5;overflow:hidden}
.node .chips{display:flex;flex-wrap:wrap;gap:.25rem;margin-bottom:.35rem}
.node .chip{border:1px solid var(--line);border-radius:6px;padding:0 .35rem;font-size:.78rem;background:#fff}
.step-id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.72rem;color:var(--muted);font-weight:400;background:#eef1f5;border-radius:4px;padding:0 .3rem;overflow-wrap:anywhere}
.node>.step-id{display:inline-block;margin:0 0 .3rem}
.step-n{color:var(--muted);font-weight:600}
.node ul{margin:0;padding-left:1rem;font-size:.8rem;color:var(--muted)}
.node li{overflow-wrap:anywhere}
fieldset{border:1px solid var(--line);border-radius:10px;padding:.7rem .9rem .9rem;margin:0 0 .8rem;min-width:0}
legend{font-weight:600;padding:0 .3rem}
label{font-size:.88rem;font-weight:600;display:block;margin:.35rem 0 .2rem}
label.inline{display:flex;gap:.45rem;align-items:center;font-weight:400;margin:.2rem 0}
input[type=text],input[type=number],select,textarea{width:100%;border:1px solid var(--line);border-radius:8px;padding:.4rem .55rem;background:#fff;min-width:0}
textarea{resize:vertical;min-height:4.2rem}
textarea.code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.82rem;min-height:22rem}
.two{display:grid;grid-template-columns:1fr 1fr;gap:.6rem}
.row{display:flex;gap:.5rem;align-items:end;flex-wrap:wrap;margin:.3rem 0}
.row>*{flex:1 1 9rem;min-width:0}
.row>button,.row>span{flex:0 0 auto}
.row input[type=number]{max-width:6rem;flex:0 0 6rem}
.row select.unit{flex:0 0 7rem}
.bar{display:flex;gap:.6rem;align-items:center;flex-wrap:wrap;margin:.6rem 0}
.error{color:var(--urgent);font-size:.85rem;margin:.25rem 0 0;white-space:pre-line;overflow-wrap:anywhere}
.ok{color:var(--ok)}
#message{min-height:1.4em;margin:.3rem 0}
.problems{border:1px solid var(--urgent);background:#fff6f5;border-radius:8px;padding:.6rem .9rem;margin:.6rem 0}
.problems ul{margin:.2rem 0 0;padding-left:1.1rem}
.changes li{margin:.2rem 0}
.actions{display:flex;gap:.35rem;flex-wrap:wrap}
.actions button{padding:.25rem .55rem;font-size:.85rem}
details>summary{cursor:pointer;font-weight:600;margin:.2rem 0 .6rem}
@media (max-width:700px){
  .page{padding:.6rem .6rem 2rem}
  .two{grid-template-columns:1fr}
  .hide-phone{display:none}
  th,td{padding:.4rem .3rem;font-size:.88rem}
  .diagram{grid-template-columns:1fr}
}
`;
