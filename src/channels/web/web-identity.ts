import type { WebChatDeps } from "./deps.ts";

/**
 * The preview page's chats are `preview-<patientId>`, each in that patient's sandbox database;
 * the terminal chat's are `cli-<patientId>`, in the clinic's database.
 */
export const PREVIEW_CHAT_PREFIX = "preview-";
export const CLI_CHAT_PREFIX = "cli-";

export interface WebIdentity {
  id: number;
  externalChatId: string;
  patientId: number | null;
}

/**
 * Finds or creates the web chat through which staff talk as this patient, linked to the patient
 * as a messenger chat is after the contact step. The patient must belong to CareBot's clinic.
 */
export async function linkWebIdentity(carebot: Pick<WebChatDeps, "db" | "clock" | "clinic">, patientId: number, chatId: string): Promise<WebIdentity> {
  const clinicId = carebot.clinic.id;
  const now = carebot.clock.now();
  const identity = await carebot.db.prisma.channelIdentity.upsert({
    where: { clinicId_channel_externalChatId: { clinicId, channel: "web", externalChatId: chatId } },
    create: { clinicId, channel: "web", externalChatId: chatId, patientId, linkedAt: now },
    update: {},
    select: { id: true, externalChatId: true, patientId: true, linkedAt: true },
  });
  if (identity.patientId === patientId && identity.linkedAt) return identity;
  // A chat left unlinked (or linked elsewhere by hand) is linked back to the patient it is named after.
  return carebot.db.prisma.channelIdentity.update({
    where: { id: identity.id },
    data: { patientId, linkedAt: now },
    select: { id: true, externalChatId: true, patientId: true },
  });
}

/** The clinic's web chat with this id, or null: channels other than "web" are never reachable here. */
export async function findWebIdentity(carebot: Pick<WebChatDeps, "db" | "clinic">, chatId: string): Promise<WebIdentity | null> {
  return carebot.db.prisma.channelIdentity.findUnique({
    where: { clinicId_channel_externalChatId: { clinicId: carebot.clinic.id, channel: "web", externalChatId: chatId } },
    select: { id: true, externalChatId: true, patientId: true },
  });
}
