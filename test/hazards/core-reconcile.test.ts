import { describe, expect, it } from 'vitest';
import { describeProgram, reconcile, type SyncInput } from '../../src/session/reconcile.js';
import { telemetryDiffers } from '../../src/session/telemetry-check.js';
import { data, gen, record } from './decider-fixtures.js';

const STOPS_AFTER_LOSS = {
  kind: 'warn',
  field: 'output',
  requested: 'on',
  applied: 'off',
  reason: 'uncommitted test stimulation stops after a link loss',
};

/**
 * reconcile (after every interrogation) and telemetryDiffers on their own: what changed outside the
 * companion (H17), the reset notice, uncommitted test stimulation stopped after a link loss, and the
 * phase chosen to match the generator (never output on). Written to kill the surviving mutants of
 * src/session/reconcile.ts and src/session/telemetry-check.ts (docs/mutation/summary.md).
 */

const sync = (over: Partial<SyncInput> & { g?: Parameters<typeof gen>[0]; d?: Parameters<typeof data>[0] }) => {
  const { g = {}, d = {}, ...rest } = over;
  return reconcile({
    data: data({ thresholds: [record()], ...d }),
    state: gen(g),
    expectedRev: 7,
    reason: 'refresh',
    bound: true,
    ...rest,
  });
};

describe('describeProgram', () => {
  it('describes output off', () => {
    expect(describeProgram(gen({ amplitudeUa: 1250 }))).toEqual('50 Hz, 300 µs, 1.25 mA, 1- 2+, output off');
  });
  it('describes output on with its mode', () => {
    expect(describeProgram(gen({ output: 'on', mode: 'therapy', contacts: '+-0-0000' }))).toEqual(
      '50 Hz, 300 µs, 0 mA, 1+ 2- 4-, output on (therapy)',
    );
  });
});

