import type { HardwareLimits } from '../../protocol/index.js';
import { amplitudeCeiling } from './amplitude-window.js';
import type { ImpedanceCheck } from './impedance-check.js';
import { notice, type Notice } from './notice.js';
import { floorToGrid } from './step-grid.js';
import { uaToMa } from './units.js';
import { estimateStart, type ThresholdEstimate } from './weiss-estimate.js';

/**
 * H3: raising pulse width at the same amplitude raises charge per phase and feels like a jolt.
 * A pulse-width change therefore never raises charge per phase (amplitude × width) by more than one
 * amplitude step's worth at the new width; amplitude is lowered first as needed. It never rises.
 */
export function maxAmplitudeAfterWidthChange(
  amplitudeUa: number,
  fromPulseWidthUs: number,
  toPulseWidthUs: number,
  limits: HardwareLimits,
): number {
  const step = limits.amplitudeUa.step;
  // Q_new = A·PW_new ≤ Q_old + step·PW_new  ⇔  A ≤ Q_old/PW_new + step (integer µA·µs arithmetic).
  const bound = Math.floor((amplitudeUa * fromPulseWidthUs) / toPulseWidthUs) + step;
  return Math.min(amplitudeUa, floorToGrid(bound, limits.amplitudeUa) ?? limits.amplitudeUa.min);
}

export interface WidthChangePlan {
  amplitudeUa: number;
  estimate: ThresholdEstimate | null;
  notices: Notice[];
}

/**
 * The amplitude to program with a new pulse width. Measured thresholds are discarded by the caller;
 * when a sensory threshold was known, a Weiss-law estimate at the new width caps the amplitude at or
 * below the estimated sensory threshold and is offered, marked estimated, as a starting point.
 */
export function planWidthChange(
  amplitudeUa: number,
  fromPulseWidthUs: number,
  toPulseWidthUs: number,
  contacts: string,
  sensoryUa: number | null,
  limits: HardwareLimits,
  impedance: ImpedanceCheck | null = null,
): WidthChangePlan {
  const notices: Notice[] = [];
  const h3 = maxAmplitudeAfterWidthChange(amplitudeUa, fromPulseWidthUs, toPulseWidthUs, limits);
  const ceiling = amplitudeCeiling(toPulseWidthUs, contacts, limits, impedance);
  const estimate = sensoryUa !== null ? estimateStart(sensoryUa, fromPulseWidthUs, toPulseWidthUs, limits) : null;
  let applied = Math.min(h3, ceiling.ceilingUa);
  let reason =
    h3 < amplitudeUa
      ? `pulse width ${fromPulseWidthUs}→${toPulseWidthUs} µs: charge per phase may rise by at most one step`
      : '';
  if (ceiling.ceilingUa < h3) reason = ceiling.reason;
  if (estimate && estimate.startUa < applied) {
    applied = estimate.startUa;
    reason = `at or below the estimated sensory threshold ${uaToMa(Math.floor(estimate.sensoryUa))} mA at ${toPulseWidthUs} µs (Weiss law, estimated)`;
  }
  if (applied !== amplitudeUa) notices.push(notice('clamp', 'amplitude', uaToMa(amplitudeUa), uaToMa(applied), reason));
  if (estimate) {
    notices.push(
      notice(
        'warn',
        'threshold',
        null,
        uaToMa(estimate.startUa),
        `pulse width changed: measured thresholds discarded; estimated sensory threshold ${uaToMa(Math.floor(estimate.sensoryUa))} mA ` +
          `at ${toPulseWidthUs} µs (Weiss law, chronaxie 295 µs) — an estimate only; re-measure before therapy`,
      ),
    );
  }
  return { amplitudeUa: applied, estimate, notices };
}
