import { describe, expect, it } from "vitest";
import { defaultReader } from "../../../src/domain/understanding/index.ts";
import type { Expectation, Intent } from "../../../src/domain/understanding/index.ts";

// Replies typed by patients playing every flow (a 70-year-old without punctuation, a busy mother,
// someone unsure or angry) that CareBot misread, each with what it must mean now. A reading that
// would act wrongly (confirm or cancel a visit on a guess) is worse than asking again.
const reader = defaultReader();

type Row = [expecting: Expectation, text: string, intent: Intent, extra?: { number?: number; clear?: boolean }];

describe("what patients type, read for what the flow asks", () => {
  const rows: Row[] = [
    // «Вы придёте?» (visit reminder): «ок», «хорошо», 👍 come; they were read as «no» and opened the cancel question.
    ["attend", "хорошо", "fine", { clear: true }],
    ["attend", "Хорошо, спасибо за напоминание", "fine", { clear: true }],
    ["attend", "👍", "fine", { clear: true }],
    ["attend", "ок", "yes", { clear: true }],
    ["attend", "буду 👍", "yes", { clear: true }],
    ["attend", "да конечно приду спасибо что напомнили", "yes", { clear: true }],
    ["attend", "не переживайте, приду", "yes", { clear: true }],
    ["attend", "не отменяйте, я приду", "yes", { clear: true }],
    ["attend", "да, а во сколько?", "yes", { clear: true }],
    // Neither yes nor no: asked again, the visit untouched («не знаю» was a «no»; «да наверное» a «yes»).
    ["attend", "да наверное", "unknown"],
    ["attend", "не знаю", "unknown"],
    ["attend", "ну не знаю посмотрим", "unknown"],
    ["attend", "постараюсь", "unknown"],
    ["attend", "приду если успею с работы", "unknown"],
    ["attend", "да не", "unknown"],
    ["attend", "хорошо, а где вы находитесь?", "question"],
    ["attend", "спасибо!", "thanks"],
    ["attend", "сколько стоит", "question"],
    // Calling it off in words («отмените» was read as a complaint that the clinic «отменили»).
    ["attend", "отмените пожалуйста", "no", { clear: true }],
    ["attend", "завтра не смогу", "no", { clear: true }],
    ["attend", "к сожалению не получится", "no", { clear: true }],
    ["attend", "нет не смогу заболела", "no", { clear: true }],
    ["attend", "да нет", "no", { clear: true }],
    ["attend", "не могу", "no", { clear: true }],
    // Another time: the flow offers the doctor's free times.
    ["attend", "а можно на пятницу после 5?", "booking"],
    ["attend", "а можно попозже", "booking"],
    ["attend", "перенесите на пятницу", "booking"],
    // A complaint is not a «yes» (it confirmed the visit); a red flag is urgent anywhere.
    ["attend", "зуб болит", "complaint", { clear: true }],
    ["attend", "у меня кровь не останавливается", "urgent"],
    ["attend", "хватит мне писать", "stop"],
    // Out of the blue.
    ["free", "какие у вас цены", "question"],
    ["free", "отмените мою запись", "visits"],
    ["free", "хочу отменить запись", "visits"],
    ["free", "уберите рассылку", "stop"],
    ["free", "надоели ваши сообщения", "stop"],
    ["free", "не хочу больше получать сообщения", "stop"],
    ["free", "не хочу получать рекламу", "consents"],
    ["free", "отпишите от рекламы", "consents"],
    ["free", "отпишите меня от рекламы", "consents"],
    ["free", "удалите мои данные", "consents"],
    ["free", "приведу подругу", "referral"],
    ["free", "хочу подарить сертификат маме", "gift"],
    ["free", "можно сертификат в подарок подруге?", "gift"],
    ["free", "вы мне так и не перезвонили", "dissatisfied"],
    // A question beside thanks is a question (it was a «thanks» and the question was lost).
    ["free", "спасибо, а когда можно подъехать", "question"],
    ["free", "спасибо как долго заживает", "question"],
    ["free", "спасибо, что напомнили", "thanks"],
    ["free", "спасибо!", "thanks"],
    // «Вы хотите, чтобы мы больше не присылали вам сообщения?» (opt-out) is read like «will you come?»: plain yes or no.
    ["attend", "да", "yes", { clear: true }],
    ["attend", "Да, больше не присылать", "stop", { clear: true }],
    ["attend", "нет, оставьте", "no", { clear: true }],
    // The NPS score in words.
    ["nps-score", "ну 7 наверное", "number", { number: 7 }],
    ["nps-score", "восемь", "number", { number: 8 }],
    ["nps-score", "твёрдая восьмёрка", "number", { number: 8 }],
    // Another scale is not guessed into 0–10: the flow asks again naming 0–10.
    ["nps-score", "на 4 из 5", "unknown"],
    // «Да, всё хорошо» still answers «does something bother you?» with no, as before.
    ["confirm", "нет всё хорошо", "no"],
    ["confirm", "да", "yes"],
  ];

  it.each(rows)("%s: «%s» → %s", (expecting, text, intent, extra) => {
    const reading = reader.read(text, "ru", expecting);
    expect(reading.intent).toBe(intent);
    if (extra?.number !== undefined) expect(reading.number).toBe(extra.number);
    if (extra?.clear) expect(reading.confidence).toBeGreaterThanOrEqual(0.75);
  });

  it.each<Row>([
    ["attend", "ok", "fine", { clear: true }],
    ["attend", "yes, I'll be there", "yes", { clear: true }],
    ["attend", "maybe", "unknown"],
    ["attend", "not sure", "unknown"],
    ["attend", "I can't make it", "no", { clear: true }],
  ])("en %s: «%s» → %s", (expecting, text, intent, extra) => {
    const reading = reader.read(text, "en", expecting);
    expect(reading.intent).toBe(intent);
    if (extra?.clear) expect(reading.confidence).toBeGreaterThanOrEqual(0.75);
  });
});
