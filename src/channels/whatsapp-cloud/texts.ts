// The few words the Cloud API transport adds on its own, in the message's guessed language.
import { DEFAULT_LANG, langOfLocale, textsOf } from "../../i18n/lang.ts";
import type { Dictionary } from "../../i18n/lang.ts";
import { defaultContactRequest, defaultMenuHint, guessLocale } from "../whatsapp/texts.ts";
import type { CloudRenderTexts } from "./render.ts";

const TEXT: Dictionary<"listButton"> = {
  ru: { listButton: "Выбрать" },
  en: { listButton: "Choose" },
};

export function cloudTextsFor(messageText: string): CloudRenderTexts {
  const locale = guessLocale(messageText);
  return {
    menuHint: defaultMenuHint(locale),
    contactRequest: defaultContactRequest(locale),
    listButton: textsOf(TEXT, langOfLocale(locale) ?? DEFAULT_LANG).listButton,
  };
}
