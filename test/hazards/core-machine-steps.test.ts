import { describe, expect, it } from 'vitest';
import type { GeneratorState } from '../../protocol/index.js';
import { DEFAULT_BATTERY_CONFIG, initialBatteryMonitor, observeBattery } from '../../src/session/battery-monitor.js';
import {
  DisconnectedError,
  LinkTimeoutError,
  NakError,
  OutputMismatchError,
  ReadbackMismatchError,
} from '../../src/link/generator-link.js';
import {
  acknowledgeStep,
  afterImpedanceStep,
  batteryStep,
  appliedStep,
  busyStep,
  failedStep,
  impedanceCheckStep,
  intentStep,
  isLinkDown,
  isMeasurement,
  syncStep,
} from '../../src/session/machine-steps.js';
import { handshakeStep, isBound, rebindStep } from '../../src/session/connection-steps.js';
import { dataOf } from '../../src/session/session-data.js';
import { stopFailedStep, stoppedStep, stopRequestedStep } from '../../src/session/stop-steps.js';
import { initialContext, type SessionContext } from '../../src/session/session-context.js';
import { gen, limits, record, mismatch } from './decider-fixtures.js';

/**
 * The machine's context steps on their own (context in, patch out): outcome and notice history,
 * pending operations and the next phase, read-back adoption, failures, reconciliation, binding (H13),
 * STOP, impedance and acknowledging a mismatch (H10/H17). Written to kill the surviving mutants of
 * src/session/machine-steps.ts (docs/mutation/summary.md).
 */

const identity = { proto: 1, firmware: 'sim-1.0', serial: 'SN-1', bootId: '0000abcd' };
const old = { kind: 'info' as const, field: 'session' as const, requested: null, applied: null, reason: 'earlier' };
const ctx = (over: Partial<SessionContext> = {}, g: Partial<GeneratorState> = {}): SessionContext => ({
  ...initialContext({ link: {} as never, clock: () => 5000, dwellMs: 500 }),
  limits,
  generator: gen(g),
  linkStatus: 'connected',
  needsHandshake: false,
  identity,
  binding: { serial: 'SN-1', proto: 1 },
  expectedRev: 7,
  notices: [old],
  ...over,
});
const tuningCtx = (g: Partial<GeneratorState> = {}, over: Partial<SessionContext> = {}) =>
  ctx({ phase: 'tuning', next: 'tuning', thresholds: [record()], ...over }, { output: 'on', amplitudeUa: 3000, ...g });
const outcome = { intent: 'SEARCH_START', accepted: true, notices: [old] };
const handshake = (s: Partial<GeneratorState> = {}, id = identity) => ({ identity: id, limits, state: gen(s) });
const fifty = Array.from({ length: 50 }, (_, i) => ({ ...old, reason: `n${i}` }));
const ok = [800, 900, 1000, 1000, 1000, 1000, 1000, 1000];

describe('dataOf', () => {
  it('keeps exactly the session data', () => {
    expect(
      dataOf(
        ctx({
          posture: 'walking',
          patientMode: true,
          patientWindow: { lowUa: 1, highUa: 2 },
          lastStepAt: 3,
          estimate: null,
          thresholds: [record()],
        }),
      ),
    ).toEqual({
      phase: 'ready',
      limits: {
        amplitudeUa: { min: 0, max: 25500, step: 50 },
        pulseWidthUs: { min: 20, max: 1000, step: 10 },
        rateHz: { min: 2, max: 1200, step: 1 },
        contactCount: 8,
        contactAreaCm2: 0.1225,
        maxChargeDensity: 30,
        watchdogMs: 2000,
      },
      generator: {
        output: 'off',
        mode: 'test',
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 0,
        contacts: '-+000000',
        batteryPct: 80,
        faults: [],
        committed: false,
        programRev: 7,
      },
      posture: 'walking',
      thresholds: [{ pulseWidthUs: 300, contacts: '-+000000', posture: 'supine', sensoryUa: 2000, discomfortUa: 4000 }],
      estimate: null,
      patientMode: true,
      patientWindow: { lowUa: 1, highUa: 2 },
      lastStepAt: 3,
      dwellMs: 500,
      impedance: null,
    });
  });
});

