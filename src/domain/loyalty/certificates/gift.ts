// Giving a certificate to a friend in the chat: its owner gets a link (or a code to type); the
// friend who opens it becomes the owner, and the certificate gets a new code so that only the
// friend can spend it.
import type { Tx } from "../../../db/client.ts";
import { newCertificateCode, newShareToken } from "./codes.ts";
import { certificateView, spendable } from "./view.ts";
import type { CertificateView } from "./view.ts";

/** Prepares a gift link for one of the owner's certificates; null when it is not theirs to give. */
export async function startGift(tx: Tx, input: { clinicId: number; certificateId: number; ownerPatientId: number; now: Date }): Promise<{ token: string; certificate: CertificateView } | null> {
  const row = await tx.giftCertificate.findUnique({ where: { id: input.certificateId } });
  if (!row || row.clinicId !== input.clinicId || row.ownerPatientId !== input.ownerPatientId || !spendable(certificateView(row, input.now))) return null;
  // Asking again gives the same link: a patient who lost the message can have it back.
  if (row.shareToken) return { token: row.shareToken, certificate: certificateView(row, input.now) };
  let token = newShareToken();
  while (await tx.giftCertificate.findUnique({ where: { clinicId_shareToken: { clinicId: input.clinicId, shareToken: token } }, select: { id: true } })) token = newShareToken();
  const updated = await tx.giftCertificate.update({ where: { id: row.id }, data: { shareToken: token } });
  return { token, certificate: certificateView(updated, input.now) };
}

export type ClaimOutcome = "claimed" | "own" | "unknown" | "expired";

/** The friend opened the gift link: the certificate is theirs, with a new code. */
export async function claimGift(tx: Tx, input: { clinicId: number; token: string; patientId: number; now: Date }): Promise<{ outcome: ClaimOutcome; certificate?: CertificateView }> {
  const token = input.token.trim().replace(/^gift_/i, "").toLowerCase();
  const row = token ? await tx.giftCertificate.findUnique({ where: { clinicId_shareToken: { clinicId: input.clinicId, shareToken: token } } }) : null;
  if (!row) {
    // Opening the link twice: the friend already holds it.
    const entry = await tx.giftCertificateEntry.findFirst({ where: { clinicId: input.clinicId, sourceKey: { startsWith: `cert:gift:` , endsWith: `:${token}` }, patientId: input.patientId } });
    if (entry) return { outcome: "claimed", certificate: certificateView(await tx.giftCertificate.findUniqueOrThrow({ where: { id: entry.certificateId } }), input.now) };
    return { outcome: "unknown" };
  }
  if (row.ownerPatientId === input.patientId) return { outcome: "own", certificate: certificateView(row, input.now) };
  if (row.expiresAt <= input.now) return { outcome: "expired", certificate: certificateView(row, input.now) };
  let code = newCertificateCode();
  while (await tx.giftCertificate.findUnique({ where: { clinicId_code: { clinicId: input.clinicId, code } }, select: { id: true } })) code = newCertificateCode();
  const updated = await tx.giftCertificate.update({ where: { id: row.id }, data: { ownerPatientId: input.patientId, shareToken: null, code } });
  await tx.giftCertificateEntry.create({
    data: { clinicId: input.clinicId, certificateId: row.id, kind: "gift", amount: 0, patientId: input.patientId, sourceKey: `cert:gift:${row.id}:${token}`, createdAt: input.now },
  });
  return { outcome: "claimed", certificate: certificateView(updated, input.now) };
}
