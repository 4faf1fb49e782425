/**
 * Charge per phase and charge density, shared by the companion (to clamp) and the generator (to reject).
 * Current is assumed split equally over the contacts of one polarity: each cathode carries I / cathodes,
 * each anode I / anodes. The worst contact decides.
 */

export interface ContactLoad {
  /** Charge per phase on the most loaded contact, µC. */
  chargeUc: number;
  /** Charge density per phase on that contact, µC/cm². */
  densityUcPerCm2: number;
  /** Shannon k = log10(D) + log10(Q); -Infinity at zero charge. */
  shannonK: number;
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

/** The load on the worst contact for amplitude (µA), pulse width (µs) and contact area (cm²). */
export function worstContactLoad(amplitudeUa: number, pulseWidthUs: number, contacts: string, areaCm2: number): ContactLoad {
  const { anodes, cathodes } = countPolarities(contacts);
  const sharing = Math.min(anodes || Infinity, cathodes || Infinity);
  const perContactUa = sharing === Infinity ? 0 : amplitudeUa / sharing;
  // µA × µs = pC; / 1e6 → µC.
  const chargeUc = (perContactUa * pulseWidthUs) / 1e6;
  const densityUcPerCm2 = chargeUc / areaCm2;
  const shannonK = chargeUc > 0 ? Math.log10(densityUcPerCm2) + Math.log10(chargeUc) : -Infinity;
  return { chargeUc, densityUcPerCm2, shannonK };
}

/**
 * The largest amplitude (µA, whole µA) whose worst-contact density stays at or under the limit.
 * Integer arithmetic on the boundary so the clamp and the check can never disagree by rounding.
 */
export function maxAmplitudeForDensity(pulseWidthUs: number, contacts: string, areaCm2: number, limitUcPerCm2: number): number {
  const { anodes, cathodes } = countPolarities(contacts);
  const sharing = Math.min(anodes || Infinity, cathodes || Infinity);
  if (sharing === Infinity || pulseWidthUs <= 0) return Number.MAX_SAFE_INTEGER;
  let amp = Math.floor((limitUcPerCm2 * areaCm2 * 1e6 * sharing) / pulseWidthUs);
  while (amp > 0 && worstContactLoad(amp, pulseWidthUs, contacts, areaCm2).densityUcPerCm2 > limitUcPerCm2) amp--;
  while (worstContactLoad(amp + 1, pulseWidthUs, contacts, areaCm2).densityUcPerCm2 <= limitUcPerCm2) amp++;
  return amp;
}
