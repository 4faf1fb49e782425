import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decidePatientMode } from '../../src/session/decide-output.js';
import { decidePatientWindow } from '../../src/session/patient-window.js';
import { data, record, tuning } from '../hazards/decider-fixtures.js';
import { parseScript } from '../../src/session/script-parser.js';
import { runScript, type StepResult } from '../../src/session/script-runner.js';
import { gen, harness, measured } from './harness.js';

/**
 * Issue 13, item 6: patient limits are exact. The patient window is only ever rounded INWARD onto the
 * generator's grid (minimum up, maximum down) and inside the measured window; a range that leaves
 * nothing is refused. Patient mode turns on only with amplitude inside the patient window: above it
 * comes down at once, below it is refused (patient mode never raises amplitude).
 */

const STEP = 50; // the fixtures' generator: 0.05 mA steps; measured window 2–4 mA
const measuredData = () => tuning({ amplitudeUa: 3000 });

describe('patient window rounding is inward (property)', () => {
  it('for any requested range: the window set lies inside both the request and the measured window, on the grid; or the request is refused because nothing is left', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6000 }), fc.integer({ min: 0, max: 6000 }), (a, b) => {
        const [minUa, maxUa] = a <= b ? [a, b] : [b, a];
        const d = decidePatientWindow(measuredData(), minUa / 1000, maxUa / 1000);
        // What the rule allows: grid values in [max(min, 2000), min(max, 4000)].
        const lo = Math.ceil(Math.max(minUa, 2000) / STEP) * STEP;
        const hi = Math.floor(Math.min(maxUa, 4000) / STEP) * STEP;
        if (lo > hi) {
          expect(d.accepted).toBe(false);
          expect(d.notices).toEqual([
            expect.objectContaining({
              kind: 'reject',
              field: 'patientWindow',
              reason: expect.stringMatching(/nothing of .* is left/),
            }),
          ]);
          expect(d.patch).toEqual({});
          return;
        }
        expect(d.accepted).toBe(true);
        expect(d.patch.patientWindow).toEqual({ lowUa: lo, highUa: hi });
        // Notices never contradict the window set: each clamp names the value applied.
        for (const n of d.notices.filter((x) => x.kind === 'clamp')) {
          expect([lo / 1000, hi / 1000]).toContain(n.applied);
          if (/min/.test(n.reason)) expect(n.applied).toBe(lo / 1000);
          if (/max/.test(n.reason)) expect(n.applied).toBe(hi / 1000);
        }
        expect(d.notices.find((n) => n.kind === 'info')?.applied).toBe(`${lo / 1000}–${hi / 1000} mA`);
      }),
    );
  });

  it("the issue's case: 0.4444–0.4445 inside 0.3–0.45 is refused (it used to become 0.45–0.45 with 'max → 0.4')", () => {
    const d = decidePatientWindow(
      data(
        { phase: 'tuning', thresholds: [record({ sensoryUa: 300, discomfortUa: 450 })] },
        { output: 'on', amplitudeUa: 400 },
      ),
      0.4444,
      0.4445,
    );
    expect(d.accepted).toBe(false);
    expect(d.notices).toHaveLength(1);
    expect(d.notices[0]!.reason).toMatch(/minimum is only rounded up and the maximum only down/);
  });
});

