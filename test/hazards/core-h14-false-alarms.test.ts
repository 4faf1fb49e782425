import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Notice } from '../../src/session/notice.js';
import type { Intent } from '../../src/session/session-types.js';
import { gen, harness, type Harness } from '../session/harness.js';

/**
 * H14 (false alarms; LivaNova VNS programmer recall 2020: "read at 0 mA → program → read" raised a
 * false fault). The companion's alarms here are: a program changed outside the companion (H17), a
 * generator reset, a refused request, a lost link. None may fire when only the companion itself
 * acted and the generator only echoed it (read-backs, telemetry, re-reads).
 */

const ALARM = (n: Notice) =>
  (n.field === 'program' && /outside the companion/.test(n.reason)) ||
  /reset|link lost|refused|not confirmed/.test(n.reason) ||
  (n.field === 'generator' && n.kind !== 'info');

/** The generator echoes its state (telemetry) and the person asks for a re-read. */
async function readBack(h: Harness): Promise<void> {
  h.link.emitTelemetry(gen(h));
  await h.flush();
  await h.c.settled();
  await h.do({ type: 'REFRESH' });
}

const alarms = (h: Harness) => h.c.view().notices.filter(ALARM);

describe("H14: no false alarm after the companion's own changes", () => {
  it('read at 0 mA → program → read → stimulate → read → off → read: no alarm', async () => {
    const h = await harness();
    await readBack(h); // read at 0 mA
    expect(gen(h).amplitudeUa).toBe(0);
    await h.do({ type: 'ELECTRODES', spec: ['1-', '2+'] }); // program
    await h.do({ type: 'PULSE_WIDTH', us: 300 });
    await h.do({ type: 'RATE', hz: 45 });
    await readBack(h); // read
    await h.do({ type: 'SEARCH_START' });
    for (let i = 0; i < 6; i++) await h.do({ type: 'AMPLITUDE_UP' });
    await readBack(h);
    await h.do({ type: 'MARK_SENSORY' });
    for (let i = 0; i < 4; i++) await h.do({ type: 'AMPLITUDE_UP' });
    await h.do({ type: 'MARK_DISCOMFORT' });
    await readBack(h);
    await h.do({ type: 'COMMIT' });
    await readBack(h);
    await h.do({ type: 'OUTPUT_OFF' });
    await readBack(h);
    await h.do({ type: 'IMPEDANCE_CHECK' });
    await readBack(h);
    expect(alarms(h)).toEqual([]);
    expect(h.c.view().state).toBe('ready');
  });

  it("property: any sequence of the person's intents, each followed by echoes and re-reads, raises no alarm", async () => {
    const intent: fc.Arbitrary<Intent> = fc.oneof(
      fc.constantFrom<Intent>(
        { type: 'SEARCH_START' },
        { type: 'AMPLITUDE_UP' },
        { type: 'AMPLITUDE_UP' },
        { type: 'AMPLITUDE_DOWN' },
        { type: 'MARK_SENSORY' },
        { type: 'MARK_DISCOMFORT' },
        { type: 'COMMIT' },
        { type: 'OUTPUT_ON' },
        { type: 'OUTPUT_OFF' },
        { type: 'IMPEDANCE_CHECK' },
        { type: 'ELECTRODES', spec: ['1-', '2+'] },
        { type: 'ELECTRODES', spec: ['3-', '4+'] },
        { type: 'POSTURE', posture: 'sitting' },
        { type: 'PATIENT_MODE', on: true },
        { type: 'PATIENT_MODE', on: false },
      ),
      fc.integer({ min: 30, max: 70 }).map((hz): Intent => ({ type: 'RATE', hz })),
      fc.integer({ min: 15, max: 55 }).map((k): Intent => ({ type: 'PULSE_WIDTH', us: k * 10 })),
      fc.integer({ min: 0, max: 40 }).map((k): Intent => ({ type: 'AMPLITUDE_SET', ma: k / 10 })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(intent, fc.boolean()), { minLength: 1, maxLength: 25 }), async (steps) => {
        const h = await harness();
        for (const [i, echo] of steps) {
          await h.do(i);
          if (echo) await readBack(h);
        }
        await readBack(h);
        // Refusals of the person's own requests are answers, not alarms: count only the session's alarms.
        const own = alarms(h).filter((n) => n.kind !== 'reject' || n.field === 'generator');
        expect(own).toEqual([]);
        // The screen shows what the generator holds.
        expect(h.c.view().generator).toEqual(gen(h));
      }),
      { numRuns: 60 },
    );
  });
});
