// The phone number on a shared contact card (vCard 3.0 as WhatsApp sends it):
//   item1.TEL;waid=79161234567:+7 916 123-45-67
// `waid` is the contact's WhatsApp id (digits of the international number) and wins when present.

export interface VCardPhone {
  /** "+79161234567"; the raw value when its country is unknown ("8 916 123-45-67"). */
  phone: string;
  /** Digits only, to compare with a chat's number. */
  digits: string;
}

/** The first phone on the card (a WhatsApp id first), or undefined when it has none. */
export function phoneOfVCard(vcard: string): VCardPhone | undefined {
  // Long lines are folded: a line break followed by a space or tab continues the line.
  const lines = vcard.replace(/\r?\n[ \t]/g, "").split(/\r?\n/);
  const phones = lines.flatMap((line) => {
    const match = /^(?:[\w-]+\.)?TEL([;][^:]*)?:(.*)$/i.exec(line.trim());
    if (!match) return [];
    const waid = /;waid=(\d+)/i.exec(match[1] ?? "")?.[1];
    return [{ waid, value: (match[2] ?? "").trim() }];
  });
  const withWaid = phones.find((p) => p.waid);
  if (withWaid?.waid) return { phone: `+${withWaid.waid}`, digits: withWaid.waid };
  for (const { value } of phones) {
    const digits = value.replace(/\D/g, "");
    if (digits.length === 0) continue;
    // Only a leading "+" says the number is international; otherwise the router normalizes it.
    return { phone: value.startsWith("+") ? `+${digits}` : value, digits };
  }
  return undefined;
}
