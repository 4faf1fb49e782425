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
    highReason: highUa === set.highUa ? `patient window max ${uaToMa(highUa)} mA (set by the clinician)` : measured.highReason,
    lowReason: `patient window min ${uaToMa(lowUa)} mA (set by the clinician; output off or STOP is the way to zero)`,
  };
}

/** One end of the requested range, moved into the measured window and onto the grid (inwards), said so. */
function end(which: 'min' | 'max', requestedMa: number, w: AmplitudeWindow, step: { min: number; max: number; step: number }, notices: Notice[]): number {
  const requestedUa = maToUa(requestedMa);
  let applied: number;
  let reason: string;
  if (requestedUa < w.lowUa) {
    applied = w.lowUa;
    reason = `measured window min ${uaToMa(w.lowUa)} mA (sensory threshold)`;
  } else if (requestedUa > w.highUa) {
    applied = w.highUa;
    reason = `measured window max: ${w.highReason}`;
  } else {
    // The window's ends are on the grid, so rounding inwards stays inside it.
    applied = which === 'min' ? (ceilToGrid(requestedUa, step) ?? w.highUa) : (floorToGrid(requestedUa, step) ?? w.lowUa);
    reason = `generator step ${uaToMa(step.step)} mA`;
  }
  if (applied !== requestedUa) notices.push(notice('clamp', 'amplitude', requestedMa, uaToMa(applied), `patient window ${which}: ${reason}`));
  return applied;
}

export function decidePatientWindow(data: SessionData, minMa: number, maxMa: number): Decision {
  const shown = `${minMa}–${maxMa}`;
  if (![minMa, maxMa].every((x) => Number.isFinite(x) && x >= 0)) return refuse(data, 'amplitude', shown, 'the patient window is two non-negative numbers of mA');
  if (minMa > maxMa) return refuse(data, 'amplitude', shown, 'the patient window minimum exceeds its maximum');
  const measured = measuredWindow(data);
  if (!measured || !data.limits) return refuse(data, 'amplitude', shown, 'no measured window for this pulse width, electrodes and posture: mark sensory and discomfort thresholds first');
  const notices: Notice[] = [];
  const lowUa = end('min', minMa, measured, data.limits.amplitudeUa, notices);
  const highUa = Math.max(lowUa, end('max', maxMa, measured, data.limits.amplitudeUa, notices));
  notices.push(notice('info', 'amplitude', shown, `${uaToMa(lowUa)}–${uaToMa(highUa)}`, 'patient window set: patient mode keeps amplitude inside it'));
  const g = data.generator;
  if (g && g.output === 'on' && (g.amplitudeUa < lowUa || g.amplitudeUa > highUa)) {
    notices.push(notice('warn', 'amplitude', uaToMa(g.amplitudeUa), null, `amplitude now is outside the patient window ${uaToMa(lowUa)}–${uaToMa(highUa)} mA: set it inside before patient mode`));
  }
  return accept(data.phase, [], notices, { patientWindow: { lowUa, highUa } });
}
