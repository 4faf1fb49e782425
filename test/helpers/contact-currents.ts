/**
 * Reference for the charge-density tests (issue 19), written from the rule and not from the code:
 * contacts of one polarity are in parallel, so each takes the amplitude in proportion to its
 * conductance 1/Z within its polarity. Returns the current (µA) on every contact, 0 when off.
 */
export function contactCurrents(amplitudeUa: number, contacts: string, ohms: readonly number[]): number[] {
  const conductance = (pol: string) => [...contacts].reduce((sum, c, j) => (c === pol ? sum + 1 / ohms[j]! : sum), 0);
  return [...contacts].map((c, i) => (c === '0' ? 0 : (amplitudeUa * (1 / ohms[i]!)) / conductance(c)));
}

/** Charge density per phase (µC/cm²) of a current (µA) at a pulse width (µs) on a contact area (cm²). */
export const densityOf = (currentUa: number, pulseWidthUs: number, areaCm2: number): number =>
  (currentUa * pulseWidthUs) / 1e6 / areaCm2;

/** The highest density on any contact. */
export function highestDensity(
  amplitudeUa: number,
  pulseWidthUs: number,
  contacts: string,
  ohms: readonly number[],
  areaCm2: number,
): number {
  return Math.max(...contactCurrents(amplitudeUa, contacts, ohms).map((i) => densityOf(i, pulseWidthUs, areaCm2)));
}