describe('outside changes (H17)', () => {
  it('reports nothing when the revision is the expected one', () => {
    expect(sync({})).toEqual({ notices: [], ops: [], next: 'ready', externalChange: false });
  });
  it('reports a revision jump as a change made outside', () => {
    expect(sync({ g: { programRev: 9, amplitudeUa: 2500 } })).toEqual({
      notices: [
        {
          kind: 'warn',
          field: 'program',
          requested: '50 Hz, 300 µs, 0 mA, 1- 2+, output off',
          applied: '50 Hz, 300 µs, 2.5 mA, 1- 2+, output off',
          reason:
            "the generator's program was changed outside the companion (rev 7 → 9): now 50 Hz, 300 µs, 2.5 mA, 1- 2+, output off; shown as found, not overwritten",
        },
      ],
      ops: [],
      next: 'ready',
      externalChange: true,
    });
  });
  it('ignores the revision right after a connection', () => {
    expect(sync({ reason: 'connect', g: { programRev: 9 } })).toEqual({
      notices: [],
      ops: [],
      next: 'ready',
      externalChange: false,
    });
  });
  it('ignores the revision without an expected one', () => {
    expect(sync({ expectedRev: null, g: { programRev: 9 } })).toEqual({
      notices: [],
      ops: [],
      next: 'ready',
      externalChange: false,
    });
  });
  it('adds an out-of-window warning above discomfort while stimulating', () => {
    expect(sync({ g: { programRev: 9, output: 'on', amplitudeUa: 4050 } })).toEqual({
      notices: [
        {
          kind: 'warn',
          field: 'program',
          requested: '50 Hz, 300 µs, 0 mA, 1- 2+, output off',
          applied: '50 Hz, 300 µs, 4.05 mA, 1- 2+, output on (test)',
          reason:
            "the generator's program was changed outside the companion (rev 7 → 9): now 50 Hz, 300 µs, 4.05 mA, 1- 2+, output on (test); shown as found, not overwritten",
        },
        {
          kind: 'warn',
          field: 'amplitude',
          requested: 4.05,
          applied: 4.05,
          reason: 'outside the measured window 2–4 mA',
        },
      ],
      ops: [],
      next: 'tuning',
      externalChange: true,
    });
  });
  it('adds an out-of-window warning below sensory while stimulating', () => {
    expect(sync({ g: { programRev: 9, output: 'on', amplitudeUa: 1950 } })).toEqual({
      notices: [
        {
          kind: 'warn',
          field: 'program',
          requested: '50 Hz, 300 µs, 0 mA, 1- 2+, output off',
          applied: '50 Hz, 300 µs, 1.95 mA, 1- 2+, output on (test)',
          reason:
            "the generator's program was changed outside the companion (rev 7 → 9): now 50 Hz, 300 µs, 1.95 mA, 1- 2+, output on (test); shown as found, not overwritten",
        },
        {
          kind: 'warn',
          field: 'amplitude',
          requested: 1.95,
          applied: 1.95,
          reason: 'outside the measured window 2–4 mA',
        },
      ],
      ops: [],
      next: 'tuning',
      externalChange: true,
    });
  });
  it("no window warning at the window's edges", () => {
    expect(sync({ g: { programRev: 9, output: 'on', amplitudeUa: 4000 } })).toEqual({
      notices: [
        {
          kind: 'warn',
          field: 'program',
          requested: '50 Hz, 300 µs, 0 mA, 1- 2+, output off',
          applied: '50 Hz, 300 µs, 4 mA, 1- 2+, output on (test)',
          reason:
            "the generator's program was changed outside the companion (rev 7 → 9): now 50 Hz, 300 µs, 4 mA, 1- 2+, output on (test); shown as found, not overwritten",
        },
      ],
      ops: [],
      next: 'tuning',
      externalChange: true,
    });
  });
  it('no window warning at the low edge', () => {
    expect(sync({ g: { programRev: 9, output: 'on', amplitudeUa: 2000 } })).toEqual({
      notices: [
        {
          kind: 'warn',
          field: 'program',
          requested: '50 Hz, 300 µs, 0 mA, 1- 2+, output off',
          applied: '50 Hz, 300 µs, 2 mA, 1- 2+, output on (test)',
          reason:
            "the generator's program was changed outside the companion (rev 7 → 9): now 50 Hz, 300 µs, 2 mA, 1- 2+, output on (test); shown as found, not overwritten",
        },
      ],
      ops: [],
      next: 'tuning',
      externalChange: true,
    });
  });
  // bb3 F-L9 (README key v): the program holds an amplitude above the window while output is off; output
  // turned on elsewhere would deliver it, so it is warned too, in words that say output is off.
  it('warns about a programmed amplitude above the window with output off, saying output is off', () => {
    expect(sync({ g: { programRev: 9, amplitudeUa: 9000 } })).toEqual({
      notices: [
        {
          kind: 'warn',
          field: 'program',
          requested: '50 Hz, 300 µs, 0 mA, 1- 2+, output off',
          applied: '50 Hz, 300 µs, 9 mA, 1- 2+, output off',
          reason:
            "the generator's program was changed outside the companion (rev 7 → 9): now 50 Hz, 300 µs, 9 mA, 1- 2+, output off; shown as found, not overwritten",
        },
        {
          kind: 'warn',
          field: 'amplitude',
          requested: 9,
          applied: 9,
          reason:
            "programmed above the measured window 2–4 mA while output is off: output turned on elsewhere (the patient's remote) would deliver 9 mA; bring it down into the window first (key v, or amp down)",
        },
      ],
      ops: [],
      next: 'ready',
      externalChange: true,
    });
  });
  it('no window warning with output off below the window (the companion starts output at 0 mA anyway)', () => {
    expect(sync({ g: { programRev: 9, amplitudeUa: 1000 } }).notices.map((n) => n.field)).toEqual(['program']);
  });
  it('no window warning with output off at the window top', () => {
    expect(sync({ g: { programRev: 9, amplitudeUa: 4000 } }).notices.map((n) => n.field)).toEqual(['program']);
  });
  it('no window warning without a measured window', () => {
    expect(sync({ d: { thresholds: [] }, g: { programRev: 9, output: 'on', amplitudeUa: 9000 } })).toEqual({
      notices: [
        {
          kind: 'warn',
          field: 'program',
          requested: '50 Hz, 300 µs, 0 mA, 1- 2+, output off',
          applied: '50 Hz, 300 µs, 9 mA, 1- 2+, output on (test)',
          reason:
            "the generator's program was changed outside the companion (rev 7 → 9): now 50 Hz, 300 µs, 9 mA, 1- 2+, output on (test); shown as found, not overwritten",
        },
      ],
      ops: [],
      next: 'search',
      externalChange: true,
    });
  });
  it('no window warning without an outside change', () => {
    expect(sync({ g: { output: 'on', amplitudeUa: 9000 } })).toEqual({
      notices: [],
      ops: [],
      next: 'tuning',
      externalChange: false,
    });
  });
});

