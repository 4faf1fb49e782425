import type { ImpedanceReading } from '../../protocol/index.js';
import { baseProgram } from './base-program.js';
import { accept, finalizeProgram, outputOffFirst, refuse } from './decision.js';
import { missingPole } from './electrodes.js';
import { notice, type Notice } from './notice.js';
import { searchStepUa } from './search-step.js';
import type { Decision, SessionData } from './session-types.js';
import { currentRecord, measuredWindow, putRecord } from './threshold-store.js';
import { uaToMa } from './units.js';

/**
 * Threshold search: impedance check, then output on in test mode at 0 mA; the person marks the
 * sensory threshold, then discomfort, at which amplitude drops at once to the sensory threshold.
 */

export function decideSearchStart(data: SessionData): Decision {
  const base = baseProgram(data);
  if (!base || !data.limits) return refuse(data, 'session', 'search start', 'not connected to a generator');
  if (searchStepUa(data.limits) === null) {
    return refuse(
      data,
      'amplitude',
      'search start',
      `the generator's amplitude step ${uaToMa(data.limits.amplitudeUa.step)} mA exceeds 0.1 mA: no safe search step`,
    );
  }
  const missing = missingPole(base.program.contacts);
  if (missing) return refuse(data, 'electrodes', 'search start', missing);
  const off = outputOffFirst(data, 'threshold search');
  return accept('impedance', off.ops, off.notices);
}

/**
 * A new search replaces the thresholds measured for this program and posture: said before it starts,
 * naming what is lost (the window in force, or a sensory threshold marked without a discomfort one).
 */
export function discardedThresholds(data: SessionData): Notice[] {
  const window = measuredWindow(data);
  if (window) {
    const shown = `${uaToMa(window.lowUa)}–${uaToMa(window.highUa)} mA`;
    return [
      notice('warn', 'threshold', null, null, `starting a new threshold search discards the measured window ${shown}`),
    ];
  }
  const sensoryUa = currentRecord(data)?.sensoryUa ?? null;
  if (sensoryUa === null) return [];
  return [
    notice(
      'warn',
      'threshold',
      null,
      null,
      `starting a new threshold search discards the sensory threshold ${uaToMa(sensoryUa)} mA`,
    ),
  ];
}

/** An impedance check on its own: output goes off first (the generator measures without stimulating). */
export function decideImpedanceCheck(data: SessionData): Decision {
  if (!data.generator || !data.limits)
    return refuse(data, 'electrodes', 'impedance check', 'not connected to a generator');
  const off = outputOffFirst(data, 'impedance check');
  return accept('impedanceCheck', off.ops, off.notices);
}

/** Readings of an impedance check: open or shorted contacts are flagged (warn), nothing else changes. */
export function impedanceNotices(readings: readonly ImpedanceReading[], contacts: string): Notice[] {
  return readings.flatMap((r, i) =>
    r === 'open' || r === 'short'
      ? [
          notice(
            'warn',
            'electrodes',
            `contact ${i + 1}`,
            r,
            `contact ${i + 1} reads ${r}${contacts[i] && contacts[i] !== '0' ? ' and is in use: choose other contacts before stimulating' : ''}`,
          ),
        ]
      : [],
  );
}

/** Active contacts with an open or shorted lead refuse the search; inactive ones only warn. */
export function decideAfterImpedance(data: SessionData, readings: readonly ImpedanceReading[], now: number): Decision {
  const base = baseProgram(data);
  if (!base || !data.limits) return refuse(data, 'session', 'search start', 'not connected to a generator');
  const notices: Notice[] = [...base.notices];
  const bad: string[] = [];
  [...base.program.contacts].forEach((polarity, i) => {
    const r = readings[i];
    if (r !== 'open' && r !== 'short') return;
    if (polarity === '0')
      notices.push(notice('warn', 'electrodes', `contact ${i + 1}`, r, `contact ${i + 1} reads ${r} (not in use)`));
    else bad.push(`contact ${i + 1} ${r}`);
  });
  if (bad.length)
    return {
      ...refuse(data, 'electrodes', 'search start', `impedance check failed: ${bad.join(', ')}; choose other contacts`),
      next: 'ready',
    };
  const final = finalizeProgram({ ...base.program, amplitudeUa: 0 }, data.limits);
  const g = final.program;
  const fresh = {
    pulseWidthUs: g.pulseWidthUs,
    contacts: g.contacts,
    posture: data.posture,
    sensoryUa: null,
    discomfortUa: null,
  };
  return accept(
    'search',
    [
      { op: 'setProgram', program: g },
      { op: 'setOutput', on: true, mode: 'test' },
    ],
    [...discardedThresholds(data), ...notices, ...final.notices],
    { lastStepAt: now, thresholds: putRecord(data.thresholds, fresh) },
  );
}

export function decideMarkSensory(data: SessionData): Decision {
  const g = data.generator;
  if (data.phase !== 'search' || !g || g.output !== 'on')
    return refuse(data, 'threshold', 'sensory', 'thresholds are marked during a threshold search (search start)');
  if (g.amplitudeUa === 0)
    return refuse(data, 'threshold', 0, 'amplitude is 0 mA: raise it until the patient first feels paresthesia');
  const record = currentRecord(data) ?? {
    pulseWidthUs: g.pulseWidthUs,
    contacts: g.contacts,
    posture: data.posture,
    sensoryUa: null,
    discomfortUa: null,
  };
  const marked = { ...record, sensoryUa: g.amplitudeUa, discomfortUa: null };
  return accept(
    'search',
    [],
    [
      notice(
        'info',
        'threshold',
        uaToMa(g.amplitudeUa),
        uaToMa(g.amplitudeUa),
        `sensory threshold marked (${data.posture})`,
      ),
    ],
    {
      thresholds: putRecord(data.thresholds, marked),
    },
  );
}

export function decideMarkDiscomfort(data: SessionData): Decision {
  const g = data.generator;
  const limits = data.limits;
  if (data.phase !== 'search' || !g || !limits || g.output !== 'on') {
    return refuse(data, 'threshold', 'discomfort', 'thresholds are marked during a threshold search (search start)');
  }
  const record = currentRecord(data);
  if (!record || record.sensoryUa === null)
    return refuse(data, 'threshold', uaToMa(g.amplitudeUa), 'mark the sensory threshold first');
  if (g.amplitudeUa <= record.sensoryUa) {
    return refuse(
      data,
      'threshold',
      uaToMa(g.amplitudeUa),
      `discomfort must exceed the sensory threshold ${uaToMa(record.sensoryUa)} mA`,
    );
  }
  const marked = { ...record, discomfortUa: g.amplitudeUa };
  const program = {
    rateHz: g.rateHz,
    pulseWidthUs: g.pulseWidthUs,
    contacts: g.contacts,
    amplitudeUa: record.sensoryUa,
  };
  const final = finalizeProgram(program, limits, data.impedance ?? null);
  const notices = [
    notice(
      'info',
      'threshold',
      uaToMa(g.amplitudeUa),
      uaToMa(g.amplitudeUa),
      `discomfort threshold marked (${data.posture})`,
    ),
    notice(
      'clamp',
      'amplitude',
      uaToMa(g.amplitudeUa),
      uaToMa(final.program.amplitudeUa),
      'discomfort: amplitude dropped at once to the sensory threshold',
    ),
    ...final.notices,
  ];
  return accept('tuning', [{ op: 'setProgram', program: final.program }], notices, {
    thresholds: putRecord(data.thresholds, marked),
    estimate: null,
  });
}
