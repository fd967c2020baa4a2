// The staff page's card of operators' branches (only for a clinic with branches): one row per
// staff member with a box per branch; none ticked means every branch. A plain form, no script.
import { html, raw } from "../../web-assets/html.ts";
import type { SafeHtml } from "../../web-assets/html.ts";
import type { ConsoleLang } from "../i18n.ts";
import { BRANCH_TEXT } from "./texts.ts";

export interface StaffBranches {
  operators: { id: number; displayName: string; branchIds: number[] }[];
  branches: { id: number; name: string }[];
}

export function staffBranchesCard(o: { lang: ConsoleLang; csrfToken: string; data: StaffBranches; saved: boolean }): SafeHtml | "" {
  if (o.data.branches.length === 0) return "";
  const t = BRANCH_TEXT[o.lang];
  const rows = o.data.operators.map(
    (op) => html`<tr><th scope="row">${op.displayName}<input type="hidden" name="operator" value="${op.id}"></th><td><div class="buttons">${o.data.branches.map(
      (b) => html`<label class="check"><input type="checkbox" name="op${op.id}" value="${b.id}"${op.branchIds.includes(b.id) ? raw(" checked") : ""}>${b.name}</label>`,
    )}</div>${op.branchIds.length === 0 ? html`<span class="hint">${t.allBranches}</span>` : ""}</td></tr>`,
  );
  return html`<section class="card" id="staff-branches">
<h2>${t.staffTitle}</h2>
<p class="hint">${t.staffIntro}</p>
${o.saved ? html`<p class="status ok" role="status">${t.staffSaved}</p>` : ""}
<form method="post" action="/console/team/branches">
<input type="hidden" name="_csrf" value="${o.csrfToken}">
<table><thead><tr><th>${t.operator}</th><th>${t.title}</th></tr></thead><tbody>${rows}</tbody></table>
<p><button type="submit" class="primary">${t.staffSave}</button></p>
</form>
</section>`;
}

/** operator=<id> (repeated) and op<id>=<branchId> (repeated) → each operator's branch ids. */
export function staffBranchesFromPost(body: unknown): Map<number, number[]> {
  const b = (body && typeof body === "object" && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);
  const result = new Map<number, number[]>();
  for (const id of list(b.operator).map(Number).filter((n) => Number.isInteger(n) && n > 0)) {
    result.set(id, list(b[`op${id}`]).map(Number).filter((n) => Number.isInteger(n) && n > 0));
  }
  return result;
}
