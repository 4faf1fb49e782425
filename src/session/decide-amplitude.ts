import { amplitudeCeiling, clampAmplitude } from './amplitude-window.js';
import { baseProgram } from './base-program.js';
import { accept, finalizeProgram, refuse } from './decision.js';
import { missingPole } from './electrodes.js';
import { notice } from './notice.js';
import { DEFAULT_RAMP_MA_PER_S, planRamp } from './ramp.js';
import { searchStepUa } from './search-step.js';
import type { Decision, SessionData } from './session-types.js';
import { therapyProgramOf } from './therapy-fields.js';
import { patientWindowOf } from './patient-window.js';
import { measuredWindow } from './threshold-store.js';
import { maToUa, uaToMa } from './units.js';

/**
 * Amplitude: during search one step per action after a minimum dwell, limited only by hardware and
 * charge density (that is how the window is found); afterwards only inside the measured window.
 */

export type AmplitudeRequest = { kind: 'up' } | { kind: 'down' } | { kind: 'set'; ma: number };

const describe = (r: AmplitudeRequest): string => (r.kind === 'set' ? `set ${r.ma} mA` : `one step ${r.kind}`);

export function decideAmplitude(data: SessionData, request: AmplitudeRequest, now: number): Decision {
  const generator = data.generator;
  const limits = data.limits;
  const base = baseProgram(data);
  if (!generator || !limits || !base) return refuse(data, 'amplitude', null, 'not connected to a generator');
  if (request.kind === 'set' && (!Number.isFinite(request.ma) || request.ma < 0)) {
    return refuse(data, 'amplitude', String(request.ma), 'amplitude must be a non-negative number of mA');
  }
  const lowered = request.kind === 'down' && generator.output !== 'on' ? lowerWhileOff(data) : null;
  if (lowered) return lowered;
  if (generator.output !== 'on' || (data.phase !== 'search' && data.phase !== 'tuning' && data.phase !== 'therapy')) {
    return refuse(
      data,
      'amplitude',
      request.kind === 'set' ? request.ma : describe(request),
      'output is off: start a threshold search or turn output on first',
    );
  }
  if (!base.valid) {
    return refuse(
      data,
      'amplitude',
      describe(request),
      "the generator's rate or pulse width is outside the clinical window: turn output off and reprogram",
    );
  }
  const missing = missingPole(generator.contacts);
  if (missing && request.kind !== 'down') return refuse(data, 'amplitude', describe(request), missing);
  return data.phase === 'search' ? searchStep(data, request, now) : windowed(data, request);
}

function searchStep(data: SessionData, request: AmplitudeRequest, now: number): Decision {
  const generator = data.generator!;
  const limits = data.limits!;
  const step = searchStepUa(limits);
  if (request.kind === 'set')
    return refuse(
      data,
      'amplitude',
      request.ma,
      'during threshold search amplitude moves one step per action (amp up / amp down)',
    );
  if (step === null)
    return refuse(
      data,
      'amplitude',
      describe(request),
      `the generator's step ${uaToMa(limits.amplitudeUa.step)} mA exceeds 0.1 mA`,
    );
  if (data.lastStepAt !== null && now - data.lastStepAt < data.dwellMs) {
    return refuse(
      data,
      'amplitude',
      describe(request),
      `minimum dwell ${data.dwellMs} ms between search steps: wait ${data.lastStepAt + data.dwellMs - now} ms`,
    );
  }
  const notices = [];
  let target: number;
  if (request.kind === 'up') {
    const ceiling = amplitudeCeiling(generator.pulseWidthUs, generator.contacts, limits, data.impedance ?? null);
    if (generator.amplitudeUa >= ceiling.ceilingUa)
      return refuse(data, 'amplitude', uaToMa(generator.amplitudeUa + step), ceiling.reason);
    target = generator.amplitudeUa + step;
    if (target > ceiling.ceilingUa) {
      notices.push(notice('clamp', 'amplitude', uaToMa(target), uaToMa(ceiling.ceilingUa), ceiling.reason));
      target = ceiling.ceilingUa;
    }
  } else {
    if (generator.amplitudeUa === 0) return refuse(data, 'amplitude', 0, 'already at 0 mA');
    target = Math.max(0, generator.amplitudeUa - step);
  }
  const final = finalizeProgram({ ...generator, amplitudeUa: target }, limits, data.impedance ?? null);
  return accept('search', [{ op: 'setProgram', program: pick(final.program) }], [...notices, ...final.notices], {
    lastStepAt: now,
  });
}

