import { randomInt } from "node:crypto";

// No 0/O, 1/I/L: a code is read aloud and typed by hand.
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const REFERRAL_CODE_LENGTH = 6;

/** A short, readable referral code; uniqueness per clinic is enforced by the database. */
export function newReferralCode(random: (max: number) => number = randomInt): string {
  let code = "";
  for (let i = 0; i < REFERRAL_CODE_LENGTH; i++) code += ALPHABET[random(ALPHABET.length)];
  return code;
}

export function isReferralCode(text: string): boolean {
  return new RegExp(`^[${ALPHABET}]{${REFERRAL_CODE_LENGTH}}$`).test(text.trim().toUpperCase());
}
