import { describe, expect, it } from 'vitest';
import { accept, finalizeProgram, outputOffFirst, refuse } from '../../src/session/decision.js';
import { data, limits } from './decider-fixtures.js';
import { accepted, info, readState, refusal } from './decision-builders.js';

/**
 * The builders every decider shares: refuse, accept, output off first, and the last check before a
 * program goes to the wire (charge-density ceiling, Shannon warning). Written to kill the surviving
 * mutants of src/session/decision.ts (docs/mutation/summary.md). At 300 µs on '-+000000' the
 * ceiling is 12.25 mA; at 500 µs it is 7.35 mA.
 */

const program = (amplitudeUa: number, pulseWidthUs = 300, contacts = '-+000000') => ({
  rateHz: 50,
  pulseWidthUs,
  amplitudeUa,
  contacts,
});

describe('refuse and accept', () => {
  it('refuses with one reject notice, nothing sent, staying in the phase', () => {
    expect(refuse(data({ phase: 'search' }), 'rate', 70, 'why')).toEqual(refusal('rate', 70, 'why', 'search'));
  });
  it('accepts with nothing by default', () => {
    expect(accept('tuning')).toEqual(accepted('tuning'));
  });
  it('accepts with what it is given', () => {
    expect(
      accept(
        'ready',
        [{ op: 'readState' }],
        [{ kind: 'info', field: 'session', requested: null, applied: null, reason: 'x' }],
        { posture: 'sitting' },
      ),
    ).toEqual(
      accepted('ready', {
        notices: [info('session', null, null, 'x')],
        ops: [readState()],
        patch: { posture: 'sitting' },
      }),
    );
  });
});

describe('output off first', () => {
  it('nothing without a generator', () => {
    expect(outputOffFirst(data({ generator: null }), 'rate change')).toEqual({ ops: [], notices: [] });
  });
  it('nothing with output off', () => {
    expect(outputOffFirst(data(), 'rate change')).toEqual({ ops: [], notices: [] });
  });
  it('turns test output off first, said so', () => {
    expect(outputOffFirst(data({}, { output: 'on' }), 'rate change')).toEqual({
      ops: [{ op: 'setOutput', on: false, mode: 'test' }],
      notices: [
        {
          kind: 'warn',
          field: 'output',
          requested: 'on',
          applied: 'off',
          reason: 'rate change: only amplitude may change while output is on, so output was turned off first',
        },
      ],
    });
  });
  it('turns therapy output off in therapy mode', () => {
    expect(outputOffFirst(data({}, { output: 'on', mode: 'therapy' }), 'posture change')).toEqual({
      ops: [{ op: 'setOutput', on: false, mode: 'therapy' }],
      notices: [
        {
          kind: 'warn',
          field: 'output',
          requested: 'on',
          applied: 'off',
          reason: 'posture change: only amplitude may change while output is on, so output was turned off first',
        },
      ],
    });
  });
  it('uses test mode for a generator without a mode', () => {
    expect(outputOffFirst(data({}, { output: 'on', mode: 'none' }), 'posture change')).toEqual({
      ops: [{ op: 'setOutput', on: false, mode: 'test' }],
      notices: [
        {
          kind: 'warn',
          field: 'output',
          requested: 'on',
          applied: 'off',
          reason: 'posture change: only amplitude may change while output is on, so output was turned off first',
        },
      ],
    });
  });
});

describe('finalizeProgram', () => {
  it('passes an amplitude under the ceiling unchanged', () => {
    expect(finalizeProgram(program(3000), limits)).toEqual({
      program: { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 3000, contacts: '-+000000' },
      notices: [],
    });
  });
  it('passes an amplitude at the ceiling, with the Shannon warning', () => {
    expect(finalizeProgram(program(12250), limits)).toEqual({
      program: { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 12250, contacts: '-+000000' },
      notices: [
        {
          kind: 'warn',
          field: 'amplitude',
          requested: 12.25,
          applied: 12.25,
          reason: 'Shannon k 2.04 ≥ 1.85 at 300 µs (30.0 µC/cm² on the most loaded contact)',
        },
      ],
    });
  });
  it('lowers an amplitude above the ceiling, said so, then warns', () => {
    expect(finalizeProgram(program(12300), limits)).toEqual({
      program: { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 12250, contacts: '-+000000' },
      notices: [
        {
          kind: 'clamp',
          field: 'amplitude',
          requested: 12.3,
          applied: 12.25,
          reason: 'charge-density limit 30 µC/cm² at 300 µs',
        },
        {
          kind: 'warn',
          field: 'amplitude',
          requested: 12.25,
          applied: 12.25,
          reason: 'Shannon k 2.04 ≥ 1.85 at 300 µs (30.0 µC/cm² on the most loaded contact)',
        },
      ],
    });
  });
  it('lowers to the ceiling of a wider pulse', () => {
    expect(finalizeProgram(program(9000, 500), limits)).toEqual({
      program: { rateHz: 50, pulseWidthUs: 500, amplitudeUa: 7350, contacts: '-+000000' },
      notices: [
        {
          kind: 'clamp',
          field: 'amplitude',
          requested: 9,
          applied: 7.35,
          reason: 'charge-density limit 30 µC/cm² at 500 µs',
        },
        {
          kind: 'warn',
          field: 'amplitude',
          requested: 7.35,
          applied: 7.35,
          reason: 'Shannon k 2.04 ≥ 1.85 at 500 µs (30.0 µC/cm² on the most loaded contact)',
        },
      ],
    });
  });
  it('no warning below the Shannon limit (k 1.67 at 8 mA)', () => {
    expect(finalizeProgram(program(8000), limits)).toEqual({
      program: { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 8000, contacts: '-+000000' },
      notices: [],
    });
  });
});
