// The one place CareBot reads a patient's free text: text + language + what the flow asks →
// what the patient means, and how sure we are. No messenger, no XState: flows ask it through a guard.
import type { Lexicon } from "./lexicon.ts";
import { readSignals } from "./read-signals.ts";
import type { Found, Signals } from "./read-signals.ts";
import { clip } from "../../util/clip.ts";

/**
 * What the conversation is waiting for: the same words mean different things in each. «confirm»
 * answers «does something bother you?» («всё хорошо» is no); «attend» answers «will you come to
 * your visit?» («хорошо», 👍 say yes there, «не знаю» says neither).
 */
export const EXPECTATIONS = ["checkin", "nps-score", "nps-comment", "rebook", "confirm", "attend", "free"] as const;
export type Expectation = (typeof EXPECTATIONS)[number];

export const INTENTS = [
  "fine",
  "complaint",
  "urgent",
  "dissatisfied",
  "person",
  "booking",
  "waitlist",
  "balance",
  "visits",
  "referral",
  "consents",
  "promo",
  "gift",
  "number",
  "yes",
  "no",
  "stop",
  "thanks",
  "question",
  "unknown",
] as const;
export type Intent = (typeof INTENTS)[number];

/** Meanings that may start a flow of their own when a patient writes out of the blue (flow triggers.intents). */
export const FREE_TEXT_INTENTS = ["person", "stop", "booking", "waitlist", "balance", "visits", "referral", "consents", "promo", "gift"] as const satisfies readonly Intent[];

/** What the main menu offers, each read from its own word list (the list is named as the meaning). */
const MENU_MEANINGS = ["balance", "visits", "referral", "consents", "gift"] as const satisfies readonly (Intent & Found["list"])[];

export interface Reading {
  intent: Intent;
  /** 0…1; at CLEAR and above a flow may act on it, below it asks. */
  confidence: number;
  /** The score named («на девятку» → 9), when intent is number. */
  number?: number;
  /** The day and time the patient wishes («в субботу утром»), when they name one. */
  timeWish?: string;
  /** The words that decided, for the operator's card and the benchmark. */
  evidence: string[];
}

/** At or above this a reading is clear enough to act on; below it the flow asks. */
export const CLEAR = 0.75;

const active = (s: Signals, list: Found["list"]) => s.found.filter((f) => f.list === list && !f.negated);
const negated = (s: Signals, list: Found["list"]) => s.found.filter((f) => f.list === list && f.negated);
const phrasesOf = (found: Found[]) => found.map((f) => (f.negated ? `не ${f.phrase}` : f.phrase));

/** The patient's day and time wish as they wrote it, when the message names a day or a time. */
function timeWishOf(s: Signals, text: string): string | undefined {
  return active(s, "timeWish").length > 0 ? clip(text.trim(), 200) : undefined;
}

/** A message that is a score and nothing more: «10», «на девятку», «9 из 10», «ставлю 8 👍». */
function scoreOf(s: Signals, lexicon: Lexicon): number | undefined {
  if (s.numbers.length === 0 || s.numbers.length > 2) return undefined;
  const onlyScore = s.tokens.every((t, i) => {
    if (t.kind !== "word") return true;
    if (lexicon.numbers.has(t.key)) return true;
    const roles = lexicon.modifiers.get(t.key);
    return roles?.has("scoreFillers") || s.found.some((f) => f.start <= i && f.end >= i && (f.list === "fine" || f.list === "thanks"));
  });
  if (!onlyScore) return undefined;
  // «9 из 10», «9/10»: the first is the score.
  if (s.numbers.length === 2) return s.numbers[1] === 10 ? s.numbers[0] : undefined;
  return s.numbers[0];
}

function startsWithAnswer(s: Signals, answers: string[][]): boolean {
  return answers.some((keys) => keys.length > 0 && keys.every((k, i) => s.tokens[i]?.key === k));
}

function complaintReading(s: Signals): Reading | null {
  const symptoms = active(s, "symptoms");
  const persistence = active(s, "persistence");
  const vague = active(s, "vague");
  if (symptoms.length > 0) {
    // «Всё хорошо, только немного ноет»: a complaint, but one to ask about.
    const mild = symptoms.every((f) => f.mild) && persistence.length === 0;
    // «Хорошо, опухоль почти сошла»: good news mentioning a symptom is asked about; with a «но»
    // («врач хороший, но болит») the complaint is what the patient means.
    const mixed = active(s, "fine").length > 0 && persistence.length === 0 && !s.contrast;
    const confidence = mild || mixed ? 0.6 : 0.9;
    return { intent: "complaint", confidence, evidence: phrasesOf([...symptoms, ...persistence]) };
  }
  if (persistence.length > 0) return { intent: "complaint", confidence: 0.6, evidence: phrasesOf(persistence) };
  // «Не очень», «так себе», «не очень хорошо», 😢: maybe.
  const unsure = [...vague, ...negated(s, "fine")];
  // «Ужасный сервис» is about the service, not about how the patient feels.
  if (unsure.length > 0 && active(s, "dissatisfied").length === 0) return { intent: "complaint", confidence: 0.5, evidence: phrasesOf(unsure) };
  return null;
}

