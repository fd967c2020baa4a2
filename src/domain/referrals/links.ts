/** The links a patient shares: Telegram and MAX deep links and a WhatsApp message with the code. */
export function referralLinks(input: { code: string; telegramBot?: string; maxBot?: string; clinicPhone?: string; text: string }): {
  telegram: string | null;
  max: string | null;
  whatsapp: string | null;
} {
  const digits = (input.clinicPhone ?? "").replace(/\D/g, "");
  return {
    telegram: input.telegramBot ? `https://t.me/${input.telegramBot.replace(/^@/, "")}?start=ref_${input.code}` : null,
    // MAX hands the start parameter to the bot as bot_started's payload.
    max: input.maxBot ? `https://max.ru/${input.maxBot.replace(/^@/, "")}?start=ref_${input.code}` : null,
    whatsapp: digits.length >= 10 ? `https://wa.me/${digits}?text=${encodeURIComponent(input.text)}` : null,
  };
}

/** "ref_ABC234" or "abc234" → "ABC234"; null when it is not a code. */
export function codeFrom(text: string): string | null {
  const code = text.trim().replace(/^ref_/i, "").toUpperCase();
  return /^[A-Z2-9]{6}$/.test(code) ? code : null;
}
