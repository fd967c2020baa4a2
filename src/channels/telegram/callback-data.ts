// CareBot's inline-button payloads: an OutboundOption.value packed into Telegram's callback_data
// (at most 64 bytes) and read back. The type travels with the value so a press becomes CHOICE
// (string) or NUMBER (number) without knowing which options were shown.

/** Telegram refuses callback_data longer than this (BUTTON_DATA_INVALID). */
export const MAX_CALLBACK_DATA_BYTES = 64;

const CHOICE_PREFIX = "c:";
const NUMBER_PREFIX = "n:";

const byteLength = (text: string): number => Buffer.byteLength(text, "utf8");

/** Packs an option value; throws when it cannot become a button Telegram accepts. */
export function encodeCallbackData(value: string | number): string {
  let data: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`option value ${String(value)} is not a finite number`);
    data = NUMBER_PREFIX + String(value);
  } else {
    // An empty choice would be indistinguishable from a broken button.
    if (value === "") throw new Error("option value must not be an empty string");
    data = CHOICE_PREFIX + value;
  }
  if (byteLength(data) > MAX_CALLBACK_DATA_BYTES) {
    throw new Error(
      `option value ${JSON.stringify(value)} is too long for a Telegram button: ` +
        `${byteLength(data)} bytes of callback data, at most ${MAX_CALLBACK_DATA_BYTES}`,
    );
  }
  return data;
}

/**
 * Reads callback_data back; undefined for anything encodeCallbackData would not have produced
 * (another bot's buttons, a hand-crafted query, a truncated payload).
 */
export function decodeCallbackData(data: unknown): string | number | undefined {
  if (typeof data !== "string" || data.length < 3 || byteLength(data) > MAX_CALLBACK_DATA_BYTES) return undefined;
  const body = data.slice(2);
  if (data.startsWith(CHOICE_PREFIX)) return body;
  if (data.startsWith(NUMBER_PREFIX)) {
    const value = Number(body);
    // Only the canonical spelling String(n) round-trips: rejects " 1", "01", "0x1", "1.0", "".
    return Number.isFinite(value) && String(value) === body ? value : undefined;
  }
  return undefined;
}
