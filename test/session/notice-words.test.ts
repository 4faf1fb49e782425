import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode, EventKind, type GeneratorState } from '../../protocol/index.js';
import {
  DisconnectedError,
  LinkTimeoutError,
  NakError,
  OutputMismatchError,
  ReadbackMismatchError,
} from '../../src/link/generator-link.js';
import { initialBatteryMonitor, observeBattery } from '../../src/session/battery-monitor.js';
import { decideIntent, INTENT_FIELD, requestedOf } from '../../src/session/decide-intent.js';
import { decideAfterImpedance, impedanceNotices } from '../../src/session/decide-search.js';
import { failureNotice } from '../../src/session/failure-notice.js';
import { generatorEventNotice, resetNotice } from '../../src/session/generator-event-words.js';
import { busyStep } from '../../src/session/machine-steps.js';
import { NOTICE_FIELDS, NOTICE_KINDS, type Notice } from '../../src/session/notice.js';
import { FIELD_LABEL, noticeSentence, noticeValue } from '../../src/session/notice-words.js';
import { thresholdsDroppedNotice } from '../../src/session/program-thresholds.js';
import { reconcile } from '../../src/session/reconcile.js';
import { initialContext } from '../../src/session/session-context.js';
import { INTENT_TYPES, POSTURES, type Intent, type SessionData } from '../../src/session/session-types.js';
import { data, gen, limits, record, tuning } from '../hazards/decider-fixtures.js';
import { FakeLink } from './fake-link.js';
import { harness, loseReplyOfNextSet, measured } from './harness.js';

/**
 * Issue 13, "words a clinician reads": every notice the session can raise reads as one sentence in the
 * clinician's words. The notices are enumerated from the code's own tables (every intent in every
 * phase, every NAK code, every generator event, every link failure, resets, outside changes, battery
 * warnings) and from random sessions through the real machine; each must: name its field in words
 * (FIELD_LABEL), start with a capital, end with a full stop, leave no part empty, and carry no internal
 * identifier (an intent type, a NAK code, an event kind, a camelCase field) in the sentence or in the
 * `requested`/`applied` values the JSON report prints.
 */

/** Internal names from the code's own tables that must never reach a clinician. */
const INTERNAL = new Set<string>([
  ...INTENT_TYPES,
  ...Object.keys(ErrorCode),
  ...EventKind.options.filter((k) => k.includes('-')),
  ...NOTICE_FIELDS.filter((f) => /[A-Z]/.test(f)),
  'link-loss',
  'stop-request',
  'battery-empty',
  'link-restored',
  'outside-change',
  'generator-reset',
  'patient-mode',
  'ACKNOWLEDGE_MISMATCH',
  'REBIND',
]);

/** The one word in capitals a clinician meets on purpose: the STOP key and command. */
const CAPITALS_ALLOWED = new Set(['STOP']);

function identifierProblems(text: string): string[] {
  // The generator's own words are quoted as they came (a real generator's detail text is not ours).
  const ours = text.replace(/"[^"]*"/g, '""');
  const problems: string[] = [];
  for (const word of ours.match(/[A-Za-z][A-Za-z0-9_-]*[A-Za-z0-9]/g) ?? []) {
    if (INTERNAL.has(word)) problems.push(`internal name ${word}`);
    else if (/_/.test(word)) problems.push(`identifier ${word}`);
    else if (/^[a-z]+[A-Z]/.test(word) && word !== 'mA') problems.push(`camelCase ${word}`);
  }
  // ALL_CAPS words; a serial number such as SN-1 is the generator's name, not an identifier.
  for (const m of ours.matchAll(/\b[A-Z]{2,}\b(?!-?\d)/g))
    if (!CAPITALS_ALLOWED.has(m[0])) problems.push(`capitals ${m[0]}`);
  return problems;
}

