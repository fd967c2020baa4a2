import { randomInt } from "node:crypto";

// Letters and digits that cannot be misread (no 0/O, 1/I/L) when a code is read out at the desk.
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

function randomChars(n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** A certificate's code, as printed and told at the desk: «GC-7KQ4-M2XD». */
export const newCertificateCode = () => `GC-${randomChars(4)}-${randomChars(4)}`;

/** The token of a gift link (t.me/<bot>?start=gift_<token>): lower case, as deep links carry it. */
export const newShareToken = () => randomChars(10).toLowerCase();

/** «gc-7kq4 m2xd», «GC7KQ4M2XD» → «GC-7KQ4-M2XD». */
export function normalizeCertificateCode(text: string): string {
  const plain = text.replace(/[\s-]+/g, "").toUpperCase();
  return /^GC[A-Z0-9]{8}$/.test(plain) ? `GC-${plain.slice(2, 6)}-${plain.slice(6)}` : plain;
}
