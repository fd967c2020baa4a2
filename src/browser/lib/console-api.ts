// Calls to the console's JSON API with the session's CSRF token; a refusal comes back as its
// server message (already in the manager's language) rather than as an exception.
/** A refusal keeps the rest of its answer too (`fields`: a form's errors by field name). */
export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; error: string; fields?: Record<string, string> };

export async function postJson<T>(url: string, body: unknown, csrfToken: string, fallbackError: string): Promise<ApiResult<T>> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": csrfToken },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
    const data = (await res.json().catch(() => ({}))) as { error?: string; fields?: Record<string, string> };
    if (res.ok) return { ok: true, data: data as T };
    // A session that ended (disabled, password reset) goes back to the login page.
    if (res.status === 401) location.assign(`/console/login?next=${encodeURIComponent(location.pathname)}`);
    return { ok: false, status: res.status, error: data.error ?? fallbackError, ...(data.fields ? { fields: data.fields } : {}) };
  } catch {
    return { ok: false, status: 0, error: fallbackError };
  }
}

/** A new element with its text set as text, never as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { text?: string; className?: string; attrs?: Record<string, string> } = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.text !== undefined) node.textContent = props.text;
  if (props.className) node.className = props.className;
  for (const [k, v] of Object.entries(props.attrs ?? {})) node.setAttribute(k, v);
  node.append(...children);
  return node;
}