describe('reset', () => {
  it('says the generator was reset and stops uncommitted test output', () => {
    expect(sync({ reason: 'reset', g: { programRev: 1, output: 'on', amplitudeUa: 3000 } })).toEqual({
      notices: [
        {
          kind: 'warn',
          field: 'generator',
          requested: null,
          applied: '50 Hz, 300 µs, 3 mA, 1- 2+, output on (test)',
          reason:
            'The generator was reset (it restarted): what it ran before is not known. It now holds 50 Hz, 300 µs, 3 mA, 1- 2+, output on (test). Output was not turned on again.',
        },
      ],
      confirmed: [STOPS_AFTER_LOSS],
      ops: [{ op: 'setOutput', on: false, mode: 'test' }],
      next: 'ready',
      externalChange: false,
    });
  });
  it('keeps committed therapy running after a reset', () => {
    expect(sync({ reason: 'reset', g: { programRev: 1, output: 'on', mode: 'therapy', committed: true } })).toEqual({
      notices: [
        {
          kind: 'warn',
          field: 'generator',
          requested: null,
          applied: '50 Hz, 300 µs, 0 mA, 1- 2+, output on (therapy)',
          reason:
            'The generator was reset (it restarted): what it ran before is not known. It now holds 50 Hz, 300 µs, 0 mA, 1- 2+, output on (therapy). Output was not turned on again.',
        },
      ],
      ops: [],
      next: 'therapy',
      externalChange: false,
    });
  });
});

describe('the phase that matches the generator', () => {
  it('blocks an unbound generator, sending nothing', () => {
    expect(sync({ bound: false, g: { output: 'on' } })).toEqual({
      notices: [],
      ops: [],
      next: 'blocked',
      externalChange: false,
    });
  });
  it('blocks an unbound generator and still reports the change', () => {
    expect(sync({ bound: false, g: { programRev: 8, amplitudeUa: 500 } })).toEqual({
      notices: [
        {
          kind: 'warn',
          field: 'program',
          requested: '50 Hz, 300 µs, 0 mA, 1- 2+, output off',
          applied: '50 Hz, 300 µs, 0.5 mA, 1- 2+, output off',
          reason:
            "the generator's program was changed outside the companion (rev 7 → 8): now 50 Hz, 300 µs, 0.5 mA, 1- 2+, output off; shown as found, not overwritten",
        },
      ],
      ops: [],
      next: 'blocked',
      externalChange: true,
    });
  });
  it("protocol v2: a moved revision with the same program (the generator's own watchdog or battery stop) is no outside change (H14)", () => {
    const last = gen({ output: 'on', mode: 'test', programRev: 7 });
    expect(sync({ d: { generator: last }, g: { programRev: 8, output: 'off', mode: 'none' } })).toMatchObject({
      notices: [],
      externalChange: false,
    });
    // Output turned on with the same program is one (nobody here asked for it).
    expect(
      sync({ d: { generator: gen({ programRev: 7 }) }, g: { programRev: 8, output: 'on', mode: 'test' } })
        .externalChange,
    ).toBe(true);
  });
  it('ready when output is off', () => {
    expect(sync({ d: { phase: 'tuning' } })).toEqual({ notices: [], ops: [], next: 'ready', externalChange: false });
  });
  it('stops uncommitted test stimulation after a link loss', () => {
    expect(sync({ reason: 'link-restored', g: { output: 'on', amplitudeUa: 3000 } })).toEqual({
      notices: [],
      // Said once the generator confirmed the off, never while output may still run (bb5-N3).
      confirmed: [STOPS_AFTER_LOSS],
      ops: [{ op: 'setOutput', on: false, mode: 'test' }],
      next: 'ready',
      externalChange: false,
    });
  });
  it('stops uncommitted therapy-mode stimulation after a link loss in therapy mode', () => {
    expect(sync({ reason: 'link-restored', g: { output: 'on', mode: 'therapy', committed: false } })).toEqual({
      notices: [],
      // Said once the generator confirmed the off, never while output may still run (bb5-N3).
      confirmed: [STOPS_AFTER_LOSS],
      ops: [{ op: 'setOutput', on: false, mode: 'therapy' }],
      next: 'ready',
      externalChange: false,
    });
  });
  it('stops test-mode stimulation after a link loss even with a committed flag', () => {
    expect(sync({ reason: 'link-restored', g: { output: 'on', mode: 'test', committed: true } })).toEqual({
      notices: [],
      // Said once the generator confirmed the off, never while output may still run (bb5-N3).
      confirmed: [STOPS_AFTER_LOSS],
      ops: [{ op: 'setOutput', on: false, mode: 'test' }],
      next: 'ready',
      externalChange: false,
    });
  });
  it('keeps committed therapy after a link loss', () => {
    expect(sync({ reason: 'link-restored', g: { output: 'on', mode: 'therapy', committed: true } })).toEqual({
      notices: [],
      ops: [],
      next: 'therapy',
      externalChange: false,
    });
  });
  it('keeps test stimulation on a plain refresh', () => {
    expect(sync({ d: { phase: 'tuning' }, g: { output: 'on', amplitudeUa: 3000 } })).toEqual({
      notices: [],
      ops: [],
      next: 'tuning',
      externalChange: false,
    });
  });
  it('therapy when the generator is in therapy mode', () => {
    expect(sync({ d: { phase: 'ready' }, g: { output: 'on', mode: 'therapy', committed: false } })).toEqual({
      notices: [],
      ops: [],
      next: 'therapy',
      externalChange: false,
    });
  });
  it('search stays search', () => {
    expect(sync({ d: { phase: 'search' }, g: { output: 'on', amplitudeUa: 3000 } })).toEqual({
      notices: [],
      ops: [],
      next: 'search',
      externalChange: false,
    });
  });
  it('tuning stays tuning with a window', () => {
    expect(sync({ d: { phase: 'tuning' }, g: { output: 'on', amplitudeUa: 3000 } })).toEqual({
      notices: [],
      ops: [],
      next: 'tuning',
      externalChange: false,
    });
  });
  it('tuning without a window becomes search', () => {
    expect(sync({ d: { phase: 'tuning', thresholds: [] }, g: { output: 'on', amplitudeUa: 3000 } })).toEqual({
      notices: [],
      ops: [],
      next: 'search',
      externalChange: false,
    });
  });
  it('found stimulating with a window: tuning', () => {
    expect(
      sync({ d: { phase: 'ready' }, reason: 'connect', expectedRev: null, g: { output: 'on', amplitudeUa: 3000 } }),
    ).toEqual({ notices: [], ops: [], next: 'tuning', externalChange: false });
  });
  it('found stimulating without a window: search', () => {
    expect(
      sync({
        d: { phase: 'ready', thresholds: [] },
        reason: 'connect',
        expectedRev: null,
        g: { output: 'on', amplitudeUa: 3000 },
      }),
    ).toEqual({ notices: [], ops: [], next: 'search', externalChange: false });
  });
  it('judges the window on the generator found, not the one last seen', () => {
    expect(
      reconcile({
        data: data({ phase: 'ready', thresholds: [record({ pulseWidthUs: 400 })] }, { pulseWidthUs: 300 }),
        state: gen({ output: 'on', pulseWidthUs: 400, amplitudeUa: 3000 }),
        expectedRev: null,
        reason: 'event',
        bound: true,
      }),
    ).toEqual({ notices: [], ops: [], next: 'tuning', externalChange: false });
  });
});

