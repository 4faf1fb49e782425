import type { HardwareLimits } from '../../protocol/index.js';
import { maxAmplitudeForDensity, SHANNON_K_WARNING, worstContactLoad } from '../../protocol/index.js';
import { contactShare, type ContactShare } from './contact-share.js';
import type { ImpedanceCheck } from './impedance-check.js';
import { notice, type Notice } from './notice.js';
import { uaToMa } from './units.js';

/** The widely used limit (docs/CLINICAL-RULES.md); a generator reporting a lower one narrows it further. */
export const CHARGE_DENSITY_LIMIT_UC_PER_CM2 = 30;

export function densityLimit(limits: HardwareLimits): number {
  return Math.min(CHARGE_DENSITY_LIMIT_UC_PER_CM2, limits.maxChargeDensity);
}

/**
 * The largest amplitude (µA) whose most loaded contact stays at or under the density limit, the
 * shares taken from `share` (default: no impedance check, the whole amplitude on one contact).
 */
export function densityMaxUa(
  pulseWidthUs: number,
  contacts: string,
  limits: HardwareLimits,
  share: ContactShare = contactShare(null, contacts),
): number {
  return maxAmplitudeForDensity(pulseWidthUs, contacts, limits.contactAreaCm2, densityLimit(limits), share.split);
}

/** A warning (never silent) when the program reaches the Shannon damage line k ≥ 1.85. */
export function shannonWarning(
  amplitudeUa: number,
  pulseWidthUs: number,
  contacts: string,
  limits: HardwareLimits,
  impedance: ImpedanceCheck | null = null,
): Notice | null {
  const load = worstContactLoad(
    amplitudeUa,
    pulseWidthUs,
    contacts,
    limits.contactAreaCm2,
    contactShare(impedance, contacts).split,
  );
  if (load.shannonK < SHANNON_K_WARNING) return null;
  return notice(
    'warn',
    'amplitude',
    uaToMa(amplitudeUa),
    uaToMa(amplitudeUa),
    `Shannon k ${load.shannonK.toFixed(2)} ≥ ${SHANNON_K_WARNING} at ${pulseWidthUs} µs ` +
      `(${load.densityUcPerCm2.toFixed(1)} µC/cm² on the most loaded contact)`,
  );
}