/** Everything the issue asks of one notice; empty when it reads right. */
function problems(n: Notice): string[] {
  const s = noticeSentence(n);
  const found: string[] = [];
  if (!s.startsWith(FIELD_LABEL[n.field])) found.push(`does not name its field (${FIELD_LABEL[n.field]})`);
  if (!/^[A-Z]/.test(s)) found.push('does not start with a capital');
  if (!/(\.|\d( ?(mA|Hz|µs|%))?)$/.test(s)) found.push('ends neither with a full stop nor a value');
  if (/:\s*,|,\s*,|,\s*$|\(\s*\)|:\s*\.|—\s*\.|\s{2}|—\s*—/.test(s)) found.push('has an empty part');
  if (/\b(undefined|null|NaN mA|\[object)/.test(s)) found.push('shows a missing value');
  if (n.reason.trim() === '') found.push('empty reason');
  found.push(...identifierProblems(s));
  for (const v of [n.requested, n.applied]) {
    if (typeof v === 'string') found.push(...identifierProblems(v).map((p) => `value: ${p}`));
    found.push(...valueProblems(n.field, v));
  }
  return found.map((p) => `${p}: ${s}`);
}

/** Fields whose numbers are the clinician's own (mA, Hz, µs, %); elsewhere a bare number is an internal value. */
const NUMBER_FIELDS = new Set<string>(['amplitude', 'patientWindow', 'threshold', 'rate', 'pulseWidth', 'battery']);

/**
 * bb3 F-L4/F-L5: the `requested`/`applied` the JSON report prints are clinician values: no revision or
 * other bare number where the field has no unit, no range without its unit, no placeholder for the value.
 */
function valueProblems(field: string, v: Notice['requested']): string[] {
  if (typeof v === 'number' && !NUMBER_FIELDS.has(field)) return [`value: bare number ${v} (an internal value)`];
  if (typeof v !== 'string') return [];
  if (/^[\d.]+\s*–\s*[\d.]+$/.test(v)) return [`value: range ${v} without its unit`];
  if (/^an? (set )?value$/.test(v)) return [`value: placeholder '${v}' instead of what was asked`];
  // bb4-L1: a bare state word says what is on or off only in the output's own field; "patient mode" alone
  // says neither on nor off.
  if (/^(on|off)$/.test(v) && field !== 'output') return [`value: bare '${v}' instead of what was on or off`];
  if (/^patient mode$/.test(v)) return [`value: placeholder '${v}' instead of what was asked`];
  return [];
}

/** What the enumeration reached, to prove it reached every field, kind and intent. */
const seen = { fields: new Set<string>(), kinds: new Set<string>(), intents: new Set<string>() };

function check(notices: readonly Notice[]): void {
  for (const n of notices) {
    seen.fields.add(n.field);
    seen.kinds.add(n.kind);
    expect(problems(n)).toEqual([]);
  }
}

/** Every intent, with values inside, outside and beside the clinical and hardware ranges. */
function intentsOf(type: Intent['type']): Intent[] {
  switch (type) {
    case 'ELECTRODES':
      return ['1- 2+', '1-', '9- 2+', 'x', '-+000000', ['1-', '2+']].map((spec) => ({ type, spec }));
    case 'POSTURE':
      return POSTURES.map((posture) => ({ type, posture }));
    case 'RATE':
      return [30, 50, 52, 70, Number.NaN].map((hz) => ({ type, hz }));
    case 'PULSE_WIDTH':
      return [100, 300, 310, 1000, Number.NaN].map((us) => ({ type, us }));
    case 'AMPLITUDE_SET':
      return [-1, 0, 1, 3, 3.5, 30, Number.NaN].map((ma) => ({ type, ma }));
    case 'PATIENT_MODE':
      return [
        { type, on: true },
        { type, on: false },
      ];
    case 'PATIENT_WINDOW':
      return [
        [2.5, 3.5],
        [0.4444, 0.4445],
        [1, 5],
        [3.5, 2.5],
        [-1, 2],
        [3.01, 3.02],
      ].map(([minMa, maxMa]) => ({ type, minMa: minMa!, maxMa: maxMa! }));
    default:
      return [{ type } as Intent];
  }
}

/** The session as the deciders see it, in every phase and at the edges that raise notices. */
const SITUATIONS: Array<[string, SessionData]> = [
  ['not connected', data({ generator: null, limits: null })],
  ['ready, off', data()],
  ['ready, no contacts', data({}, { contacts: '00000000' })],
  ['ready, out-of-window program', data({}, { rateHz: 80, pulseWidthUs: 900 })],
  ['ready, thresholds kept', data({ thresholds: [record()] })],
  ['search at 0 mA', data({ phase: 'search' }, { output: 'on' })],
  [
    'search at 2 mA, sensory marked',
    data({ phase: 'search', thresholds: [record({ discomfortUa: null })] }, { output: 'on', amplitudeUa: 2000 }),
  ],
  ['search at the density limit', data({ phase: 'search' }, { output: 'on', amplitudeUa: 25_000, pulseWidthUs: 500 })],
  [
    'search inside the dwell',
    data({ phase: 'search', lastStepAt: 0, dwellMs: 10_000 }, { output: 'on', amplitudeUa: 500 }),
  ],
  ['tuning', tuning()],
  ['tuning at the window top', tuning({ amplitudeUa: 4000 })],
  ['tuning below the window', tuning({ amplitudeUa: 0 })],
  ['tuning, patient window set', tuning({}, { patientWindow: { lowUa: 2500, highUa: 3500 } })],
  ['therapy', tuning({ mode: 'therapy', committed: true }, { phase: 'therapy' })],
  ['therapy, off', tuning({ mode: 'therapy', committed: true, output: 'off' }, { phase: 'therapy' })],
  ['patient mode', tuning({ mode: 'therapy', committed: true }, { phase: 'therapy', patientMode: true })],
  [
    'patient mode above its window',
    tuning({ amplitudeUa: 3900 }, { patientMode: false, patientWindow: { lowUa: 2500, highUa: 3000 } }),
  ],
  ['blocked', data({ phase: 'blocked' }, { output: 'on', amplitudeUa: 1000 })],
  ['coarse generator steps', { ...data(), limits: { ...limits, amplitudeUa: { ...limits.amplitudeUa, step: 200 } } }],
];

const state = (over: Partial<GeneratorState> = {}): GeneratorState => gen(over);

describe('every notice is a sentence in the clinician’s words', () => {
  it('the checker itself catches what the issue saw: "asked RATE_UP", "generator:, applied", a camelCase field', () => {
    const bad = (n: Notice) => problems(n).length > 0;
    expect(bad({ kind: 'reject', field: 'rate', requested: 'RATE_UP', applied: null, reason: 'x' })).toBe(true);
    expect(bad({ kind: 'warn', field: 'generator', requested: 'MARK_DISCOMFORT', applied: null, reason: 'y' })).toBe(
      true,
    );
    expect(bad({ kind: 'warn', field: 'output', requested: null, applied: null, reason: 'pulseWidth changed' })).toBe(
      true,
    );
    expect(bad({ kind: 'warn', field: 'output', requested: null, applied: null, reason: '' })).toBe(true);
    expect(bad({ kind: 'info', field: 'output', requested: 'on', applied: 'on', reason: 'output is already on' })).toBe(
      false,
    );
    // bb3 F-L4/F-L5: revision numbers, a range without its unit, a placeholder instead of the value asked.
    expect(bad({ kind: 'warn', field: 'program', requested: 14, applied: 15, reason: 'changed (rev 14 → 15)' })).toBe(
      true,
    );
    expect(bad({ kind: 'info', field: 'patientWindow', requested: null, applied: '0.25–0.35', reason: 'set' })).toBe(
      true,
    );
    expect(
      bad({ kind: 'reject', field: 'link', requested: 'a set value', applied: null, reason: 'not confirmed' }),
    ).toBe(true);
    expect(bad({ kind: 'info', field: 'patientWindow', requested: null, applied: '0.25–0.35 mA', reason: 'set' })).toBe(
      false,
    );
    // bb4-L1: an internal word for what was asked ("on", "patient mode") outside the output's field.
    expect(bad({ kind: 'reject', field: 'link', requested: 'on', applied: null, reason: 'not confirmed' })).toBe(true);
    expect(bad({ kind: 'warn', field: 'program', requested: 'patient mode', applied: null, reason: 'x' })).toBe(true);
    expect(bad({ kind: 'info', field: 'session', requested: 'off', applied: 'off', reason: 'patient mode off' })).toBe(
      true,
    );
    expect(
      bad({
        kind: 'reject',
        field: 'link',
        requested: 'output on (test) at 0 mA',
        applied: null,
        reason: 'not confirmed',
      }),
    ).toBe(false);
  });

  it('every intent in every phase: refusals, clamps, warnings and information', () => {
    let ramps = 0;
    for (const [, d] of SITUATIONS) {
      for (const type of INTENT_TYPES) {
        for (const intent of intentsOf(type)) {
          const decision = decideIntent(d, intent, 5_000);
          if (!decision.accepted) seen.intents.add(type);
          // What it says at once and what it says once the generator confirmed it (bb4-F6).
          const said = [...decision.notices, ...(decision.confirmed ?? [])];
          check(said);
          // bb3 F-L3: a ramp's notice says what was asked (`amp set 3` → 3), not where the ramp starts.
          for (const n of said.filter((x) => /^ramping/.test(x.reason))) {
            ramps++;
            expect(n.requested).toEqual(requestedOf(intent));
          }
        }
      }
    }
    expect(ramps).toBeGreaterThan(0);
  });

  it('a set amplitude whose reply was lost with the link: both notices name the amplitude (bb3 F-L5)', async () => {
    const h = await harness();
    await measured(h, 4, 8); // 0.2 – 0.6 mA, at 0.2 mA
    h.c.takeNotices();
    loseReplyOfNextSet(h, true);
    const lost = await h.do({ type: 'AMPLITUDE_SET', ma: 0.25 });
    await h.flush();
    h.link.restore();
    await h.flush();
    expect(lost.notices.filter((n) => n.field === 'link').map((n) => n.requested)).toEqual(['amplitude 0.25 mA']);
    const told = h.c.takeNotices().filter((n) => n.field === 'link' && n.requested !== null);
    check(told);
    expect(told.map((n) => n.requested)).toEqual(['amplitude 0.25 mA', 'amplitude 0.25 mA']);
    expect(told.map((n) => n.reason).join('\n')).toMatch(/not confirmed[\s\S]*confirmed after reconnection/);
    h.c.dispose();
  });

  it('output on and patient mode on whose SET the link cut: what was asked, in words (bb4-L1)', async () => {
    const h = await harness();
    await measured(h, 4, 8); // 0.2 – 0.6 mA, at 0.2 mA
    await h.do({ type: 'OUTPUT_OFF' });
    loseReplyOfNextSet(h, false);
    const on = await h.do({ type: 'OUTPUT_ON' });
    check(on.notices);
    expect(on.notices.filter((n) => n.field === 'link').map((n) => n.requested)).toEqual(['output on (test) at 0 mA']);
    h.link.restore();
    await h.flush();
    const settledOn = h.c.takeNotices().filter((n) => n.field === 'link' && n.requested !== null);
    check(settledOn);
    expect(settledOn.map((n) => n.requested)).toEqual(['output on (test) at 0 mA', 'output on (test) at 0 mA']);

    await h.do({ type: 'OUTPUT_ON' });
    await h.do({ type: 'PATIENT_WINDOW', minMa: 0.2, maxMa: 0.3 });
    await h.do({ type: 'AMPLITUDE_SET', ma: 0.5 });
    h.c.takeNotices();
    loseReplyOfNextSet(h, false);
    const pm = await h.do({ type: 'PATIENT_MODE', on: true });
    check(pm.notices);
    expect(pm.notices.filter((n) => n.field === 'link').map((n) => n.requested)).toEqual([
      'patient mode on, window 0.2–0.3 mA',
    ]);
    h.c.dispose();
  });

  it('a refusal because the session is busy or the link is down names what was asked, in words', () => {
    for (const type of INTENT_TYPES) {
      for (const intent of intentsOf(type)) {
        for (const linkStatus of ['connected', 'reconnecting'] as const) {
          const ctx = { ...initialContext({ link: new FakeLink() }), linkStatus };
          const patch = busyStep(ctx, intent);
          check(patch.notices ?? []);
          expect(noticeSentence(patch.notices!.at(-1)!)).toContain(
            noticeValue(INTENT_FIELD[type], requestedOf(intent)),
          );
        }
      }
    }
  });

  it('impedance readings, open and shorted contacts in and out of use', () => {
    const readings = [800, 'open', 'short', 900, 1000, 'open', 1000, 1000] as const;
    check(impedanceNotices([...readings], '-+000000'));
    check(impedanceNotices([...readings], '-++00000'));
    check(decideAfterImpedance(data({ thresholds: [record()] }), [...readings], 0).notices);
    check(decideAfterImpedance(data({}, { contacts: '0-+00000' }), [...readings], 0).notices);
  });

  it('every refusal code the generator can send, every read-back and output mismatch, every link failure', () => {
    for (const [name, code] of Object.entries(ErrorCode)) {
      const n = failureNotice(new NakError(code, 'amplitude 30000 over max 25500; send HELLO first'));
      check([n]);
      expect(noticeSentence(n)).not.toContain(name);
    }
    check([failureNotice(new NakError(99, 'unknown'))]);
    const asked = { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 3000, contacts: '-+000000' };
    check([failureNotice(new ReadbackMismatchError(asked, state({ amplitudeUa: 2000 })))]);
    check([failureNotice(new OutputMismatchError({ on: true, mode: 'test' }, state()))]);
    check([failureNotice(new OutputMismatchError({ on: false }, state({ output: 'on' })))]);
    check([failureNotice(new DisconnectedError('the link was closed'))]);
    check([failureNotice(new LinkTimeoutError('no reply after 3 tries'))]);
    check([failureNotice(new Error('something unexpected'))]);
  });

  it('every generator event, every reset, every outside change and the stop after a link loss', () => {
    for (const kind of EventKind.options)
      for (const reason of [undefined, 'link-loss', 'stop-request', 'battery-empty', 'fault', 'reset', 'low', 'empty'])
        check([generatorEventNotice({ kind, ...(reason ? { reason } : {}) })]);
    const now = state({ rateHz: 50 });
    check([resetNotice(null, now)]);
    check([resetNotice(state({ output: 'on', amplitudeUa: 3000 }), now)]);
    check([resetNotice(state({ output: 'on', mode: 'therapy', committed: true, amplitudeUa: 3000 }), now)]);
    check([resetNotice(state({ amplitudeUa: 1000 }), now)]);
    check([resetNotice(now, now)]);
    const outside = { amplitudeUa: 6000, programRev: 9, output: 'on' as const };
    for (const reason of ['telemetry', 'event', 'refresh', 'error', 'link-restored', 'reset'] as const) {
      check(reconcile({ data: tuning(), state: state(outside), expectedRev: 7, reason, bound: true }).notices);
      check(reconcile({ data: tuning(), state: state(outside), expectedRev: 7, reason, bound: false }).notices);
    }
    // bb5-N1: a pulse width or contacts change found (remote, or a lost reply) drops the measured thresholds.
    check([thresholdsDroppedNotice([record()], { pulseWidthUs: 600, contacts: '-0+00000' })!]);
  });

  it('every battery warning', () => {
    let monitor = initialBatteryMonitor();
    for (let pct = 100, t = 0; pct >= 0; pct -= 1, t += 600_000) {
      const r = observeBattery(monitor, { atMs: t, pct, output: 'on', source: 'b00t', faults: [] });
      monitor = r.monitor;
      check(r.notices);
    }
    check(
      observeBattery(initialBatteryMonitor(), {
        atMs: 0,
        pct: 90,
        output: 'on',
        source: 'x',
        faults: ['battery-empty'],
      }).notices,
    );
  });

  it('property: random sessions through the real machine, with outside changes, resets, link losses and refusals', async () => {
    const action = fc.oneof(
      fc.constantFrom(...INTENT_TYPES).chain((t) => fc.constantFrom(...intentsOf(t))),
      fc.constantFrom(
        { type: 'STOP' } as const,
        { type: 'REBIND' } as const,
        { type: 'ACKNOWLEDGE_MISMATCH' } as const,
        { fault: 'external' } as const,
        { fault: 'reset' } as const,
        { fault: 'drop-restore' } as const,
        { fault: 'nak' } as const,
        { fault: 'watchdog' } as const,
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(action, { maxLength: 25 }), async (measure, actions) => {
        const h = await harness();
        if (measure) await measured(h, 4, 4);
        for (const a of actions) {
          if ('fault' in a) {
            const g = h.link.model.state;
            if (a.fault === 'external') {
              try {
                h.link.external({ ...g, amplitudeUa: g.amplitudeUa + 1000 });
              } catch {
                // The generator's own rules refused the remote's change.
              }
            } else if (a.fault === 'reset') h.link.reset();
            else if (a.fault === 'drop-restore') {
              h.link.drop();
              h.link.restore();
            } else if (a.fault === 'nak') h.link.failNext('setProgram', new NakError(ErrorCode.CHARGE_DENSITY, 'over'));
            else h.link.advance(10_000);
          } else await h.do(a as Intent);
          await h.flush();
        }
        check(h.c.takeNotices());
        h.c.dispose();
      }),
      { numRuns: 40 },
    );
  });

  it('the enumeration reached every notice field, every kind, and a refusal of every intent', () => {
    expect([...seen.fields].sort()).toEqual([...NOTICE_FIELDS].sort());
    expect([...seen.kinds].sort()).toEqual([...NOTICE_KINDS].sort());
    expect([...seen.intents].sort()).toEqual([...INTENT_TYPES].sort());
  });
});