describe('telemetryDiffers', () => {
  it('differs when nothing was read back yet', () => {
    expect(telemetryDiffers({ generator: null, expectedRev: null }, gen())).toEqual(true);
  });
  it('agrees with the last read-back', () => {
    expect(telemetryDiffers({ generator: gen(), expectedRev: 7 }, gen())).toEqual(false);
  });
  it('ignores battery and faults', () => {
    expect(
      telemetryDiffers({ generator: gen(), expectedRev: 7 }, gen({ batteryPct: 5, faults: ['low-battery'] })),
    ).toEqual(false);
  });
  it('ignores the revision without an expected one', () => {
    expect(telemetryDiffers({ generator: gen(), expectedRev: null }, gen({ programRev: 9 }))).toEqual(false);
  });
  it('differs on a revision jump', () => {
    expect(telemetryDiffers({ generator: gen(), expectedRev: 7 }, gen({ programRev: 8 }))).toEqual(true);
  });
  it('differs on output', () => {
    expect(telemetryDiffers({ generator: gen(), expectedRev: 7 }, gen({ output: 'on' }))).toEqual(true);
  });
  it('differs on mode', () => {
    expect(telemetryDiffers({ generator: gen(), expectedRev: 7 }, gen({ mode: 'therapy' }))).toEqual(true);
  });
  it('differs on rate', () => {
    expect(telemetryDiffers({ generator: gen(), expectedRev: 7 }, gen({ rateHz: 51 }))).toEqual(true);
  });
  it('differs on pulse width', () => {
    expect(telemetryDiffers({ generator: gen(), expectedRev: 7 }, gen({ pulseWidthUs: 310 }))).toEqual(true);
  });
  it('differs on amplitude', () => {
    expect(telemetryDiffers({ generator: gen(), expectedRev: 7 }, gen({ amplitudeUa: 50 }))).toEqual(true);
  });
  it('differs on contacts', () => {
    expect(telemetryDiffers({ generator: gen(), expectedRev: 7 }, gen({ contacts: '+-000000' }))).toEqual(true);
  });
});
