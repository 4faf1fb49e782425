import { describe, expect, it } from 'vitest';
import type { Notice } from '../../src/session/notice.js';
import type { SessionView } from '../../src/session/session-controller.js';
import { heldStopDeliveredNotice, heldStopNotice } from '../../src/session/link-notices.js';
import { describeNotice, lastImportantNotice, toScreenView } from '../../src/ui/session-view.js';

function controllerView(patch: Partial<SessionView> = {}): SessionView {
  return {
    state: 'ready',
    settled: true,
    phase: 'ready',
    link: { status: 'connected', description: '/dev/ttyUSB0' },
    identity: null,
    binding: null,
    limits: null,
    generator: {
      output: 'off',
      mode: 'none',
      rateHz: 50,
      pulseWidthUs: 300,
      amplitudeUa: 0,
      contacts: '-+000000',
      batteryPct: 90,
      faults: [],
      committed: false,
      programRev: 1,
    },
    posture: 'sitting',
    patientMode: false,
    thresholds: null,
    window: null,
    estimate: null,
    allThresholds: [],
    searchStepUa: 50,
    dwellMs: 1000,
    dwellRemainingMs: 0,
    notices: [],
    outcome: null,
    stopPending: false,
    impedance: null,
    mismatch: null,
    patientWindow: null,
    ...patch,
  };
}

const facts = { source: 'serial' as const, nowMs: 1_000_000 };

describe('controller view → screen view', () => {
  it('keeps µA for thresholds and window, and turns the dwell into a moment', () => {
    const v = toScreenView(
      controllerView({
        phase: 'search',
        state: 'search',
        thresholds: { sensoryUa: 1250, discomfortUa: 3100 },
        window: { lowUa: 1250, highUa: 3100, highReason: 'x' },
        dwellRemainingMs: 400,
      }),
      facts,
    );
    expect(v.thresholds).toMatchObject({ sensoryUa: 1250, discomfortUa: 3100, estimated: false, posture: 'sitting' });
    expect(v.window).toEqual({ lowUa: 1250, highUa: 3100 });
    expect(v.search).toEqual({ active: true, stepUa: 50, dwellMs: 1000, nextStepAtMs: 1_000_400 });
    expect(v.link).toEqual({ status: 'connected', source: 'serial', description: '/dev/ttyUSB0' });
  });

  it('shows a Weiss-law estimate only as an estimate', () => {
    const v = toScreenView(
      controllerView({ estimate: { estimated: true, pulseWidthUs: 400, sensoryUa: 1180.4, startUa: 1150 } }),
      facts,
    );
    expect(v.thresholds).toMatchObject({ sensoryUa: 1180.4, estimated: true, discomfortUa: null, pulseWidthUs: 400 });
  });

  it('a blocked session and an unconfirmed STOP reach the screen', () => {
    const v = toScreenView(
      controllerView({
        phase: 'blocked',
        state: 'blocked',
        stopPending: true,
        notices: [
          {
            kind: 'reject',
            field: 'generator',
            requested: 'SIM-1 v1',
            applied: 'SIM-2 v1',
            reason: 'a different generator',
          },
        ],
      }),
      facts,
    );
    expect(v.mismatch).toMatch(/programming blocked: a different generator; B on screen 1 re-binds/);
    expect(v.stopPending).toBe(true);
  });
});

describe('impedance', () => {
  it("the session's last check reaches the screen with its readings, flags and time", () => {
    const at = Date.UTC(2025, 2, 1, 9, 11, 12);
    const v = toScreenView(
      controllerView({ impedance: { readings: [800, 'open', 900, 'short'], flagged: [2, 4], at } }),
      facts,
    );
    expect(v.impedance).toMatchObject({ ohms: [800, 'open', 900, 'short'], flagged: [2, 4] });
    expect(new Date(v.impedance!.at).getTime()).toBe(at);
    expect(toScreenView(controllerView(), facts).impedance).toBeNull();
  });
});

