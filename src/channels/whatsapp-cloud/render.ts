// OutboundMessage → the Cloud API's message objects (POST /{phone-number-id}/messages bodies,
// without `to`). Up to 3 short options become reply buttons, up to 10 a list, more (an 11-point
// scale) the numbered text the WhatsApp Web transport sends. Long texts are split at paragraph,
// line or word ends so each part fits WhatsApp's limits.
import type { OutboundMessage } from "../types.ts";
import { renderMenu } from "../whatsapp/render.ts";
import { withLinkLines } from "../telegram/render.ts";
import { optionId } from "./option-id.ts";

/** WhatsApp's limits (Cloud API reference: text, interactive button and list messages). */
export const LIMITS = { text: 4096, interactiveBody: 1024, buttons: 3, buttonTitle: 20, rows: 10, rowTitle: 24, rowDescription: 72, listButton: 20 } as const;

export type CloudMessage =
  | { type: "text"; text: { body: string; preview_url: boolean } }
  | { type: "interactive"; interactive: Interactive }
  | { type: "template"; template: { name: string; language: { code: string }; components?: { type: "body"; parameters: { type: "text"; text: string }[] }[] } };

type Interactive =
  | { type: "button"; body: { text: string }; action: { buttons: { type: "reply"; reply: { id: string; title: string } }[] } }
  | { type: "list"; body: { text: string }; action: { button: string; sections: { rows: { id: string; title: string; description?: string }[] }[] } };

export interface CloudRenderTexts {
  /** The line under a numbered menu (more options than a list holds). */
  menuHint: string;
  /** The sentence that asks for the phone number (the Cloud API has no share-contact button). */
  contactRequest: string;
  /** The list's button ("Выбрать"), at most 20 characters. */
  listButton: string;
}

export function renderCloudMessages(withLinks: OutboundMessage, texts: CloudRenderTexts): CloudMessage[] {
  // The Cloud API's reply buttons cannot open a page: each link is a line of the text.
  const message = { ...withLinks, text: withLinkLines(withLinks) };
  const options = message.options ?? [];
  const contact = message.requestContact ? [texts.contactRequest] : [];
  const fitsButtons = options.length > 0 && options.length <= LIMITS.buttons && options.every((o) => o.label.trim().length <= LIMITS.buttonTitle);
  const fitsList = options.length > 0 && options.length <= LIMITS.rows;
  if (!fitsButtons && !fitsList) {
    const menu = options.length > 0 ? [renderMenu(options), texts.menuHint] : [];
    return splitText(join([message.text, ...menu, ...contact]), LIMITS.text).map(textMessage);
  }
  // The options hang under the last part of the text, which must fit an interactive body.
  const parts = splitText(join([message.text, ...contact]) || "…", LIMITS.interactiveBody);
  const body = { text: parts.pop()! };
  const leading = parts.length > 0 ? splitText(join(parts), LIMITS.text).map(textMessage) : [];
  const interactive: Interactive = fitsButtons
    ? { type: "button", body, action: { buttons: options.map((o) => ({ type: "reply", reply: { id: optionId(o.value), title: o.label.trim() } })) } }
    : {
        type: "list",
        body,
        action: {
          button: texts.listButton.slice(0, LIMITS.listButton),
          sections: [
            {
              rows: options.map((o) => {
                const label = o.label.trim();
                const fits = label.length <= LIMITS.rowTitle;
                // A long label is cut in the title and shown whole (up to 72) underneath.
                return { id: optionId(o.value), title: fits ? label : `${label.slice(0, LIMITS.rowTitle - 1)}…`, ...(fits ? {} : { description: label.slice(0, LIMITS.rowDescription) }) };
              }),
            },
          ],
        },
      };
  return [...leading, { type: "interactive", interactive }];
}

/** The approved template with its body parameters ({{1}}, {{2}}… in order). */
export function templateMessage(template: { name: string; language: string; params: readonly string[] }): CloudMessage {
  return {
    type: "template",
    template: {
      name: template.name,
      language: { code: template.language },
      ...(template.params.length > 0 ? { components: [{ type: "body", parameters: template.params.map((text) => ({ type: "text", text })) }] } : {}),
    },
  };
}

function textMessage(body: string): CloudMessage {
  return { type: "text", text: { body, preview_url: false } };
}

function join(parts: readonly string[]): string {
  return parts.map((p) => p.trim()).filter((p) => p.length > 0).join("\n\n");
}

/** Parts of at most `max` characters, cut at the last paragraph, line or word end that fits. */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    const cut = [window.lastIndexOf("\n\n"), window.lastIndexOf("\n"), window.lastIndexOf(" ")].find((i) => i > max / 2) ?? max;
    parts.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}