describe('patient mode on brings amplitude inside the patient window first', () => {
  const pw = { patientWindow: { lowUa: 2500, highUa: 3500 } };
  it('above the window: amplitude comes down at once to its maximum, and patient mode is on', () => {
    const d = decidePatientMode(tuning({ amplitudeUa: 3900 }, pw), true);
    expect(d.accepted).toBe(true);
    expect(d.patch).toEqual({ patientMode: true });
    expect(d.ops).toEqual([
      { op: 'setProgram', program: { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 3500, contacts: '-+000000' } },
    ]);
    // Said once the generator confirmed the write (bb4-F6: an unconfirmed line never says it was done).
    expect(d.notices.filter((n) => n.kind === 'clamp')).toEqual([]);
    expect(d.confirmed?.[0]).toMatchObject({ kind: 'clamp', field: 'amplitude', requested: 3.9, applied: 3.5 });
  });
  it('below the window: refused with the reason; nothing is sent, patient mode stays off', () => {
    const d = decidePatientMode(tuning({ amplitudeUa: 2000 }, pw), true);
    expect(d.accepted).toBe(false);
    expect(d.ops).toEqual([]);
    expect(d.patch).toEqual({});
    expect(d.notices[0]!.reason).toMatch(/below the patient window 2\.5–3\.5 mA; patient mode never raises amplitude/);
  });
  it('inside: on, nothing sent', () => {
    expect(decidePatientMode(tuning({ amplitudeUa: 3000 }, pw), true)).toMatchObject({
      accepted: true,
      ops: [],
      patch: { patientMode: true },
    });
  });
  it('property: after patient mode on is accepted, output is inside the patient window or off; it never rises', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 40, max: 80 }),
        fc.integer({ min: 0, max: 40 }),
        (amp, lo, span) => {
          const window = { lowUa: lo * STEP, highUa: Math.min(80, lo + span) * STEP };
          const d = decidePatientMode(tuning({ amplitudeUa: amp * STEP }, { patientWindow: window }), true);
          const low = Math.max(window.lowUa, 2000);
          const high = Math.min(window.highUa, 4000);
          const after = d.ops.length
            ? (d.ops[0] as { program: { amplitudeUa: number } }).program.amplitudeUa
            : amp * STEP;
          if (!d.accepted) {
            expect(amp * STEP < low || low > high).toBe(true);
            return;
          }
          expect(after).toBeLessThanOrEqual(amp * STEP);
          expect(after).toBeGreaterThanOrEqual(low);
          expect(after).toBeLessThanOrEqual(high);
        },
      ),
    );
  });

  it("through scs script: the issue's case (window 0.3–0.35, running at 0.45) ends at 0.35 mA with patient mode on", async () => {
    const h = await harness();
    await measured(h, 6, 3); // sensory 0.3, discomfort 0.45
    await h.do({ type: 'AMPLITUDE_SET', ma: 0.45 });
    expect(gen(h).amplitudeUa).toBe(450);
    const parsed = parseScript('patient-window 0.3 0.35\npatient-mode on\n');
    if (!parsed.ok) throw new Error('bad');
    const lines: StepResult[] = [];
    await runScript(parsed.steps, h.c, { onStep: (r) => lines.push(r) });
    expect(lines[1]).toMatchObject({ command: 'patient-mode on', accepted: true, generator: { amplitudeMa: 0.35 } });
    expect(gen(h).amplitudeUa).toBe(350);
    expect(h.c.view().patientMode).toBe(true);
    expect(lines[1]!.notices.some((n) => n.kind === 'clamp' && n.applied === 0.35)).toBe(true);
  });

  // Issue 13: the UI asks for the clinician's PIN to leave patient mode; "in scripts `patient-mode off`
  // stays a plain command" (README, `scs script --help`): no PIN, and the clinician's changes work again.
  it('through scs script: patient-mode off is a plain command, no PIN; a rate change is then allowed again', async () => {
    const h = await harness();
    await measured(h, 6, 3);
    const parsed = parseScript('patient-mode on\nrate 55\npatient-mode off\nrate 55\n');
    if (!parsed.ok) throw new Error('bad');
    const lines: StepResult[] = [];
    await runScript(parsed.steps, h.c, { onStep: (r) => lines.push(r) });
    expect(lines.map((l) => [l.command, l.accepted])).toEqual([
      ['patient-mode on', true],
      ['rate 55', false],
      ['patient-mode off', true],
      ['rate 55', true],
    ]);
    expect(h.c.view().patientMode).toBe(false);
    expect(gen(h).rateHz).toBe(55);
  });
});