describe('notices', () => {
  it('says what was asked, what was applied and which limit, with units', () => {
    expect(
      describeNotice({
        kind: 'clamp',
        field: 'amplitude',
        requested: 5,
        applied: 3.2,
        reason: 'discomfort threshold 3.2 mA',
      }),
    ).toBe('Amplitude: 5 mA asked, 3.2 mA applied — discomfort threshold 3.2 mA.');
    expect(describeNotice({ kind: 'reject', field: 'rate', requested: 70, applied: null, reason: 'x' })).toBe(
      'Rate: 70 Hz refused — x.',
    );
    expect(describeNotice({ kind: 'warn', field: 'link', requested: null, applied: null, reason: 'cannot open' })).toBe(
      'Link: cannot open.',
    );
  });

  it('the status keeps the last clamp, rejection or warning, not information', () => {
    const n = lastImportantNotice([
      { kind: 'clamp', field: 'rate', requested: 70, applied: 60, reason: 'clinical max 60 Hz' },
      { kind: 'info', field: 'threshold', requested: 1, applied: 1, reason: 'sensory marked' },
    ]);
    expect(n).toEqual({ kind: 'clamp', text: 'Rate: 70 Hz asked, 60 Hz applied — clinical max 60 Hz.' });
    expect(lastImportantNotice([])).toBeNull();
  });

  it('a held STOP confirmed replaces its "STOP held" warning on the status line (bb4-F9)', () => {
    const held = heldStopNotice();
    const confirmed = heldStopDeliveredNotice();
    expect(lastImportantNotice([held])).toMatchObject({ kind: 'warn' });
    const shown = lastImportantNotice([held, confirmed]);
    expect(shown).toEqual({ kind: 'info', text: describeNotice(confirmed) });
    expect(shown!.text).toMatch(/confirmed by the generator/);
    // Other information still passes by.
    expect(
      lastImportantNotice([
        held,
        { kind: 'info', field: 'threshold', requested: 1, applied: 1, reason: 'sensory marked' },
      ]),
    ).toMatchObject({ kind: 'warn' });
  });

  it('a STOP confirmation replaces only the STOP warning it answers: a newer warning stays the last notice (bb5-N7)', () => {
    const held = heldStopNotice();
    const confirmed = heldStopDeliveredNotice();
    const changed: Notice = {
      kind: 'warn',
      field: 'program',
      requested: null,
      applied: null,
      reason: 'the program was changed outside the companion: now amplitude 2.5 mA',
    };
    const linkBack: Notice = { kind: 'info', field: 'link', requested: null, applied: null, reason: 'link back' };
    // Found on the same reconnection, after "STOP held" and before the confirmation: it stays.
    expect(lastImportantNotice([held, changed, linkBack, confirmed])).toEqual({
      kind: 'warn',
      text: describeNotice(changed),
    });
    // Older than the STOP warning the confirmation answers: the confirmation is shown.
    expect(lastImportantNotice([changed, held, linkBack, confirmed])).toEqual({
      kind: 'info',
      text: describeNotice(confirmed),
    });
    // A confirmation that answers no STOP warning does not hide the warning just before it either.
    const tookEffect: Notice = {
      kind: 'info',
      field: 'output',
      requested: 'stop',
      applied: 'off',
      reason: 'STOP reply was refused or lost, but the generator reads output off: the STOP took effect',
    };
    expect(lastImportantNotice([changed, tookEffect])).toMatchObject({ kind: 'warn' });
    // ... while a clamp before it is no warning the confirmation must leave up.
    const clamp: Notice = { kind: 'clamp', field: 'rate', requested: 70, applied: 60, reason: 'clinical max 60 Hz' };
    expect(lastImportantNotice([clamp, tookEffect])).toMatchObject({ kind: 'info' });
    // The warning keeps its own time (its age on the line).
    const at = new Map<Notice, number>([
      [changed, Date.UTC(2026, 11, 2, 3, 0, 0)],
      [confirmed, Date.UTC(2026, 11, 2, 3, 0, 5)],
    ]);
    expect(lastImportantNotice([held, changed, confirmed], (n) => at.get(n))?.at).toBe('2026-12-02T03:00:00.000Z');
  });
});
