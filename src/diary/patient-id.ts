/**
 * Patients are known to the companion only by a pseudonymous id (letters, digits, `.`, `_`, `-`;
 * at most 64). Spaces are refused so a name typed by mistake ("Jane Doe") is caught, not stored.
 */
const PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Returns an error message, or null when `id` is acceptable. */
export function patientIdProblem(id: string | undefined): string | null {
  if (id === undefined || id === '') return 'a patient id is required (--patient ID)';
  if (!PATTERN.test(id)) {
    return `patient id '${id.slice(0, 80)}' is not a pseudonymous id: use 1–64 letters, digits, '.', '_' or '-' (no spaces, no names)`;
  }
  return null;
}