function windowed(data: SessionData, request: AmplitudeRequest): Decision {
  const generator = data.generator!;
  const limits = data.limits!;
  // Patient mode: the clinician's window inside the measured one.
  const window = data.patientMode ? patientWindowOf(data) : measuredWindow(data);
  const step = limits.amplitudeUa.step;
  const requestedUa =
    request.kind === 'set'
      ? maToUa(request.ma)
      : request.kind === 'up'
        ? generator.amplitudeUa + step
        : Math.max(0, generator.amplitudeUa - step);
  const clamp = clampAmplitude(requestedUa, window, limits);
  if (clamp.applied === null) return { ...refuse(data, 'amplitude', uaToMa(requestedUa), ''), notices: clamp.notices };
  if (clamp.applied === generator.amplitudeUa) return accept(data.phase, [], clamp.notices);
  const final = finalizeProgram({ ...generator, amplitudeUa: clamp.applied }, limits, data.impedance ?? null);
  // H4: more than one step up (e.g. from 0 mA into the window) is a ramp at a bounded rate, not a jump.
  const ramp = planRamp(
    pick(final.program),
    generator.amplitudeUa,
    final.program.amplitudeUa,
    step,
    DEFAULT_RAMP_MA_PER_S,
  );
  if (ramp) {
    // bb3 F-L3: `requested` is what was asked (`amp set 0.25` → 0.25), not where the ramp starts.
    const told = notice(
      'info',
      'amplitude',
      request.kind === 'set' ? request.ma : describe(request),
      uaToMa(ramp.targetUa),
      `ramping up from ${uaToMa(generator.amplitudeUa)} to ${uaToMa(ramp.targetUa)} mA at ${ramp.maPerS} mA/s, one ${uaToMa(step)} mA step at a time (no jump; STOP stops it at any step)`,
    );
    // bb4-F6: the plan is said once the generator confirmed its first step (a ramp the link cut before
    // any step reached the generator says "not confirmed" only).
    return { ...accept(data.phase, [], [...clamp.notices, ...final.notices]), ramp, confirmed: [told] };
  }
  return accept(data.phase, [{ op: 'setProgram', program: pick(final.program) }], [...clamp.notices, ...final.notices]);
}

/**
 * bb3 F-L9: with output off, a programmed amplitude above the window in force (changed elsewhere)
 * comes down to the window's top in one write (a fall, never a rise); output stays off. Null otherwise.
 */
function lowerWhileOff(data: SessionData): Decision | null {
  const generator = data.generator!;
  const window = data.patientMode ? patientWindowOf(data) : measuredWindow(data);
  if (!window || generator.amplitudeUa <= window.highUa) return null;
  const final = finalizeProgram({ ...generator, amplitudeUa: window.highUa }, data.limits!, data.impedance ?? null);
  // bb5 nit: not "one step down asked" — the key `v` (or `amp down`) lowers the programmed amplitude into the window.
  const told = notice(
    'clamp',
    'amplitude',
    null,
    uaToMa(final.program.amplitudeUa),
    `the programmed amplitude ${uaToMa(generator.amplitudeUa)} mA was above the window ${uaToMa(window.lowUa)}–${uaToMa(window.highUa)} mA: lowered into it, to its top, at once; output stays off`,
  );
  return accept(data.phase, [{ op: 'setProgram', program: pick(final.program) }], [told, ...final.notices]);
}

/** Only the allow-listed program fields (a GeneratorState carries more; H11). */
const pick = therapyProgramOf;