describe('intentStep', () => {
  it('queues the operations and the next phase of an accepted intent', () => {
    expect(intentStep(tuningCtx(), { type: 'AMPLITUDE_SET', ma: 3.05 })).toEqual({
      outcome: { intent: 'AMPLITUDE_SET', accepted: true, notices: [] },
      notices: [{ kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' }],
      pending: {
        ops: [
          { op: 'setProgram', program: { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 3050, contacts: '-+000000' } },
        ],
        next: 'tuning',
      },
      next: 'tuning',
    });
  });
  it('queues nothing for a refused intent and stays', () => {
    expect(intentStep(ctx({ phase: 'blocked', next: 'blocked' }), { type: 'RATE', hz: 55 })).toEqual({
      outcome: {
        intent: 'RATE',
        accepted: false,
        notices: [
          {
            kind: 'reject',
            field: 'rate',
            requested: 55,
            applied: null,
            reason:
              'this generator is not the one the session is bound to (serial or protocol differs): re-bind explicitly first',
          },
        ],
      },
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        {
          kind: 'reject',
          field: 'rate',
          requested: 55,
          applied: null,
          reason:
            'this generator is not the one the session is bound to (serial or protocol differs): re-bind explicitly first',
        },
      ],
      pending: null,
      next: 'blocked',
    });
  });
  it('queues nothing for an accepted intent without operations', () => {
    expect(intentStep(ctx({ phase: 'ready' }), { type: 'POSTURE', posture: 'sitting' })).toEqual({
      posture: 'sitting',
      outcome: { intent: 'POSTURE', accepted: true, notices: [] },
      notices: [{ kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' }],
      pending: null,
      next: 'ready',
    });
  });
  it('queues an impedance measurement without operations and stays in the phase', () => {
    expect(intentStep(ctx(), { type: 'SEARCH_START' })).toEqual({
      outcome: { intent: 'SEARCH_START', accepted: true, notices: [] },
      notices: [{ kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' }],
      pending: { ops: [], next: 'impedance' },
      next: 'ready',
    });
  });
  it('queues the standalone impedance check', () => {
    expect(intentStep(tuningCtx(), { type: 'IMPEDANCE_CHECK' })).toEqual({
      outcome: {
        intent: 'IMPEDANCE_CHECK',
        accepted: true,
        notices: [
          {
            kind: 'warn',
            field: 'output',
            requested: 'on',
            applied: 'off',
            reason: 'impedance check: only amplitude may change while output is on, so output was turned off first',
          },
        ],
      },
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        {
          kind: 'warn',
          field: 'output',
          requested: 'on',
          applied: 'off',
          reason: 'impedance check: only amplitude may change while output is on, so output was turned off first',
        },
      ],
      pending: { ops: [{ op: 'setOutput', on: false, mode: 'test' }], next: 'impedanceCheck' },
      next: 'tuning',
    });
  });
  it('uses the time of the action over the clock', () => {
    expect(
      intentStep(ctx({ phase: 'search', next: 'search', lastStepAt: 4000 }, { output: 'on', amplitudeUa: 1000 }), {
        type: 'AMPLITUDE_UP',
        at: 4600,
      }),
    ).toEqual({
      lastStepAt: 4600,
      outcome: { intent: 'AMPLITUDE_UP', accepted: true, notices: [] },
      notices: [{ kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' }],
      pending: {
        ops: [
          { op: 'setProgram', program: { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 1050, contacts: '-+000000' } },
        ],
        next: 'search',
      },
      next: 'search',
    });
  });
  it('uses the clock when the action has no time', () => {
    expect(
      intentStep(ctx({ phase: 'search', next: 'search', lastStepAt: 4600 }, { output: 'on', amplitudeUa: 1000 }), {
        type: 'AMPLITUDE_UP',
      }),
    ).toEqual({
      outcome: {
        intent: 'AMPLITUDE_UP',
        accepted: false,
        notices: [
          {
            kind: 'reject',
            field: 'amplitude',
            requested: 'one step up',
            applied: null,
            reason: 'minimum dwell 500 ms between search steps: wait 100 ms',
          },
        ],
      },
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        {
          kind: 'reject',
          field: 'amplitude',
          requested: 'one step up',
          applied: null,
          reason: 'minimum dwell 500 ms between search steps: wait 100 ms',
        },
      ],
      pending: null,
      next: 'search',
    });
  });
  it('keeps at most fifty notices, newest last', () => {
    expect(intentStep(ctx({ notices: fifty }), { type: 'RATE', hz: 70 }).notices?.map((n) => n.reason)).toEqual([
      'n1',
      'n2',
      'n3',
      'n4',
      'n5',
      'n6',
      'n7',
      'n8',
      'n9',
      'n10',
      'n11',
      'n12',
      'n13',
      'n14',
      'n15',
      'n16',
      'n17',
      'n18',
      'n19',
      'n20',
      'n21',
      'n22',
      'n23',
      'n24',
      'n25',
      'n26',
      'n27',
      'n28',
      'n29',
      'n30',
      'n31',
      'n32',
      'n33',
      'n34',
      'n35',
      'n36',
      'n37',
      'n38',
      'n39',
      'n40',
      'n41',
      'n42',
      'n43',
      'n44',
      'n45',
      'n46',
      'n47',
      'n48',
      'n49',
      'clinical window max 60 Hz',
    ]);
  });
});

describe('busyStep', () => {
  it('says busy while connected', () => {
    expect(busyStep(ctx({ outcome }), { type: 'RATE', hz: 55 })).toEqual({
      outcome: {
        intent: 'RATE',
        accepted: false,
        notices: [
          {
            kind: 'reject',
            field: 'rate',
            requested: 55,
            applied: null,
            reason: 'busy: the previous request is still being applied; try again',
          },
        ],
      },
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        {
          kind: 'reject',
          field: 'rate',
          requested: 55,
          applied: null,
          reason: 'busy: the previous request is still being applied; try again',
        },
      ],
    });
  });
  it('says not connected otherwise', () => {
    expect(busyStep(ctx({ linkStatus: 'disconnected' }), { type: 'OUTPUT_ON' })).toEqual({
      outcome: {
        intent: 'OUTPUT_ON',
        accepted: false,
        notices: [
          {
            kind: 'reject',
            field: 'output',
            requested: 'on',
            applied: null,
            reason: 'not connected to a generator (link lost or not yet connected)',
          },
        ],
      },
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        {
          kind: 'reject',
          field: 'output',
          requested: 'on',
          applied: null,
          reason: 'not connected to a generator (link lost or not yet connected)',
        },
      ],
    });
  });
});

describe('appliedStep', () => {
  it('adopts the read-back and goes where the pending operations said', () => {
    expect(
      appliedStep(ctx({ phase: 'ready', pending: { ops: [], next: 'tuning' } }), gen({ output: 'on', programRev: 8 })),
    ).toEqual({
      generator: {
        output: 'on',
        mode: 'test',
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 0,
        contacts: '-+000000',
        batteryPct: 80,
        faults: [],
        committed: false,
        programRev: 8,
      },
      expectedRev: 8,
      pending: null,
      next: 'tuning',
      mismatch: null,
    });
  });
  it('stays in the phase without pending operations', () => {
    expect(appliedStep(ctx({ phase: 'search' }), gen({ programRev: 9 }))).toEqual({
      generator: {
        output: 'off',
        mode: 'test',
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 0,
        contacts: '-+000000',
        batteryPct: 80,
        faults: [],
        committed: false,
        programRev: 9,
      },
      expectedRev: 9,
      pending: null,
      next: 'search',
      mismatch: null,
    });
  });
  it('keeps a measurement pending and stays while output is on', () => {
    expect(
      appliedStep(
        ctx({ phase: 'tuning', pending: { ops: [], next: 'impedance' } }),
        gen({ output: 'on', programRev: 8 }),
      ),
    ).toEqual({
      generator: {
        output: 'on',
        mode: 'test',
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 0,
        contacts: '-+000000',
        batteryPct: 80,
        faults: [],
        committed: false,
        programRev: 8,
      },
      expectedRev: 8,
      pending: { ops: [], next: 'impedance' },
      next: 'tuning',
      mismatch: null,
    });
  });
  it('keeps a measurement pending and goes to ready once output is off', () => {
    expect(
      appliedStep(ctx({ phase: 'tuning', pending: { ops: [], next: 'impedanceCheck' } }), gen({ programRev: 8 })),
    ).toEqual({
      generator: {
        output: 'off',
        mode: 'test',
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 0,
        contacts: '-+000000',
        batteryPct: 80,
        faults: [],
        committed: false,
        programRev: 8,
      },
      expectedRev: 8,
      pending: { ops: [], next: 'impedanceCheck' },
      next: 'ready',
      mismatch: null,
    });
  });
  it('resolves a mismatch the read-back agrees with', () => {
    expect(appliedStep(ctx({ mismatch }), gen({ amplitudeUa: 3000 }))).toEqual({
      generator: {
        output: 'off',
        mode: 'test',
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 3000,
        contacts: '-+000000',
        batteryPct: 80,
        faults: [],
        committed: false,
        programRev: 7,
      },
      expectedRev: 7,
      pending: null,
      next: 'ready',
      mismatch: null,
    });
  });
  it('keeps a mismatch the read-back still shows', () => {
    expect(appliedStep(ctx({ mismatch }), gen({ amplitudeUa: 2500 }))).toEqual({
      generator: {
        output: 'off',
        mode: 'test',
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 2500,
        contacts: '-+000000',
        batteryPct: 80,
        faults: [],
        committed: false,
        programRev: 7,
      },
      expectedRev: 7,
      pending: null,
      next: 'ready',
      mismatch: {
        kind: 'external',
        expected: { amplitudeUa: 3000 },
        reported: {
          rateHz: 50,
          pulseWidthUs: 300,
          amplitudeUa: 2500,
          contacts: '-+000000',
          output: 'off',
          mode: 'test',
        },
        fields: ['amplitudeUa'],
        since: 100,
      },
    });
  });
});

describe('isMeasurement and isLinkDown', () => {
  it('tells measurements from phases', () => {
    expect([
      isMeasurement('impedance'),
      isMeasurement('impedanceCheck'),
      isMeasurement('ready'),
      isMeasurement('search'),
    ]).toEqual([true, true, false, false]);
  });
  it('treats only disconnection and timeout as link loss', () => {
    expect([
      isLinkDown(new DisconnectedError('x')),
      isLinkDown(new LinkTimeoutError('x')),
      isLinkDown(new NakError(14, 'x')),
      isLinkDown(new Error('x')),
      isLinkDown('x'),
    ]).toEqual([true, true, false, false, false]);
  });
});

describe('failedStep', () => {
  it('shows a refusal by name and refuses the outcome', () => {
    expect(
      failedStep(ctx({ outcome, pending: { ops: [], next: 'tuning' } }), new NakError(14, 'amplitude out of range')),
    ).toEqual({
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        {
          kind: 'reject',
          field: 'generator',
          requested: null,
          applied: null,
          reason:
            'the generator refused the request because a value in the request is not valid (it says "amplitude out of range")',
        },
      ],
      outcome: {
        intent: 'SEARCH_START',
        accepted: false,
        notices: [
          { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
          {
            kind: 'reject',
            field: 'generator',
            requested: null,
            applied: null,
            reason:
              'the generator refused the request because a value in the request is not valid (it says "amplitude out of range")',
          },
        ],
      },
      pending: null,
      syncReason: 'error',
      mismatch: null,
    });
  });
  it('shows a read-back mismatch and keeps it', () => {
    expect(
      failedStep(
        ctx(),
        new ReadbackMismatchError(
          { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 3000, contacts: '-+000000' },
          gen({ amplitudeUa: 2500 }),
        ),
      ),
    ).toEqual({
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        {
          kind: 'warn',
          field: 'generator',
          requested: null,
          applied: null,
          reason:
            'the generator applied 50 Hz, 300 µs, 2.5 mA, 1- 2+, output off, not the requested 50 Hz, 300 µs, 3 mA, 1- 2+: the screen shows what it applied',
        },
      ],
      outcome: null,
      pending: null,
      syncReason: 'error',
      mismatch: {
        kind: 'readback',
        expected: { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 3000, contacts: '-+000000' },
        reported: {
          rateHz: 50,
          pulseWidthUs: 300,
          amplitudeUa: 2500,
          contacts: '-+000000',
          output: 'off',
          mode: 'test',
        },
        fields: ['amplitudeUa'],
        since: 5000,
      },
    });
  });
  it('shows an output mismatch', () => {
    expect(failedStep(ctx(), new OutputMismatchError({ on: false }, gen({ output: 'on' })))).toEqual({
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        // bb5-N3: our own off answered with output on is said as output still on, with the way to end it.
        {
          kind: 'warn',
          field: 'output',
          requested: 'off',
          applied: 'on',
          reason:
            'output still on: the generator reports output on (50 Hz, 300 µs, 0 mA, 1- 2+, output on (test)) after output off was asked: press STOP or switch it off by hand',
        },
      ],
      outcome: null,
      pending: null,
      syncReason: 'error',
      mismatch: {
        kind: 'output',
        expected: { output: 'off' },
        reported: { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 0, contacts: '-+000000', output: 'on', mode: 'test' },
        fields: ['output'],
        since: 5000,
      },
    });
  });
  it('calls a disconnection a link loss', () => {
    expect(failedStep(ctx(), new DisconnectedError('port closed'))).toEqual({
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        { kind: 'warn', field: 'link', requested: null, applied: null, reason: 'link lost: port closed' },
      ],
      outcome: null,
      pending: null,
      syncReason: 'error',
      mismatch: null,
    });
  });
  it('calls a timeout a link loss', () => {
    expect(failedStep(ctx(), new LinkTimeoutError('no reply'))).toEqual({
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        { kind: 'warn', field: 'link', requested: null, applied: null, reason: 'link lost: no reply' },
      ],
      outcome: null,
      pending: null,
      syncReason: 'error',
      mismatch: null,
    });
  });
  it('shows any other error by its message', () => {
    expect(failedStep(ctx({ mismatch }), new Error('odd'))).toEqual({
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        { kind: 'warn', field: 'session', requested: null, applied: null, reason: 'odd' },
      ],
      outcome: null,
      pending: null,
      syncReason: 'error',
      mismatch: {
        kind: 'external',
        expected: { amplitudeUa: 3000 },
        reported: {
          rateHz: 50,
          pulseWidthUs: 300,
          amplitudeUa: 3500,
          contacts: '-+000000',
          output: 'on',
          mode: 'test',
        },
        fields: ['amplitudeUa'],
        since: 100,
      },
    });
  });
  it('shows a thrown non-error as text', () => {
    expect(failedStep(ctx(), 'weird')).toEqual({
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        { kind: 'warn', field: 'session', requested: null, applied: null, reason: 'weird' },
      ],
      outcome: null,
      pending: null,
      syncReason: 'error',
      mismatch: null,
    });
  });
});

