/**
 * What CareBot's own pages (the flow preview, the operators' console) share: colours, type and
 * buttons, so staff see one product. Each page adds its own layout after it.
 */
export const BASE_STYLE = `
:root{--bg:#eef1f5;--panel:#fff;--line:#d9dfe7;--text:#1d2733;--muted:#617085;--accent:#2463d1;--accent-dark:#1b4fa8;
--patient:#d7e8ff;--clinic:#fff;--urgent:#b3261e;--warn:#b4480c;--ok:#1f7a3d}
*{box-sizing:border-box}
[hidden]{display:none !important}
html,body{margin:0;height:100%}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--text);background:var(--bg)}
button,input,select,textarea{font:inherit;color:inherit}
button{cursor:pointer;border:1px solid var(--line);background:#fff;border-radius:8px;padding:.45rem .8rem}
button:hover:not(:disabled){border-color:var(--accent)}
button:disabled{cursor:default;opacity:.5}
button.primary{background:var(--accent);border-color:var(--accent);color:#fff}
button.primary:hover:not(:disabled){background:var(--accent-dark)}
`;
