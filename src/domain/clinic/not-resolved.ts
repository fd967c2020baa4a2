// The clinic a process serves cannot be told (resolveClinic in src/core.ts). The message is
// English for logs; the command line words `why` in its own language (src/cli/errors.ts).
export class ClinicNotResolved extends Error {
  override name = "ClinicNotResolved";
  constructor(
    readonly why: "unknown-slug" | "none" | "several",
    readonly slug?: string,
  ) {
    super(
      why === "unknown-slug"
        ? `no clinic "${slug}" in the database (CLINIC_SLUG)`
        : why === "none"
          ? "the database has no clinic yet: run `carebot seed --demo` or start with SEED_DEMO=1"
          : "the database has several clinics: set CLINIC_SLUG to the one this CareBot serves",
    );
  }
}

