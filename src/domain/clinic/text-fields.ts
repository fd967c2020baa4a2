// The clinic as every patient text and canned reply shows it: one place, so no text prints the
// phone raw (+74951234567) or the name twice wrapped («клиники «Клиника «…»»»).
import { clinicBrand } from "./clinic-name.ts";
import { formatClinicPhone } from "./phone.ts";
import { reviewLinkOf } from "./settings.ts";
import type { ClinicSettings } from "./settings.ts";

export interface ClinicTextFields {
  /** As the clinic wrote it: «Клиника «Добрый доктор»». */
  name: string;
  /** Its own name for «клиники «…»»: «Добрый доктор». */
  brand: string;
  /** «+7 495 123-45-67». */
  phone: string;
  address: string;
  /** The first review link. */
  reviewUrl: string;
}

export function clinicTextFields(name: string, settings: Pick<ClinicSettings, "phone" | "address" | "reviewLinks" | "reviewUrl">): ClinicTextFields {
  return { name, brand: clinicBrand(name), phone: formatClinicPhone(settings.phone), address: settings.address, reviewUrl: reviewLinkOf(settings) };
}
