import type { HardwareLimits, Range } from '../../protocol/index.js';
import { nearestOnGridWithin } from './step-grid.js';
import { notice, reject, type Notice } from './notice.js';

/** The tonic trial profile (docs/CLINICAL-RULES.md): the clinical window the companion enforces. */
export const CLINICAL_RATE_HZ = { min: 40, max: 60 } as const;
export const CLINICAL_PULSE_WIDTH_US = { min: 200, max: 500 } as const;

export interface ClampResult {
  /** The value to program, or null when the request is refused. */
  applied: number | null;
  notices: Notice[];
}

/**
 * Clamps a request into clinical ∩ hardware range and onto the generator's step grid. Every
 * difference between request and result is reported, naming the limit that decided.
 */
function clampTonic(
  requested: number,
  clinical: { min: number; max: number },
  hardware: Range,
  field: 'rate' | 'pulseWidth',
  unit: string,
): ClampResult {
  if (!Number.isFinite(requested))
    return { applied: null, notices: [reject(field, String(requested), `not a number of ${unit}`)] };
  const lo = Math.max(clinical.min, hardware.min);
  const hi = Math.min(clinical.max, hardware.max);
  const applied = nearestOnGridWithin(requested, hardware, lo, hi);
  if (applied === null) {
    const reason = `no ${unit} value on the generator's grid (${hardware.min}–${hardware.max} step ${hardware.step}) lies in the clinical window ${clinical.min}–${clinical.max} ${unit}`;
    return { applied: null, notices: [reject(field, requested, reason)] };
  }
  if (applied === requested) return { applied, notices: [] };
  let reason: string;
  if (requested > hi)
    reason =
      hi === clinical.max
        ? `clinical window max ${clinical.max} ${unit}`
        : `generator hardware max ${hardware.max} ${unit}`;
  else if (requested < lo)
    reason =
      lo === clinical.min
        ? `clinical window min ${clinical.min} ${unit}`
        : `generator hardware min ${hardware.min} ${unit}`;
  else reason = `generator step ${hardware.step} ${unit}`;
  return { applied, notices: [notice('clamp', field, requested, applied, reason)] };
}

export function clampRate(requestedHz: number, limits: HardwareLimits): ClampResult {
  return clampTonic(requestedHz, CLINICAL_RATE_HZ, limits.rateHz, 'rate', 'Hz');
}

export function clampPulseWidth(requestedUs: number, limits: HardwareLimits): ClampResult {
  return clampTonic(requestedUs, CLINICAL_PULSE_WIDTH_US, limits.pulseWidthUs, 'pulseWidth', 'µs');
}

/** A safe starting program value inside the window (the clamp of the window's middle). */
export function defaultTonic(limits: HardwareLimits): { rateHz: number | null; pulseWidthUs: number | null } {
  return { rateHz: clampRate(50, limits).applied, pulseWidthUs: clampPulseWidth(300, limits).applied };
}
