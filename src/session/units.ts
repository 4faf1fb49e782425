/**
 * People (scripts, the UI) speak mA; the wire speaks whole µA. Conversions live here so a mA/µA
 * mix-up has exactly one place to happen.
 */

/** mA → whole µA. Rejects what is not a finite, non-negative number (never guesses). */
export function maToUa(ma: number): number {
  if (!Number.isFinite(ma) || ma < 0) throw new RangeError(`amplitude must be a non-negative number of mA, got ${ma}`);
  return Math.round(ma * 1000);
}

/** µA → mA, exact to the µA (no binary-fraction noise such as 0.30000000000000004). */
export function uaToMa(ua: number): number {
  return Number((ua / 1000).toFixed(3));
}
