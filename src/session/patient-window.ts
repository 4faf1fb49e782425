import { accept, refuse } from './decision.js';
import type { AmplitudeWindow } from './amplitude-window.js';
import { notice, type Notice } from './notice.js';
import type { Decision, SessionData } from './session-types.js';
import { ceilToGrid, floorToGrid } from './step-grid.js';
import { measuredWindow } from './threshold-store.js';
import { maToUa, uaToMa } from './units.js';

/**
 * The clinician's window for patient mode: a range inside the measured window (both ends on the
 * generator's grid). In patient mode amplitude stays inside it; without one the measured window applies.
 */

export interface PatientWindowSetting {
  lowUa: number;
  highUa: number;
}

/** The window patient mode enforces now: the clinician's range, kept inside today's measured window. */
export function patientWindowOf(data: SessionData): AmplitudeWindow | null {
  const measured = measuredWindow(data);
  const set = data.patientWindow;
  if (!measured || !set) return measured;
  const lowUa = Math.max(measured.lowUa, set.lowUa);
  const highUa = Math.min(measured.highUa, set.highUa);
  if (lowUa > highUa) return null;
  return {
    lowUa,
    highUa,
    highReason:
      highUa === set.highUa ? `patient window max ${uaToMa(highUa)} mA (set by the clinician)` : measured.highReason,
    lowReason: `patient window min ${uaToMa(lowUa)} mA (set by the clinician; output off or STOP is the way to zero)`,
  };
}

/**
 * One end of the requested range moved INWARD only: into the measured window and onto the generator's
 * grid, the minimum up and the maximum down. Null when nothing of the window lies on that side.
 */
function inward(
  which: 'min' | 'max',
  requestedUa: number,
  w: AmplitudeWindow,
  step: { min: number; max: number; step: number },
): { ua: number | null; reason: string } {
  if (which === 'min') {
    if (requestedUa <= w.lowUa)
      return { ua: w.lowUa, reason: `measured window min ${uaToMa(w.lowUa)} mA (sensory threshold)` };
    const up = ceilToGrid(requestedUa, step);
    return {
      ua: up === null || up > w.highUa ? null : up,
      reason: `rounded up to the generator's ${uaToMa(step.step)} mA step`,
    };
  }
  if (requestedUa >= w.highUa) return { ua: w.highUa, reason: `measured window max: ${w.highReason}` };
  const down = floorToGrid(requestedUa, step);
  return {
    ua: down === null || down < w.lowUa ? null : down,
    reason: `rounded down to the generator's ${uaToMa(step.step)} mA step`,
  };
}

export function decidePatientWindow(data: SessionData, minMa: number, maxMa: number): Decision {
  const shown = `${minMa}–${maxMa} mA`;
  if (![minMa, maxMa].every((x) => Number.isFinite(x) && x >= 0))
    return refuse(data, 'patientWindow', shown, 'the patient window is two non-negative numbers of mA');
  if (minMa > maxMa) return refuse(data, 'patientWindow', shown, 'the patient window minimum exceeds its maximum');
  const measured = measuredWindow(data);
  if (!measured || !data.limits)
    return refuse(
      data,
      'patientWindow',
      shown,
      'no measured window for this pulse width, electrodes and posture: mark sensory and discomfort thresholds first',
    );
  const grid = data.limits.amplitudeUa;
  const low = inward('min', maToUa(minMa), measured, grid);
  const high = inward('max', maToUa(maxMa), measured, grid);
  if (low.ua === null || high.ua === null || low.ua > high.ua) {
    // Rounding only ever narrows the range, so nothing of it may be left: refused, never widened.
    return refuse(
      data,
      'patientWindow',
      shown,
      `nothing of ${minMa}–${maxMa} mA is left inside the measured window ${uaToMa(measured.lowUa)}–${uaToMa(measured.highUa)} mA on the generator's ${uaToMa(grid.step)} mA steps (the minimum is only rounded up and the maximum only down): choose a wider range`,
    );
  }
  const notices: Notice[] = [];
  if (low.ua !== maToUa(minMa))
    notices.push(notice('clamp', 'patientWindow', minMa, uaToMa(low.ua), `patient window min: ${low.reason}`));
  if (high.ua !== maToUa(maxMa))
    notices.push(notice('clamp', 'patientWindow', maxMa, uaToMa(high.ua), `patient window max: ${high.reason}`));
  notices.push(
    notice(
      'info',
      'patientWindow',
      shown,
      `${uaToMa(low.ua)}–${uaToMa(high.ua)} mA`,
      'patient window set: patient mode keeps amplitude inside it',
    ),
  );
  const g = data.generator;
  if (g && g.output === 'on' && (g.amplitudeUa < low.ua || g.amplitudeUa > high.ua)) {
    notices.push(
      notice(
        'warn',
        'amplitude',
        uaToMa(g.amplitudeUa),
        null,
        `amplitude now is outside the patient window ${uaToMa(low.ua)}–${uaToMa(high.ua)} mA: turning patient mode on brings it down to the maximum, or is refused below the minimum`,
      ),
    );
  }
  return accept(data.phase, [], notices, { patientWindow: { lowUa: low.ua, highUa: high.ua } });
}
