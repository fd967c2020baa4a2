// What "English in the Russian console" means for the tests that look for it: the words of a
// user interface (buttons, states, errors, zod's and JavaScript's own leftovers). Proper names
// (CareBot, Telegram, WhatsApp, MAX), formats (JSON, cron, HH:MM) and data are not UI words.

const ENGLISH_UI = [
  "Save", "Saved", "Saving", "Cancel", "Close", "Delete", "Remove", "Add", "Edit", "Reset", "Reload", "Back", "Next", "Previous", "Submit", "Send",
  "Search", "Filter", "Apply", "Open", "Login", "Log in", "Log out", "Logout", "Password", "Sign in",
  "Error", "Errors", "Warning", "Loading", "Failed", "Success", "Unknown", "None", "Yes", "No", "OK",
  "Settings", "Dashboard", "Queue", "Patients", "Patient", "Flows", "Texts", "Staff", "Clinic", "Operator", "Operators", "Preview",
  "Invalid", "Expected", "Required", "required", "must be", "is not", "cannot", "should", "not found", "Not Found", "Unauthorized", "Forbidden",
  "Too big", "Too small", "received", "expected", "Unrecognized", "problem(s)", "nothing was saved", "internal error",
  "undefined", "null", "NaN", "[object Object]", "Infinity", "Invalid Date",
  "today", "yesterday", "minutes", "hours", "days", "ago", "total", "of",
];

const PROPER_NAMES = new Set(["CareBot", "Telegram", "WhatsApp", "JSON", "cron", "MAX", "MIS", "SLA", "NPS", "CSV", "HH", "MM", "YYYY", "DD", "ID", "URL", "SMS", "https", "http", "www"]);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// A word or phrase on its own: not inside a longer Latin word (an id such as "sleeping-adults" or "nps.ask" is data).
const PATTERNS = ENGLISH_UI.map((phrase) => ({ phrase, re: new RegExp(`(?<![A-Za-z0-9_.-])${escape(phrase)}(?![A-Za-z0-9_-])`) }));

/** The known English UI words and phrases found in a page's text, each once. */
export function englishWordsIn(text: string): string[] {
  return PATTERNS.filter(({ re }) => re.test(text)).map(({ phrase }) => phrase);
}

/** Every Latin word of a text but the proper names: what a person should read through by eye. */
export function latinWordsIn(text: string): string[] {
  return [...new Set(text.match(/[A-Za-z][A-Za-z']+/g) ?? [])].filter((w) => !PROPER_NAMES.has(w));
}
