import type { Program } from '../link/generator-link.js';
import { accept, finalizeProgram, outputOffFirst, refuse } from './decision.js';
import { staleAfterElectrodeChange } from './contact-share.js';
import { describeContacts, missingPole, parseElectrodeTokens, validateContacts } from './electrodes.js';
import { notice } from './notice.js';
import { baseProgram } from './base-program.js';
import { planWidthChange } from './pulse-width-change.js';
import type { Decision, DecisionPatch, Posture, SessionData } from './session-types.js';
import { currentRecord } from './threshold-store.js';
import { neighbourOnGrid } from './step-grid.js';
import { clampPulseWidth, clampRate } from './tonic-clamps.js';
import { uaToMa } from './units.js';

/** Program changes other than amplitude: electrodes, rate, pulse width; and the posture label. */

/**
 * `confirmed` notices and `confirmedPatch` describe what the new program does to the session (amplitude
 * to 0, thresholds discarded, an estimate): said and adopted only once the generator has confirmed it,
 * so a change that was not made claims nothing and keeps the window of the program still running (bb5-N1).
 */
function setProgramDecision(
  data: SessionData,
  what: string,
  program: Program,
  extra: Decision['notices'],
  confirmed: Decision['notices'] = [],
  confirmedPatch: DecisionPatch = {},
): Decision {
  const off = outputOffFirst(data, what);
  const final = finalizeProgram(
    program,
    data.limits!,
    confirmedPatch.impedance !== undefined ? confirmedPatch.impedance : (data.impedance ?? null),
  );
  return {
    ...accept(
      'ready',
      [...off.ops, { op: 'setProgram', program: final.program }],
      [...extra, ...off.notices, ...final.notices],
    ),
    ...(confirmed.length ? { confirmed } : {}),
    ...(Object.keys(confirmedPatch).length ? { confirmedPatch } : {}),
  };
}

export function decideElectrodes(data: SessionData, spec: string | readonly string[]): Decision {
  const base = baseProgram(data);
  if (!base || !data.limits) return refuse(data, 'electrodes', null, 'not connected to a generator');
  const count = data.limits.contactCount;
  const parsed = typeof spec === 'string' ? validateContacts(spec, count) : parseElectrodeTokens(spec, count);
  const shown = typeof spec === 'string' ? spec : spec.join(' ');
  if (!parsed.ok) return refuse(data, 'electrodes', shown, parsed.reason);
  const missing = missingPole(parsed.contacts);
  if (missing) return refuse(data, 'electrodes', shown, missing);
  if (parsed.contacts === base.program.contacts)
    return accept(
      data.phase,
      [],
      [notice('info', 'electrodes', shown, describeContacts(parsed.contacts), 'unchanged')],
    );
  const confirmed: Decision['notices'] = [];
  if (base.program.amplitudeUa !== 0) {
    confirmed.push(
      notice('clamp', 'amplitude', uaToMa(base.program.amplitudeUa), 0, 'an electrode change sets amplitude to 0'),
    );
  }
  if (data.thresholds.length)
    confirmed.push(notice('warn', 'threshold', null, null, 'electrode change: measured thresholds discarded'));
  const program = { ...base.program, contacts: parsed.contacts, amplitudeUa: 0 };
  // The impedance check no longer gives current shares: the next check (a search start makes one) does.
  const impedance = staleAfterElectrodeChange(data.impedance);
  return setProgramDecision(data, 'electrode change', program, base.notices, confirmed, {
    estimate: null,
    patientWindow: null,
    ...(data.impedance ? { impedance } : {}),
  });
}

export function decideRate(data: SessionData, hz: number): Decision {
  const base = baseProgram(data);
  if (!base || !data.limits) return refuse(data, 'rate', hz, 'not connected to a generator');
  const clamp = clampRate(hz, data.limits);
  if (clamp.applied === null) return { ...refuse(data, 'rate', hz, ''), notices: clamp.notices };
  if (clamp.applied === base.program.rateHz && base.valid) return accept(data.phase, [], clamp.notices);
  return setProgramDecision(data, 'rate change', { ...base.program, rateHz: clamp.applied }, [
    ...base.notices,
    ...clamp.notices,
  ]);
}

export function decidePulseWidth(data: SessionData, us: number): Decision {
  const base = baseProgram(data);
  if (!base || !data.limits) return refuse(data, 'pulseWidth', us, 'not connected to a generator');
  const clamp = clampPulseWidth(us, data.limits);
  if (clamp.applied === null) return { ...refuse(data, 'pulseWidth', us, ''), notices: clamp.notices };
  if (clamp.applied === base.program.pulseWidthUs && base.valid) return accept(data.phase, [], clamp.notices);
  const sensory = currentRecord(data)?.sensoryUa ?? null;
  const plan = planWidthChange(
    base.program.amplitudeUa,
    base.program.pulseWidthUs,
    clamp.applied,
    base.program.contacts,
    sensory,
    data.limits,
    data.impedance ?? null,
  );
  const confirmed = [...plan.notices];
  if (data.thresholds.length && !plan.estimate)
    confirmed.push(notice('warn', 'threshold', null, null, 'pulse width changed: measured thresholds discarded'));
  const program = { ...base.program, pulseWidthUs: clamp.applied, amplitudeUa: plan.amplitudeUa };
  return setProgramDecision(data, 'pulse width change', program, [...base.notices, ...clamp.notices], confirmed, {
    estimate: plan.estimate,
    patientWindow: null,
  });
}

/**
 * One step of the generator's grid from the program in force, then exactly the RATE / PULSE_WIDTH
 * decision: the clinical-window clamp (a notice at the edge), output off first, thresholds, H3.
 */
export function decideRateStep(data: SessionData, direction: 1 | -1): Decision {
  const base = baseProgram(data);
  if (!base || !data.limits)
    return refuse(data, 'rate', direction > 0 ? 'one step up' : 'one step down', 'not connected to a generator');
  return decideRate(data, neighbourOnGrid(base.program.rateHz, data.limits.rateHz, direction));
}

export function decidePulseWidthStep(data: SessionData, direction: 1 | -1): Decision {
  const base = baseProgram(data);
  if (!base || !data.limits)
    return refuse(data, 'pulseWidth', direction > 0 ? 'one step up' : 'one step down', 'not connected to a generator');
  return decidePulseWidth(data, neighbourOnGrid(base.program.pulseWidthUs, data.limits.pulseWidthUs, direction));
}

/** Posture labels the thresholds being measured; while stimulating it changes the window, so output goes off first. */
export function decidePosture(data: SessionData, posture: Posture): Decision {
  if (posture === data.posture) return accept(data.phase);
  const off = outputOffFirst(data, 'posture change');
  return accept(off.ops.length ? 'ready' : data.phase, off.ops, off.notices, { posture });
}
