import { baseProgram } from './base-program.js';
import { accept, finalizeProgram, refuse } from './decision.js';
import { missingPole } from './electrodes.js';
import { notice } from './notice.js';
import type { Decision, SessionData } from './session-types.js';
import { patientWindowOf } from './patient-window.js';
import { measuredWindow } from './threshold-store.js';
import { uaToMa } from './units.js';

/** Output on (always from 0 mA, test mode), output off, explicit commit to therapy, patient mode. */

export function decideOutputOn(data: SessionData): Decision {
  const base = baseProgram(data);
  const g = data.generator;
  if (!base || !g || !data.limits) return refuse(data, 'output', 'on', 'not connected to a generator');
  if (g.output === 'on') return accept(data.phase, [], [notice('info', 'output', 'on', 'on', 'output is already on')]);
  if (!measuredWindow(data)) {
    return refuse(
      data,
      'output',
      'on',
      `no measured window for this pulse width, electrodes and posture (${data.posture}): use search start`,
    );
  }
  const missing = missingPole(base.program.contacts);
  if (missing) return refuse(data, 'output', 'on', missing);
  // Every start begins at 0 mA; the person then sets amplitude inside the window.
  const final = finalizeProgram({ ...base.program, amplitudeUa: 0 }, data.limits);
  const notices = [...base.notices, ...final.notices];
  if (g.amplitudeUa !== 0)
    notices.push(notice('clamp', 'amplitude', uaToMa(g.amplitudeUa), 0, 'output starts at 0 mA'));
  // bb4-F6: what it sends is said once the generator confirmed it (a lost reply: "not confirmed" only).
  return {
    ...accept('tuning', [
      { op: 'setProgram', program: final.program },
      { op: 'setOutput', on: true, mode: 'test' },
    ]),
    ...(notices.length ? { confirmed: notices } : {}),
  };
}

export function decideOutputOff(data: SessionData): Decision {
  const g = data.generator;
  if (!g) return refuse(data, 'output', 'off', 'not connected to a generator');
  return accept(data.phase === 'blocked' ? 'blocked' : 'ready', [
    { op: 'setOutput', on: false, mode: g.mode === 'therapy' ? 'therapy' : 'test' },
  ]);
}

export function decideCommit(data: SessionData): Decision {
  const g = data.generator;
  if (!g) return refuse(data, 'mode', 'commit', 'not connected to a generator');
  if (data.phase === 'therapy' && g.mode === 'therapy' && g.committed) {
    return accept('therapy', [], [notice('info', 'mode', 'therapy', 'therapy', 'therapy is already committed')]);
  }
  if (data.phase !== 'tuning' || g.output !== 'on') {
    return refuse(
      data,
      'mode',
      'therapy',
      'commit needs measured thresholds and test stimulation inside the window (search start, mark sensory, mark discomfort)',
    );
  }
  const window = measuredWindow(data);
  if (!window)
    return refuse(
      data,
      'mode',
      'therapy',
      'therapy requires measured thresholds for this pulse width, electrodes and posture',
    );
  if (g.amplitudeUa < window.lowUa || g.amplitudeUa > window.highUa) {
    return refuse(
      data,
      'amplitude',
      uaToMa(g.amplitudeUa),
      `amplitude is outside the window ${uaToMa(window.lowUa)}–${uaToMa(window.highUa)} mA: amp set inside it first`,
    );
  }
  // Said once the generator has confirmed it: a lost reply makes the line say "not confirmed" only.
  return {
    ...accept('therapy', [{ op: 'setOutput', on: true, mode: 'therapy' }]),
    confirmed: [notice('info', 'mode', 'therapy', 'therapy', 'therapy committed to the generator')],
  };
}

/**
 * Patient mode on: amplitude must already be inside the patient window. Above it, amplitude comes down
 * to the window's maximum at once (the safe direction); below it, patient mode is refused, since it
 * never raises amplitude by itself. Off is always possible (the UI asks the clinician first).
 */
export function decidePatientMode(data: SessionData, on: boolean): Decision {
  if (!on) {
    // bb5 nit: off when it was never on changes nothing, and says so (no "window again" that never left).
    const reason = data.patientMode
      ? 'patient mode off: the clinician has the whole measured window again'
      : 'patient mode was not on: nothing changed';
    return accept(data.phase, [], [notice('info', 'session', 'patient mode off', 'patient mode off', reason)], {
      patientMode: false,
    });
  }
  if (data.phase === 'search')
    return refuse(data, 'session', 'patient mode on', 'finish or stop the threshold search first');
  const g = data.generator;
  const entered = notice(
    'info',
    'session',
    'patient mode on',
    'patient mode on',
    'patient mode on: the patient may change amplitude only, inside the patient window, and turn output off',
  );
  // bb4-L3: with no patient window there is nothing to keep amplitude inside, output on or off.
  const window = patientWindowOf(data);
  if (!window)
    return refuse(
      data,
      'session',
      'patient mode on',
      'no patient window: measure the sensory and discomfort thresholds for this program first',
    );
  if (!g || g.output !== 'on' || !data.limits) return accept(data.phase, [], [entered], { patientMode: true });
  if (g.amplitudeUa < window.lowUa) {
    return refuse(
      data,
      'session',
      'patient mode on',
      `amplitude ${uaToMa(g.amplitudeUa)} mA is below the patient window ${uaToMa(window.lowUa)}–${uaToMa(window.highUa)} mA; patient mode never raises amplitude by itself: set it inside the window first`,
    );
  }
  if (g.amplitudeUa > window.highUa) {
    const final = finalizeProgram(
      { rateHz: g.rateHz, pulseWidthUs: g.pulseWidthUs, amplitudeUa: window.highUa, contacts: g.contacts },
      data.limits,
      data.impedance ?? null,
    );
    // bb4-F6: what it did is said once the generator confirmed it (a lost reply: "not confirmed" only).
    return {
      ...accept(data.phase, [{ op: 'setProgram', program: final.program }], final.notices, { patientMode: true }),
      confirmed: [
        notice(
          'clamp',
          'amplitude',
          uaToMa(g.amplitudeUa),
          uaToMa(final.program.amplitudeUa),
          `patient mode on: amplitude brought down at once to the patient window max ${uaToMa(window.highUa)} mA`,
        ),
        entered,
      ],
    };
  }
  return accept(data.phase, [], [entered], { patientMode: true });
}
