import type { HardwareLimits } from '../../protocol/index.js';
import { densityLimit, densityMaxUa } from './charge-density-limit.js';
import { contactShare, shareClause } from './contact-share.js';
import type { ImpedanceCheck } from './impedance-check.js';
import { ceilToGrid, floorToGrid } from './step-grid.js';
import { notice, reject } from './notice.js';
import type { ClampResult } from './tonic-clamps.js';
import { uaToMa } from './units.js';

/** Measured thresholds, both in µA on the generator's grid. */
export interface Thresholds {
  sensoryUa: number;
  discomfortUa: number;
}

export interface Ceiling {
  /** Highest amplitude the hardware and the charge-density limit allow, on the grid. */
  ceilingUa: number;
  reason: string;
}

/**
 * Hardware maximum and charge-density limit for this pulse width and electrode configuration, each
 * contact's share of the current from `impedance` when it is valid for this configuration, else the
 * worst case (contact-share.ts). The reason names the most loaded contact when it shares its polarity.
 */
export function amplitudeCeiling(
  pulseWidthUs: number,
  contacts: string,
  limits: HardwareLimits,
  impedance: ImpedanceCheck | null = null,
): Ceiling {
  const share = contactShare(impedance, contacts);
  const byDensity = densityMaxUa(pulseWidthUs, contacts, limits, share);
  const hw = limits.amplitudeUa.max;
  const raw = Math.min(hw, byDensity);
  const ceilingUa = floorToGrid(raw, limits.amplitudeUa) ?? limits.amplitudeUa.min;
  const reason =
    byDensity < hw
      ? `charge-density limit ${densityLimit(limits)} µC/cm² at ${pulseWidthUs} µs${shareClause(contacts, share)}`
      : `generator hardware max ${uaToMa(hw)} mA`;
  return { ceilingUa, reason };
}

export interface AmplitudeWindow {
  lowUa: number;
  highUa: number;
  highReason: string;
  /** Why the low end is where it is, when not the sensory threshold (e.g. the patient window). */
  lowReason?: string;
}

/**
 * The clinical window [sensory, discomfort], both ends inclusive, narrowed by the hardware and
 * charge-density ceiling. Null when the narrowing leaves nothing (the ceiling is below sensory).
 */
export function amplitudeWindow(
  t: Thresholds,
  pulseWidthUs: number,
  contacts: string,
  limits: HardwareLimits,
  impedance: ImpedanceCheck | null = null,
): AmplitudeWindow | null {
  const ceiling = amplitudeCeiling(pulseWidthUs, contacts, limits, impedance);
  const lowUa = ceilToGrid(t.sensoryUa, limits.amplitudeUa);
  const discomfortOnGrid = floorToGrid(t.discomfortUa, limits.amplitudeUa) ?? limits.amplitudeUa.min;
  const highUa = Math.min(discomfortOnGrid, ceiling.ceilingUa);
  if (lowUa === null || lowUa > highUa) return null;
  const highReason =
    discomfortOnGrid <= ceiling.ceilingUa ? `discomfort threshold ${uaToMa(t.discomfortUa)} mA` : ceiling.reason;
  return { lowUa, highUa, highReason };
}

/**
 * Clamps a requested amplitude (µA) into the window: above → the upper bound, below → the sensory
 * threshold (zero is reached only by output off or STOP), between → down onto the generator's grid.
 */
export function clampAmplitude(
  requestedUa: number,
  window: AmplitudeWindow | null,
  limits: HardwareLimits,
): ClampResult {
  const requestedMa = uaToMa(requestedUa);
  if (!Number.isFinite(requestedUa))
    return { applied: null, notices: [reject('amplitude', String(requestedUa), 'not a number of mA')] };
  if (window === null) {
    return {
      applied: null,
      notices: [reject('amplitude', requestedMa, 'no measured window: mark sensory and discomfort thresholds first')],
    };
  }
  if (requestedUa > window.highUa) {
    return {
      applied: window.highUa,
      notices: [notice('clamp', 'amplitude', requestedMa, uaToMa(window.highUa), window.highReason)],
    };
  }
  if (requestedUa < window.lowUa) {
    const reason =
      window.lowReason ?? `sensory threshold ${uaToMa(window.lowUa)} mA (output off or STOP is the way to zero)`;
    return {
      applied: window.lowUa,
      notices: [notice('clamp', 'amplitude', requestedMa, uaToMa(window.lowUa), reason)],
    };
  }
  // Inside the window; the window's ends are on the grid, so flooring stays ≥ lowUa.
  const applied = Math.max(floorToGrid(requestedUa, limits.amplitudeUa) ?? window.lowUa, window.lowUa);
  if (applied === requestedUa) return { applied, notices: [] };
  const reason = `generator step ${uaToMa(limits.amplitudeUa.step)} mA`;
  return { applied, notices: [notice('clamp', 'amplitude', requestedMa, uaToMa(applied), reason)] };
}
