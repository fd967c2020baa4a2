// Request bodies as Telegram accepts them: query string, JSON, urlencoded or multipart.
// Anything unparsable becomes an Error whose message the server returns as a 400.
import type http from "node:http";
import type { Params } from "./methods.ts";
import { isObject } from "./state.ts";

// Form and multipart bodies carry these as JSON strings.
const JSON_FIELDS = new Set([
  "reply_markup", "commands", "scope", "allowed_updates", "entities", "caption_entities", "reply_parameters",
  "link_preview_options", "menu_button", "media", "message_ids",
]);
const MAX_BODY = 50 * 1024 * 1024;

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => (size > MAX_BODY ? reject(new Error("request body is too big")) : resolve(Buffer.concat(chunks))));
    req.on("error", reject);
  });
}

/** Query string + JSON / urlencoded / multipart body → one params object. */
export function parseParams(contentType: string | undefined, url: URL, body: Buffer): Params {
  const params: Params = decodeJsonFields(Object.fromEntries(url.searchParams));
  if (body.length === 0) return params;
  const type = (contentType ?? "").toLowerCase();
  if (type.includes("application/json") || (type === "" && /^\s*\{/.test(body.toString("utf8", 0, 64)))) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch (err) {
      throw new Error(`can't parse JSON request body: ${(err as Error).message}`);
    }
    if (!isObject(parsed)) throw new Error("JSON request body must be an object");
    return { ...params, ...parsed };
  }
  if (type.includes("application/x-www-form-urlencoded")) {
    return { ...params, ...decodeJsonFields(Object.fromEntries(new URLSearchParams(body.toString("utf8")))) };
  }
  if (type.includes("multipart/form-data")) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? "");
    const b = boundary?.[1] ?? boundary?.[2];
    if (!b) throw new Error("multipart body without boundary");
    return { ...params, ...decodeJsonFields(parseMultipart(body, b.trim())) };
  }
  throw new Error(`unsupported Content-Type "${type}"`);
}

/** Text fields become strings; file fields become { file, size }; "attach://x" references are resolved. */
function parseMultipart(body: Buffer, boundary: string): Params {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Params = {};
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new Error("malformed multipart body");
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === "--") break;
    const headerEnd = body.indexOf("\r\n\r\n", pos);
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd + 4);
    if (headerEnd < 0 || next < 0) throw new Error("malformed multipart body");
    const headers = body.subarray(pos, headerEnd).toString("utf8");
    const name = /(?:^|[;\s])name="([^"]*)"/i.exec(headers)?.[1];
    const file = /filename=(?:"([^"]*)"|([^;\r\n]*))/i.exec(headers); // grammY leaves it unquoted
    const filename = file ? file[1] ?? file[2] : undefined;
    const content = body.subarray(headerEnd + 4, next);
    if (name !== undefined) parts[name] = filename !== undefined ? { file: filename, size: content.length } : content.toString("utf8");
    pos = next + 2;
  }
  for (const [key, value] of Object.entries(parts)) {
    if (typeof value === "string" && value.startsWith("attach://")) parts[key] = parts[value.slice("attach://".length)] ?? value;
  }
  return parts;
}

export function decodeJsonFields(params: Params): Params {
  const out: Params = { ...params };
  for (const [key, value] of Object.entries(out)) {
    if (typeof value !== "string" || !JSON_FIELDS.has(key)) continue;
    try {
      out[key] = JSON.parse(value);
    } catch {
      // left as a string: the method reports it the way Telegram would
    }
  }
  return out;
}
