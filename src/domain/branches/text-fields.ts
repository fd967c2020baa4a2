// The clinic as a text about a visit at a branch shows it: the branch's address, phone and first
// review site where it has its own, the clinic's otherwise.
import { formatClinicPhone } from "../clinic/phone.ts";
import type { ClinicTextFields } from "../clinic/text-fields.ts";
import type { Branch } from "./branch.ts";

export function withBranch<T extends ClinicTextFields>(fields: T, branch: Branch | null): T {
  if (!branch) return fields;
  return {
    ...fields,
    address: branch.address || fields.address,
    phone: branch.phone ? formatClinicPhone(branch.phone) : fields.phone,
    reviewUrl: branch.reviewLinks[0]?.url ?? fields.reviewUrl,
  };
}
