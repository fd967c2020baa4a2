// The operators' Telegram chat hears about urgent escalations: a short Russian note with a link
// to the conversation in the console. Only the patient's first name: staff groups have many
// members and long memories, and the console (behind a login) has the rest.
import type { Config } from "../../config.ts";
import type { EscalationAlertFacts, EscalationAlerts } from "../../domain/escalations/alert.ts";
import { firstNameOf } from "../../domain/names/names.ts";
import { formatDateTime } from "../../flows/templates/index.ts";
import { priorityLabel, reasonLabel } from "../console/labels.ts";

/** The console's address for one conversation (the page opens it on load), or the queue. */
export function consoleLink(publicUrl: string, conversationId: number | null): string {
  return conversationId === null ? `${publicUrl}/console` : `${publicUrl}/console?conversation=${conversationId}`;
}

export function escalationAlertText(facts: EscalationAlertFacts, publicUrl: string): string {
  const firstName = facts.patientFullName ? firstNameOf({ fullName: facts.patientFullName, firstName: facts.patientFirstName }) : "";
  const priority = priorityLabel("ru", facts.priority);
  return [
    `🚨 Новое обращение: ${priority}`,
    `Причина: ${reasonLabel("ru", facts.reason)}`,
    `Пациент: ${firstName || "чат не привязан к карточке"}`,
    `Ответить до: ${formatDateTime(facts.slaDueAt, facts.timezone, "ru")}`,
    `Открыть: ${consoleLink(publicUrl, facts.conversationId)}`,
  ].join("\n");
}

/** The alerts this configuration asks for, or undefined when OPERATORS_TELEGRAM_CHAT_ID is unset. */
export function escalationAlertsFor(config: Pick<Config, "operatorAlerts" | "publicUrl">): EscalationAlerts | undefined {
  const target = config.operatorAlerts;
  if (!target) return undefined;
  return { telegramChatId: target.telegramChatId, text: (facts) => escalationAlertText(facts, config.publicUrl) };
}
