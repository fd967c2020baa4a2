// A clinic writes its name as it likes: «Клиника «Добрый доктор»», «Добрый доктор», «Медси».
// Texts that say «клиники «…»» need the name without the word and the quotes, or a patient reads
// «клиники «Клиника «Добрый доктор»»».

/** The clinic's own name: the part in «» or "" if there is one, else the name without a leading «Клиника»/«Clinic». */
export function clinicBrand(name: string): string {
  const trimmed = name.trim();
  const quoted = /[«"“„]([^«»"“”„]+)[»"”“]/.exec(trimmed);
  if (quoted?.[1]?.trim()) return quoted[1].trim();
  return trimmed.replace(/^(клиника|clinic)\s+/i, "").trim() || trimmed;
}
