import { createHash } from "node:crypto";

/** The version of a consent text shown to the patient: where it was shown and a hash of its exact words. */
export function textVersionOf(where: string, text: string): string {
  return `${where}:${createHash("sha256").update(text.normalize("NFC")).digest("hex").slice(0, 12)}`;
}
