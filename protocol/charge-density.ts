import {
  equalSplit,
  mostLoadedContact,
  smallestDivisor,
  type CurrentSplit,
  type LoadedContact,
} from './current-split.js';

/**
 * Charge per phase and charge density, shared by the companion (to clamp) and the generator (to reject).
 * The current of each polarity divides over its contacts as `split` says (current-split.ts): from
 * measured impedance, the worst case (whole amplitude on one contact) without a usable measurement,
 * or equally when no split is given. The most loaded contact, anode or cathode, decides.
 */

export interface ContactLoad {
  /** Charge per phase on the most loaded contact, µC. */
  chargeUc: number;
  /** Charge density per phase on that contact, µC/cm². */
  densityUcPerCm2: number;
  /** Shannon k = log10(D) + log10(Q); -Infinity at zero charge. */
  shannonK: number;
  /** The most loaded contact (1-based), its polarity and its share of that polarity's current; null when none is active. */
  mostLoaded: LoadedContact | null;
}

export const SHANNON_K_WARNING = 1.85;

export function countPolarities(contacts: string): { anodes: number; cathodes: number } {
  let anodes = 0;
  let cathodes = 0;
  for (const c of contacts) {
    if (c === '+') anodes++;
    else if (c === '-') cathodes++;
  }
  return { anodes, cathodes };
}

/** The load on the most loaded contact for amplitude (µA), pulse width (µs) and contact area (cm²). */
export function worstContactLoad(
  amplitudeUa: number,
  pulseWidthUs: number,
  contacts: string,
  areaCm2: number,
  split: CurrentSplit = equalSplit(contacts),
): ContactLoad {
  const divisor = smallestDivisor(split);
  const perContactUa = divisor === Infinity ? 0 : amplitudeUa / divisor;
  // µA × µs = pC; / 1e6 → µC.
  const chargeUc = (perContactUa * pulseWidthUs) / 1e6;
  const densityUcPerCm2 = chargeUc / areaCm2;
  const shannonK = chargeUc > 0 ? Math.log10(densityUcPerCm2) + Math.log10(chargeUc) : -Infinity;
  return { chargeUc, densityUcPerCm2, shannonK, mostLoaded: mostLoadedContact(contacts, split) };
}

/**
 * The largest amplitude (µA, whole µA) whose most loaded contact stays at or under the limit.
 * Integer arithmetic on the boundary so the clamp and the check can never disagree by rounding.
 */
export function maxAmplitudeForDensity(
  pulseWidthUs: number,
  contacts: string,
  areaCm2: number,
  limitUcPerCm2: number,
  split: CurrentSplit = equalSplit(contacts),
): number {
  const sharing = smallestDivisor(split);
  if (sharing === Infinity || pulseWidthUs <= 0) return Number.MAX_SAFE_INTEGER;
  const density = (amp: number) => worstContactLoad(amp, pulseWidthUs, contacts, areaCm2, split).densityUcPerCm2;
  let amp = Math.floor((limitUcPerCm2 * areaCm2 * 1e6 * sharing) / pulseWidthUs);
  while (amp > 0 && density(amp) > limitUcPerCm2) amp--;
  while (density(amp + 1) <= limitUcPerCm2) amp++;
  return amp;
}
