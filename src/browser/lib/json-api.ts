// A same-origin JSON call that answers the data or throws the server's own error text (already in
// the reader's language), for pages whose API needs no CSRF token (the flow preview).
export async function callJson<T>(method: "GET" | "POST", url: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: { accept: "application/json" }, credentials: "same-origin" };
  if (body !== undefined) {
    init.headers = { ...init.headers, "content-type": "application/json" };
    init.body = JSON.stringify(body);
  }
  const res = await fetch(url, init);
  const data = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) throw new Error(data.error ?? `ошибка ${res.status}`);
  return data as T;
}