describe('syncStep', () => {
  it('adopts the state and ends the dwell clock outside search', () => {
    expect(syncStep(ctx({ phase: 'tuning', lastStepAt: 10, thresholds: [record()] }), gen({ programRev: 7 }))).toEqual({
      notices: [{ kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' }],
      outcome: null,
      generator: {
        output: 'off',
        mode: 'test',
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 0,
        contacts: '-+000000',
        batteryPct: 80,
        faults: [],
        committed: false,
        programRev: 7,
      },
      expectedRev: 7,
      mismatch: null,
      pending: null,
      next: 'ready',
      lastStepAt: null,
    });
  });
  it('keeps the dwell clock in search', () => {
    expect(
      syncStep(
        ctx({ phase: 'search', lastStepAt: 10, syncReason: 'telemetry' }),
        gen({ output: 'on', amplitudeUa: 1000 }),
      ),
    ).toEqual({
      notices: [{ kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' }],
      outcome: null,
      generator: {
        output: 'on',
        mode: 'test',
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 1000,
        contacts: '-+000000',
        batteryPct: 80,
        faults: [],
        committed: false,
        programRev: 7,
      },
      expectedRev: 7,
      mismatch: null,
      pending: null,
      next: 'search',
    });
  });
  it('records a change made outside as a mismatch', () => {
    expect(
      syncStep(
        ctx({ syncReason: 'telemetry', thresholds: [record()] }, { amplitudeUa: 3000, output: 'on' }),
        gen({ output: 'on', amplitudeUa: 3500, programRev: 9 }),
      ),
    ).toEqual({
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        {
          kind: 'warn',
          field: 'program',
          requested: '50 Hz, 300 µs, 3 mA, 1- 2+, output on (test)',
          applied: '50 Hz, 300 µs, 3.5 mA, 1- 2+, output on (test)',
          reason:
            "the generator's program was changed outside the companion (rev 7 → 9): now 50 Hz, 300 µs, 3.5 mA, 1- 2+, output on (test); shown as found, not overwritten",
        },
      ],
      outcome: null,
      generator: {
        output: 'on',
        mode: 'test',
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 3500,
        contacts: '-+000000',
        batteryPct: 80,
        faults: [],
        committed: false,
        programRev: 9,
      },
      expectedRev: 9,
      mismatch: {
        kind: 'external',
        expected: { amplitudeUa: 3000, rateHz: 50, pulseWidthUs: 300, contacts: '-+000000' },
        reported: {
          rateHz: 50,
          pulseWidthUs: 300,
          amplitudeUa: 3500,
          contacts: '-+000000',
          output: 'on',
          mode: 'test',
        },
        fields: ['amplitudeUa'],
        since: 5000,
      },
      pending: null,
      next: 'tuning',
      lastStepAt: null,
    });
  });
  it('queues the stop of uncommitted test stimulation after a link loss', () => {
    expect(
      syncStep(ctx({ syncReason: 'link-restored', thresholds: [record()] }), gen({ output: 'on', amplitudeUa: 3000 })),
    ).toEqual({
      notices: [{ kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' }],
      outcome: null,
      generator: {
        output: 'on',
        mode: 'test',
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 3000,
        contacts: '-+000000',
        batteryPct: 80,
        faults: [],
        committed: false,
        programRev: 7,
      },
      expectedRev: 7,
      mismatch: null,
      // The notice that it stopped waits for the generator's confirmation (bb5-N3).
      pending: {
        ops: [{ op: 'setOutput', on: false, mode: 'test' }],
        next: 'ready',
        confirmed: [
          {
            kind: 'warn',
            field: 'output',
            requested: 'on',
            applied: 'off',
            reason: 'uncommitted test stimulation stops after a link loss',
          },
        ],
      },
      next: 'ready',
      lastStepAt: null,
    });
  });
  it('blocks an unbound generator', () => {
    expect(syncStep(ctx({ binding: { serial: 'SN-2', proto: 1 } }), gen())).toEqual({
      notices: [{ kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' }],
      outcome: null,
      generator: {
        output: 'off',
        mode: 'test',
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 0,
        contacts: '-+000000',
        batteryPct: 80,
        faults: [],
        committed: false,
        programRev: 7,
      },
      expectedRev: 7,
      mismatch: null,
      pending: null,
      next: 'blocked',
      lastStepAt: null,
    });
  });
});

describe('isBound', () => {
  it('binds anything before an identity is known', () => {
    expect(isBound({ identity: null, binding: { serial: 'X', proto: 9 } })).toEqual(true);
  });
  it('binds anything without a binding', () => {
    expect(isBound({ identity, binding: null })).toEqual(true);
  });
  it('binds the same serial and protocol', () => {
    expect(isBound({ identity, binding: { serial: 'SN-1', proto: 1 } })).toEqual(true);
  });
  it('refuses another serial', () => {
    expect(isBound({ identity, binding: { serial: 'SN-2', proto: 1 } })).toEqual(false);
  });
  it('refuses another protocol', () => {
    expect(isBound({ identity, binding: { serial: 'SN-1', proto: 2 } })).toEqual(false);
  });
});

describe('handshakeStep', () => {
  it('binds on first sight and forgets the expected revision on connect', () => {
    expect(
      handshakeStep(
        ctx({ identity: null, binding: null, linkStatus: 'connecting', needsHandshake: true }),
        handshake({ programRev: 3 }),
        false,
        'connect',
      ),
    ).toEqual({
      identity: { proto: 1, firmware: 'sim-1.0', serial: 'SN-1', bootId: '0000abcd' },
      limits: {
        amplitudeUa: { min: 0, max: 25500, step: 50 },
        pulseWidthUs: { min: 20, max: 1000, step: 10 },
        rateHz: { min: 2, max: 1200, step: 1 },
        contactCount: 8,
        contactAreaCm2: 0.1225,
        maxChargeDensity: 30,
        watchdogMs: 2000,
      },
      binding: { serial: 'SN-1', proto: 1 },
      linkStatus: 'connected',
      needsHandshake: false,
      generator: {
        output: 'off',
        mode: 'test',
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 0,
        contacts: '-+000000',
        batteryPct: 80,
        faults: [],
        committed: false,
        programRev: 3,
      },
      syncReason: 'connect',
      expectedRev: null,
      mismatch: null,
      notices: [{ kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' }],
      outcome: null,
    });
  });
  it('marks a reset and forgets the expected revision', () => {
    expect(
      handshakeStep(ctx({ linkStatus: 'disconnected' }), handshake({ programRev: 1 }), true, 'link-restored'),
    ).toEqual({
      reset: {
        boot: '0000abcd',
        lost: {
          output: 'off',
          mode: 'test',
          rateHz: 50,
          pulseWidthUs: 300,
          amplitudeUa: 0,
          contacts: '-+000000',
          batteryPct: 80,
          faults: [],
          committed: false,
          programRev: 7,
        },
        reported: false,
      },
      identity: { proto: 1, firmware: 'sim-1.0', serial: 'SN-1', bootId: '0000abcd' },
      limits: {
        amplitudeUa: { min: 0, max: 25500, step: 50 },
        pulseWidthUs: { min: 20, max: 1000, step: 10 },
        rateHz: { min: 2, max: 1200, step: 1 },
        contactCount: 8,
        contactAreaCm2: 0.1225,
        maxChargeDensity: 30,
        watchdogMs: 2000,
      },
      binding: { serial: 'SN-1', proto: 1 },
      linkStatus: 'connected',
      needsHandshake: false,
      generator: {
        output: 'off',
        mode: 'test',
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 0,
        contacts: '-+000000',
        batteryPct: 80,
        faults: [],
        committed: false,
        programRev: 1,
      },
      syncReason: 'reset',
      expectedRev: null,
      mismatch: null,
      notices: [{ kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' }],
      outcome: null,
    });
  });
  it('no mismatch after a reset even when the program differs', () => {
    expect(
      handshakeStep(
        ctx({ linkStatus: 'disconnected' }, { amplitudeUa: 3000 }),
        handshake({ programRev: 1, amplitudeUa: 0 }),
        true,
        'link-restored',
      ).mismatch,
    ).toEqual(null);
  });
  it('no mismatch on a new connection even when the revision and program differ', () => {
    expect(
      handshakeStep(
        ctx({ linkStatus: 'disconnected', identity: null }, { amplitudeUa: 3000 }),
        handshake({ programRev: 9, amplitudeUa: 3500 }),
        false,
        'connect',
      ).mismatch,
    ).toEqual(null);
  });
  it('no mismatch while the revision did not move, even if the program read differs', () => {
    expect(
      handshakeStep(
        ctx({ linkStatus: 'disconnected' }, { amplitudeUa: 3000 }),
        handshake({ programRev: 7, amplitudeUa: 3500 }),
        false,
        'link-restored',
      ).mismatch,
    ).toEqual(null);
  });
  it('records and warns about a change made while the link was down, and expects the revision found', () => {
    expect(
      handshakeStep(
        ctx({ linkStatus: 'disconnected' }, { amplitudeUa: 3000 }),
        handshake({ programRev: 9, amplitudeUa: 3500 }),
        false,
        'link-restored',
      ),
    ).toEqual({
      identity: { proto: 1, firmware: 'sim-1.0', serial: 'SN-1', bootId: '0000abcd' },
      limits: {
        amplitudeUa: { min: 0, max: 25500, step: 50 },
        pulseWidthUs: { min: 20, max: 1000, step: 10 },
        rateHz: { min: 2, max: 1200, step: 1 },
        contactCount: 8,
        contactAreaCm2: 0.1225,
        maxChargeDensity: 30,
        watchdogMs: 2000,
      },
      binding: { serial: 'SN-1', proto: 1 },
      linkStatus: 'connected',
      needsHandshake: false,
      generator: {
        output: 'off',
        mode: 'test',
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 3500,
        contacts: '-+000000',
        batteryPct: 80,
        faults: [],
        committed: false,
        programRev: 9,
      },
      syncReason: 'link-restored',
      expectedRev: 9,
      mismatch: {
        kind: 'external',
        expected: { amplitudeUa: 3000, rateHz: 50, pulseWidthUs: 300, contacts: '-+000000' },
        reported: {
          rateHz: 50,
          pulseWidthUs: 300,
          amplitudeUa: 3500,
          contacts: '-+000000',
          output: 'off',
          mode: 'test',
        },
        fields: ['amplitudeUa'],
        since: 5000,
      },
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        {
          kind: 'warn',
          field: 'program',
          requested: '50 Hz, 300 µs, 3 mA, 1- 2+, output off',
          applied: '50 Hz, 300 µs, 3.5 mA, 1- 2+, output off',
          reason:
            "the generator's program was changed outside the companion (rev 7 → 9): now 50 Hz, 300 µs, 3.5 mA, 1- 2+, output off; shown as found, not overwritten",
        },
      ],
      outcome: null,
    });
  });
  it('no mismatch when the revision did not move', () => {
    expect(
      handshakeStep(ctx({ linkStatus: 'disconnected' }), handshake({ programRev: 7 }), false, 'link-restored'),
    ).toEqual({
      identity: { proto: 1, firmware: 'sim-1.0', serial: 'SN-1', bootId: '0000abcd' },
      limits: {
        amplitudeUa: { min: 0, max: 25500, step: 50 },
        pulseWidthUs: { min: 20, max: 1000, step: 10 },
        rateHz: { min: 2, max: 1200, step: 1 },
        contactCount: 8,
        contactAreaCm2: 0.1225,
        maxChargeDensity: 30,
        watchdogMs: 2000,
      },
      binding: { serial: 'SN-1', proto: 1 },
      linkStatus: 'connected',
      needsHandshake: false,
      generator: {
        output: 'off',
        mode: 'test',
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 0,
        contacts: '-+000000',
        batteryPct: 80,
        faults: [],
        committed: false,
        programRev: 7,
      },
      syncReason: 'link-restored',
      expectedRev: 7,
      mismatch: null,
      notices: [{ kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' }],
      outcome: null,
    });
  });
  it('no mismatch without an expected revision', () => {
    expect(
      handshakeStep(
        ctx({ linkStatus: 'disconnected', expectedRev: null }),
        handshake({ programRev: 9, amplitudeUa: 3500 }),
        false,
        'link-restored',
      ),
    ).toEqual({
      identity: { proto: 1, firmware: 'sim-1.0', serial: 'SN-1', bootId: '0000abcd' },
      limits: {
        amplitudeUa: { min: 0, max: 25500, step: 50 },
        pulseWidthUs: { min: 20, max: 1000, step: 10 },
        rateHz: { min: 2, max: 1200, step: 1 },
        contactCount: 8,
        contactAreaCm2: 0.1225,
        maxChargeDensity: 30,
        watchdogMs: 2000,
      },
      binding: { serial: 'SN-1', proto: 1 },
      linkStatus: 'connected',
      needsHandshake: false,
      generator: {
        output: 'off',
        mode: 'test',
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 3500,
        contacts: '-+000000',
        batteryPct: 80,
        faults: [],
        committed: false,
        programRev: 9,
      },
      syncReason: 'link-restored',
      mismatch: null,
      notices: [{ kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' }],
      outcome: null,
    });
  });
  it('refuses another generator until re-bound', () => {
    expect(handshakeStep(ctx({ outcome }), handshake({}, { ...identity, serial: 'SN-2' }), false, 'connect')).toEqual({
      identity: { proto: 1, firmware: 'sim-1.0', serial: 'SN-2', bootId: '0000abcd' },
      limits: {
        amplitudeUa: { min: 0, max: 25500, step: 50 },
        pulseWidthUs: { min: 20, max: 1000, step: 10 },
        rateHz: { min: 2, max: 1200, step: 1 },
        contactCount: 8,
        contactAreaCm2: 0.1225,
        maxChargeDensity: 30,
        watchdogMs: 2000,
      },
      binding: { serial: 'SN-1', proto: 1 },
      linkStatus: 'connected',
      needsHandshake: false,
      generator: {
        output: 'off',
        mode: 'test',
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 0,
        contacts: '-+000000',
        batteryPct: 80,
        faults: [],
        committed: false,
        programRev: 7,
      },
      syncReason: 'connect',
      expectedRev: null,
      mismatch: null,
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        {
          kind: 'reject',
          field: 'generator',
          requested: 'SN-1 v1',
          applied: 'SN-2 v1',
          reason:
            'a different generator or protocol version than the session is bound to: programming is blocked until you re-bind explicitly',
        },
      ],
      outcome: {
        intent: 'SEARCH_START',
        accepted: true,
        notices: [
          { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
          {
            kind: 'reject',
            field: 'generator',
            requested: 'SN-1 v1',
            applied: 'SN-2 v1',
            reason:
              'a different generator or protocol version than the session is bound to: programming is blocked until you re-bind explicitly',
          },
        ],
      },
    });
  });
  it('refuses another protocol version', () => {
    expect(handshakeStep(ctx(), handshake({}, { ...identity, proto: 2 }), false, 'connect')).toEqual({
      identity: { proto: 2, firmware: 'sim-1.0', serial: 'SN-1', bootId: '0000abcd' },
      limits: {
        amplitudeUa: { min: 0, max: 25500, step: 50 },
        pulseWidthUs: { min: 20, max: 1000, step: 10 },
        rateHz: { min: 2, max: 1200, step: 1 },
        contactCount: 8,
        contactAreaCm2: 0.1225,
        maxChargeDensity: 30,
        watchdogMs: 2000,
      },
      binding: { serial: 'SN-1', proto: 1 },
      linkStatus: 'connected',
      needsHandshake: false,
      generator: {
        output: 'off',
        mode: 'test',
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 0,
        contacts: '-+000000',
        batteryPct: 80,
        faults: [],
        committed: false,
        programRev: 7,
      },
      syncReason: 'connect',
      expectedRev: null,
      mismatch: null,
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        {
          kind: 'reject',
          field: 'generator',
          requested: 'SN-1 v1',
          applied: 'SN-1 v2',
          reason:
            'a different generator or protocol version than the session is bound to: programming is blocked until you re-bind explicitly',
        },
      ],
      outcome: null,
    });
  });
});

describe('rebindStep', () => {
  it('does nothing without an identity', () => {
    expect(rebindStep(ctx({ identity: null }))).toEqual({});
  });
  it('re-binds, discards thresholds and says from what', () => {
    expect(
      rebindStep(
        ctx({ binding: { serial: 'SN-0', proto: 1 }, thresholds: [record()], patientWindow: { lowUa: 1, highUa: 2 } }),
      ),
    ).toEqual({
      binding: { serial: 'SN-1', proto: 1 },
      thresholds: [],
      estimate: null,
      patientWindow: null,
      impedance: null,
      syncReason: 'rebind',
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        {
          kind: 'warn',
          field: 'generator',
          requested: 'SN-0 v1',
          applied: 'SN-1 v1',
          reason: 're-bound to this generator; thresholds discarded',
        },
      ],
      outcome: null,
    });
  });
  it('re-binds without a previous binding', () => {
    expect(rebindStep(ctx({ binding: null }))).toEqual({
      binding: { serial: 'SN-1', proto: 1 },
      thresholds: [],
      estimate: null,
      patientWindow: null,
      impedance: null,
      syncReason: 'rebind',
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        {
          kind: 'warn',
          field: 'generator',
          requested: null,
          applied: 'SN-1 v1',
          reason: 're-bound to this generator; thresholds discarded',
        },
      ],
      outcome: null,
    });
  });
});

describe('STOP', () => {
  it('stopped: adopts the state, clears the dwell clock, goes to ready', () => {
    expect(
      stoppedStep(
        // Output was on: the STOP explains its one revision step (PROTOCOL.md §4.5).
        ctx({ stopPending: true, lastStepAt: 9, pending: { ops: [], next: 'tuning' }, mismatch }, { output: 'on' }),
        gen({ programRev: 8, amplitudeUa: 3000 }),
      ),
    ).toEqual({
      generator: {
        output: 'off',
        mode: 'test',
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 3000,
        contacts: '-+000000',
        batteryPct: 80,
        faults: [],
        committed: false,
        programRev: 8,
      },
      expectedRev: 8,
      stopOwnWrites: 0,
      stopPending: false,
      pending: null,
      lastStepAt: null,
      next: 'ready',
      mismatch: null,
    });
  });
  it('stopped on an unbound generator: blocked', () => {
    expect(
      stoppedStep(ctx({ binding: { serial: 'SN-2', proto: 1 } }, { output: 'on' }), gen({ programRev: 8 })),
    ).toEqual({
      generator: {
        output: 'off',
        mode: 'test',
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 0,
        contacts: '-+000000',
        batteryPct: 80,
        faults: [],
        committed: false,
        programRev: 8,
      },
      expectedRev: 8,
      stopOwnWrites: 0,
      stopPending: false,
      pending: null,
      lastStepAt: null,
      next: 'blocked',
      mismatch: null,
    });
  });
  it('stopped with output already off: a moved revision is not explained, the last one is kept for the re-read', () => {
    // PROTOCOL.md §4.5: a STOP explains +0 when output was off (bb4-F1).
    const patch = stoppedStep(ctx({ stopPending: true }), gen({ programRev: 8 }));
    expect(patch.expectedRev).toBe(7);
    expect(stoppedStep(ctx({ stopPending: true }), gen({ programRev: 7 })).expectedRev).toBe(7);
  });
  it('requested with a write of ours under way: that write may explain one revision step after the STOP', () => {
    const write = {
      op: 'setProgram' as const,
      program: { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 3050, contacts: '-+000000' },
    };
    expect(stopRequestedStep(ctx({ outcome, pending: { ops: [write], next: 'tuning' } })).stopOwnWrites).toBe(1);
  });
  it('requested: pending, answered at once', () => {
    expect(stopRequestedStep(ctx({ outcome, pending: { ops: [], next: 'tuning' } }))).toEqual({
      stopPending: true,
      // No write of ours under way: the STOP alone may move the revision (stop-check.ts).
      stopOwnWrites: 0,
      pending: null,
      outcome: {
        intent: 'STOP',
        accepted: true,
        notices: [
          {
            kind: 'info',
            field: 'output',
            requested: 'stop',
            applied: 'off',
            reason: 'STOP: output off before anything else',
          },
        ],
      },
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        {
          kind: 'info',
          field: 'output',
          requested: 'stop',
          applied: 'off',
          reason: 'STOP: output off before anything else',
        },
      ],
    });
  });
  it('failed: said so, sent first when the link returns', () => {
    expect(stopFailedStep(ctx(), new LinkTimeoutError('no reply'))).toEqual({
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        {
          kind: 'warn',
          field: 'link',
          requested: 'stop',
          applied: null,
          reason:
            "STOP not confirmed (no reply): it is sent first when the link returns; the generator's watchdog stops test stimulation by itself",
        },
      ],
      outcome: null,
      mismatch: null,
    });
  });
  it('failed with a non-error', () => {
    expect(stopFailedStep(ctx(), 'gone')).toEqual({
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        {
          kind: 'warn',
          field: 'link',
          requested: 'stop',
          applied: null,
          reason:
            "STOP not confirmed (gone): it is sent first when the link returns; the generator's watchdog stops test stimulation by itself",
        },
      ],
      outcome: null,
      mismatch: null,
    });
  });
  it('failed with the generator still on: a mismatch', () => {
    expect(stopFailedStep(ctx(), new OutputMismatchError({ on: false }, gen({ output: 'on' })))).toEqual({
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        {
          kind: 'warn',
          field: 'link',
          requested: 'stop',
          applied: null,
          reason:
            "STOP not confirmed (generator reports output on (mode test), not the requested off): it is sent first when the link returns; the generator's watchdog stops test stimulation by itself",
        },
      ],
      outcome: null,
      mismatch: {
        kind: 'output',
        expected: { output: 'off' },
        reported: { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 0, contacts: '-+000000', output: 'on', mode: 'test' },
        fields: ['output'],
        since: 5000,
      },
    });
  });
});

describe('impedance', () => {
  it('continues into the search and completes the outcome', () => {
    expect(afterImpedanceStep(ctx({ outcome }), ok)).toEqual({
      lastStepAt: 5000,
      thresholds: [{ pulseWidthUs: 300, contacts: '-+000000', posture: 'supine', sensoryUa: null, discomfortUa: null }],
      impedance: {
        readings: [800, 900, 1000, 1000, 1000, 1000, 1000, 1000],
        flagged: [],
        at: 5000,
        contacts: '-+000000',
      },
      outcome: {
        intent: 'SEARCH_START',
        accepted: true,
        notices: [{ kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' }],
      },
      notices: [{ kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' }],
      pending: {
        ops: [
          { op: 'setProgram', program: { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 0, contacts: '-+000000' } },
          { op: 'setOutput', on: true, mode: 'test' },
        ],
        next: 'search',
      },
      next: 'search',
    });
  });
  it('refuses the search on a bad active contact and stays off', () => {
    expect(afterImpedanceStep(ctx({ outcome }), ['open', 900, 1000, 1000, 1000, 1000, 1000, 1000])).toEqual({
      impedance: {
        readings: ['open', 900, 1000, 1000, 1000, 1000, 1000, 1000],
        flagged: [1],
        at: 5000,
        contacts: '-+000000',
      },
      outcome: {
        intent: 'SEARCH_START',
        accepted: false,
        notices: [
          { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
          {
            kind: 'reject',
            field: 'electrodes',
            requested: 'search start',
            applied: null,
            reason: 'impedance check failed: contact 1 open; choose other contacts',
          },
        ],
      },
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        {
          kind: 'reject',
          field: 'electrodes',
          requested: 'search start',
          applied: null,
          reason: 'impedance check failed: contact 1 open; choose other contacts',
        },
      ],
      pending: null,
      next: 'ready',
    });
  });
  it('continues without an outcome to complete', () => {
    expect(afterImpedanceStep(ctx(), ok)).toEqual({
      lastStepAt: 5000,
      thresholds: [{ pulseWidthUs: 300, contacts: '-+000000', posture: 'supine', sensoryUa: null, discomfortUa: null }],
      impedance: {
        readings: [800, 900, 1000, 1000, 1000, 1000, 1000, 1000],
        flagged: [],
        at: 5000,
        contacts: '-+000000',
      },
      outcome: null,
      notices: [{ kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' }],
      pending: {
        ops: [
          { op: 'setProgram', program: { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 0, contacts: '-+000000' } },
          { op: 'setOutput', on: true, mode: 'test' },
        ],
        next: 'search',
      },
      next: 'search',
    });
  });
  it('keeps a standalone check and warns about flagged contacts', () => {
    expect(
      impedanceCheckStep(ctx({ pending: { ops: [], next: 'impedanceCheck' } }), [
        800,
        'short',
        1000,
        'open',
        1000,
        1000,
        1000,
        1000,
      ]),
    ).toEqual({
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        {
          kind: 'warn',
          field: 'electrodes',
          requested: 'contact 2',
          applied: 'short',
          reason: 'contact 2 reads short and is in use: choose other contacts before stimulating',
        },
        { kind: 'warn', field: 'electrodes', requested: 'contact 4', applied: 'open', reason: 'contact 4 reads open' },
      ],
      outcome: null,
      impedance: {
        readings: [800, 'short', 1000, 'open', 1000, 1000, 1000, 1000],
        flagged: [2, 4],
        at: 5000,
        contacts: '-+000000',
      },
      pending: null,
    });
  });
  it('a standalone check without a generator calls no contact in use', () => {
    expect(impedanceCheckStep(ctx({ generator: null }), ['open'])).toEqual({
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        { kind: 'warn', field: 'electrodes', requested: 'contact 1', applied: 'open', reason: 'contact 1 reads open' },
      ],
      outcome: null,
      impedance: { readings: ['open'], flagged: [1], at: 5000 },
      pending: null,
    });
  });
});

describe('acknowledgeStep', () => {
  it('clears a mismatch, naming its fields', () => {
    expect(acknowledgeStep(ctx({ mismatch: { ...mismatch, fields: ['amplitudeUa', 'contacts'] } }))).toEqual({
      mismatch: null,
      outcome: {
        intent: 'ACKNOWLEDGE_MISMATCH',
        accepted: true,
        notices: [
          {
            kind: 'info',
            field: 'generator',
            requested: 'acknowledge',
            applied: null,
            reason: "difference acknowledged (amplitude, contacts); the generator's own state stays as read back",
          },
        ],
      },
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        {
          kind: 'info',
          field: 'generator',
          requested: 'acknowledge',
          applied: null,
          reason: "difference acknowledged (amplitude, contacts); the generator's own state stays as read back",
        },
      ],
    });
  });
  it('says there is nothing to acknowledge', () => {
    expect(acknowledgeStep(ctx())).toEqual({
      mismatch: null,
      outcome: {
        intent: 'ACKNOWLEDGE_MISMATCH',
        accepted: false,
        notices: [
          {
            kind: 'info',
            field: 'generator',
            requested: 'acknowledge',
            applied: null,
            reason: 'nothing to acknowledge: screen and generator agree',
          },
        ],
      },
      notices: [
        { kind: 'info', field: 'session', requested: null, applied: null, reason: 'earlier' },
        {
          kind: 'info',
          field: 'generator',
          requested: 'acknowledge',
          applied: null,
          reason: 'nothing to acknowledge: screen and generator agree',
        },
      ],
    });
  });
});

describe('batteryStep (H15): every adopted state is a battery reading', () => {
  // The monitor's own rules are tested in test/session/battery-monitor.test.ts; here only what the step passes and returns.
  const reading = (pct: number, source: string | null, output: 'on' | 'off' = 'off', faults: string[] = []) =>
    observeBattery(initialBatteryMonitor(), { atMs: 5000, pct, output, source, faults }, DEFAULT_BATTERY_CONFIG);
  it('does nothing before a generator state was read', () => {
    expect(batteryStep(ctx({ generator: null }))).toEqual({});
  });
  it('passes the clock, the generator state and its boot id; no notices when the monitor gives none', () => {
    const r = reading(80, '0000abcd');
    expect(r.notices).toEqual([]);
    expect(r.monitor.source).toBe('0000abcd');
    expect(batteryStep(ctx({}, { batteryPct: 80 }))).toEqual({ battery: r.monitor });
  });
  it('passes no source before an identity is known', () => {
    expect(batteryStep(ctx({ identity: null }, { batteryPct: 80 }))).toEqual({ battery: reading(80, null).monitor });
  });
  it("adds the monitor's warnings to the notices, not to the last intent's answer", () => {
    const r = reading(10, '0000abcd', 'on', ['low-battery']);
    expect(r.notices.length).toBeGreaterThan(0);
    expect(batteryStep(ctx({ outcome }, { batteryPct: 10, output: 'on', faults: ['low-battery'] }))).toEqual({
      battery: r.monitor,
      notices: [old, ...r.notices],
    });
  });
});