/**
 * «Вы придёте?» A visit is confirmed or called off only on a plain answer: «да», «приду», «ок»,
 * 👍 come; «нет», «не смогу», «отмените» do not; «наверное», «не знаю», a question about
 * another day or a complaint are neither (the flow asks again, offers times or a person reads it).
 * A wrong confirmation is worse than asking twice. Null: read it as anywhere else.
 */
/** What answers «Вы придёте?»: only attendReading gives these. */
const ANSWERS: readonly Intent[] = ["yes", "no", "fine"];

function attendReading(s: Signals, lexicon: Lexicon): Reading | null {
  const complaint = complaintReading(s);
  if (complaint && complaint.confidence >= CLEAR) return complaint;
  const stop = active(s, "stop");
  if (stop.length > 0) return { intent: "stop", confidence: 0.85, evidence: phrasesOf(stop) };
  const hedges = active(s, "hedge");
  // «Да наверное», «постараюсь», «пока не знаю»: not an answer to act on.
  if (hedges.length > 0) return { intent: "unknown", confidence: 0.3, evidence: phrasesOf(hedges) };
  // «Не очень», «not sure»: maybe unwell, maybe unsure; either way not an answer to act on.
  if (complaint) return { intent: "unknown", confidence: 0.3, evidence: complaint.evidence };
  const cancel = active(s, "cancel");
  if (cancel.length > 0) return { intent: "no", confidence: 0.9, evidence: phrasesOf(cancel) };
  // A message that opens with «нет» («нет, заболела»); «не …» is read by what it negates.
  const first = s.tokens[0];
  const plainNo = first !== undefined && first.text !== "не" && lexicon.answers.no.some((keys) => keys.length === 1 && keys[0] === first.key && lexicon.modifiers.get(first.key)?.has("negators"));
  if (plainNo) return { intent: "no", confidence: 0.85, evidence: [s.tokens[0]!.text] };
  // «Перенесите на пятницу», «а можно на пятницу после 5?»: the flow offers other times.
  // «Приду» is a booking word elsewhere, a yes here.
  const booking = [...active(s, "booking"), ...active(s, "waitlist")].filter((f) => !(f.start === f.end && lexicon.modifiers.get(s.tokens[f.start]!.key)?.has("yes")));
  if (booking.length > 0) return { intent: "booking", confidence: 0.85, evidence: phrasesOf(booking) };
  // «Не отменяйте», «да, приду», «буду»: yes, even with a question about the visit after it («да, а во сколько?»).
  if (negated(s, "cancel").length > 0 || startsWithAnswer(s, lexicon.answers.yes)) return { intent: "yes", confidence: 0.9, evidence: ["да"] };
  // «Не переживайте, приду»: a yes word later on, not negated, and no complaint beside it.
  const saidYes = s.tokens.findIndex((t, i) => lexicon.modifiers.get(t.key)?.has("yes") && !(i > 0 && lexicon.modifiers.get(s.tokens[i - 1]!.key)?.has("negators")));
  if (saidYes >= 0) return { intent: "yes", confidence: 0.8, evidence: [s.tokens[saidYes]!.text] };
  const times = active(s, "timeWish");
  if (times.length > 0) return { intent: "booking", confidence: 0.75, evidence: phrasesOf(times) };
  // «Ок», «хорошо», 👍 to «Вы придёте?» is a yes; with a question («хорошо, а где вы?») it is asked again.
  const fine = active(s, "fine");
  if (fine.length > 0 && !s.question) return { intent: "fine", confidence: 0.8, evidence: phrasesOf(fine) };
  return null;
}

/**
 * Reads one message. The order of the checks is the policy: a red flag wins over everything, a
 * score wins where a score is asked, a complaint wins over politeness («спасибо, но болит»).
 */
export function understand(text: string, lexicon: Lexicon, expecting: Expectation): Reading {
  return understandSignals(readSignals(text, lexicon), text, lexicon, expecting);
}

