import type { Database } from "../../db/client.ts";
import { ClinicNotResolved } from "./not-resolved.ts";

/** The clinic this process serves. Shared by reference: a rename in the console reaches every part. */
export interface ServedClinic {
  id: number;
  name: string;
  timezone: string;
}

/** The clinic this process serves: CLINIC_SLUG, or the only clinic there is. */
export async function resolveClinic(db: Database, slug?: string): Promise<ServedClinic> {
  const select = { id: true, name: true, timezone: true, slug: true };
  if (slug) {
    const clinic = await db.prisma.clinic.findUnique({ where: { slug }, select });
    if (!clinic) throw new ClinicNotResolved("unknown-slug", slug);
    return clinic;
  }
  const clinics = await db.prisma.clinic.findMany({ select, take: 2, orderBy: { id: "asc" } });
  if (clinics.length === 0) throw new ClinicNotResolved("none");
  if (clinics.length > 1) throw new ClinicNotResolved("several");
  return clinics[0]!;
}
