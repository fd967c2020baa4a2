// What the loyalty routes share: the patient by the MIS's id, and the clinic's bonus rules.
import type { Tx } from "../../db/client.ts";
import { parseClinicSettings } from "../../domain/clinic/settings.ts";
import type { ClinicSettings } from "../../domain/clinic/settings.ts";
import { ApiProblem } from "./problems.ts";

export async function patientIdOf(tx: Pick<Tx, "patient">, clinicId: number, externalId: string, field: string): Promise<number> {
  const patient = await tx.patient.findUnique({ where: { clinicId_externalId: { clinicId, externalId } }, select: { id: true } });
  if (!patient) throw new ApiProblem(422, "validation failed", { [field]: `no patient "${externalId}": send it to POST /api/patients first` });
  return patient.id;
}

export async function clinicSettings(tx: Pick<Tx, "clinic">, clinicId: number): Promise<ClinicSettings> {
  const row = await tx.clinic.findUniqueOrThrow({ where: { id: clinicId }, select: { settings: true } });
  return parseClinicSettings(row.settings);
}