/** understand, from the text's signals already read (readSignals of the same text and lexicon). */
export function understandSignals(s: Signals, text: string, lexicon: Lexicon, expecting: Expectation): Reading {
  const red = active(s, "redFlags");
  if (red.length > 0 || s.highFever) {
    return { intent: "urgent", confidence: 0.95, evidence: s.highFever ? [...phrasesOf(red), "высокая температура"] : phrasesOf(red) };
  }

  if (expecting === "nps-score") {
    const score = scoreOf(s, lexicon);
    if (score !== undefined) return { intent: "number", confidence: 0.95, number: score, evidence: [String(score)] };
  }

  if (expecting === "attend") {
    // Whatever else it says (a thank-you, a question, the balance), it never answers the visit.
    const attending = attendReading(s, lexicon);
    if (attending) return attending;
    const reading = understandSignals(s, text, lexicon, "free");
    return ANSWERS.includes(reading.intent) ? { intent: s.question ? "question" : "unknown", confidence: 0.3, evidence: reading.evidence } : reading;
  }

  if (expecting === "confirm") {
    const complaint = complaintReading(s);
    if (startsWithAnswer(s, lexicon.answers.no) && (!complaint || complaint.confidence < CLEAR)) return { intent: "no", confidence: 0.9, evidence: ["нет"] };
    if (startsWithAnswer(s, lexicon.answers.yes)) return { intent: "yes", confidence: 0.9, evidence: ["да"] };
    if (complaint) return { ...complaint, intent: "yes", confidence: Math.max(complaint.confidence, CLEAR) };
    if (active(s, "fine").length > 0 || negated(s, "symptoms").length > 0) return { intent: "no", confidence: 0.8, evidence: phrasesOf(active(s, "fine")) };
  }

  const complaint = complaintReading(s);
  const stop = active(s, "stop");
  if (stop.length > 0 && (!complaint || complaint.confidence < CLEAR)) return { intent: "stop", confidence: 0.85, evidence: phrasesOf(stop) };
  if (complaint) return complaint;
  // «Отмените мою запись» out of the blue: about the patient's visits, for a person to act on
  // (the past «отменили» has the same stem, so it is not read as a complaint about the service).
  const cancel = active(s, "cancel");
  if (cancel.length > 0 && expecting === "free") return { intent: "visits", confidence: 0.8, evidence: phrasesOf(cancel) };

  // «Сообщите, если освободится время раньше» out of the blue is the waitlist; inside a
  // conversation about a time (rebooking) it is a wish for that time.
  const waitlist = active(s, "waitlist");
  if (waitlist.length > 0 && expecting === "free") return { intent: "waitlist", confidence: 0.85, evidence: phrasesOf(waitlist) };
  // «У меня есть промокод» out of the blue: the patient wants to use it.
  const promo = active(s, "promo");
  if (promo.length > 0 && expecting === "free") return { intent: "promo", confidence: 0.85, evidence: phrasesOf(promo) };
  const person = active(s, "person");
  const booking = [...active(s, "booking"), ...waitlist];
  const times = active(s, "timeWish");
  const dissatisfied = active(s, "dissatisfied");
  const fine = [...active(s, "fine"), ...negated(s, "symptoms"), ...negated(s, "redFlags"), ...negated(s, "vague"), ...negated(s, "dissatisfied")];
  const thanks = active(s, "thanks");
  const wantsTime = (expecting === "rebook" && (times.length > 0 || booking.length > 0)) || (booking.length > 0 && expecting !== "nps-comment" && expecting !== "checkin");

  if (dissatisfied.length > 0 && (expecting === "nps-comment" || person.length === 0)) {
    return { intent: "dissatisfied", confidence: 0.8, evidence: phrasesOf(dissatisfied) };
  }
  if (wantsTime) {
    const wish = timeWishOf(s, text);
    return { intent: "booking", confidence: times.length > 0 ? 0.85 : 0.75, ...(wish ? { timeWish: wish } : {}), evidence: phrasesOf([...booking, ...times]) };
  }
  if (person.length > 0 && expecting !== "nps-comment") return { intent: "person", confidence: 0.85, evidence: phrasesOf(person) };
  // «Привет, сколько у меня баллов?»: greetings and politeness say nothing, the menu's meaning
  // does. A number beside «баллов» is a score («10 баллов»), not the bonus balance.
  for (const meaning of MENU_MEANINGS) {
    const said = active(s, meaning);
    if (said.length === 0 || (meaning === "balance" && s.numbers.length > 0)) continue;
    return { intent: meaning, confidence: 0.85, evidence: phrasesOf(said) };
  }
  // Out of the blue, a question beside good news or thanks («спасибо, а когда можно подъехать?») is for a person to answer.
  if ((fine.length > 0 || thanks.length > 0) && s.question && expecting === "free") return { intent: "question", confidence: 0.6, evidence: ["?"] };
  if (fine.length > 0) return { intent: "fine", confidence: active(s, "fine").length > 0 ? 0.9 : 0.8, evidence: phrasesOf(fine) };
  if (thanks.length > 0) {
    // After a visit, a bare «спасибо» says all is well.
    const caring = expecting === "checkin" || expecting === "nps-comment";
    return { intent: caring ? "fine" : "thanks", confidence: caring ? 0.75 : 0.8, evidence: phrasesOf(thanks) };
  }
  if (s.numbers.length > 0 && expecting !== "checkin") {
    const score = scoreOf(s, lexicon);
    if (score !== undefined) return { intent: "number", confidence: 0.8, number: score, evidence: [String(score)] };
  }
  if (s.question) return { intent: "question", confidence: 0.6, evidence: ["?"] };
  return { intent: "unknown", confidence: 0, evidence: [] };
}
