import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countPolarities } from '../../protocol/index.js';
import { amplitudeCeiling } from '../../src/session/amplitude-window.js';
import type { SessionEvent } from '../../src/session/session-context.js';
import { harness, type Harness } from './harness.js';

/**
 * For any sequence of user events, link faults, generator resets and outside changes: every program
 * the session sends is inside the clinical window, the hardware limits and the charge-density limit;
 * amplitude rises by at most one step per program sent (H4: search steps, ramps), up to a measured
 * window outside search; output is
 * turned on only by an action that asks for it.
 */

type Op =
  | { kind: 'user'; event: SessionEvent; dwell: number }
  | { kind: 'drop' }
  | { kind: 'restore' }
  | { kind: 'reset' }
  | { kind: 'external'; amplitudeUa: number }
  | { kind: 'silence'; ms: number };

const userEvent: fc.Arbitrary<SessionEvent> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ type: 'AMPLITUDE_UP' } as const) },
  { weight: 2, arbitrary: fc.constant({ type: 'AMPLITUDE_DOWN' } as const) },
  {
    weight: 2,
    arbitrary: fc
      .double({ min: 0, max: 30, noNaN: true })
      .map((ma) => ({ type: 'AMPLITUDE_SET', ma: Math.round(ma * 100) / 100 }) as const),
  },
  { weight: 2, arbitrary: fc.constant({ type: 'SEARCH_START' } as const) },
  { weight: 2, arbitrary: fc.constant({ type: 'MARK_SENSORY' } as const) },
  { weight: 2, arbitrary: fc.constant({ type: 'MARK_DISCOMFORT' } as const) },
  { weight: 1, arbitrary: fc.constant({ type: 'COMMIT' } as const) },
  { weight: 1, arbitrary: fc.constantFrom({ type: 'OUTPUT_ON' } as const, { type: 'OUTPUT_OFF' } as const) },
  { weight: 1, arbitrary: fc.constant({ type: 'STOP' } as const) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 700 }).map((us) => ({ type: 'PULSE_WIDTH', us }) as const) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 150 }).map((hz) => ({ type: 'RATE', hz }) as const) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { type: 'RATE_UP' } as const,
      { type: 'RATE_DOWN' } as const,
      { type: 'PULSE_WIDTH_UP' } as const,
      { type: 'PULSE_WIDTH_DOWN' } as const,
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(['1-', '2+'], ['1-', '2-', '3+'], ['4-'], ['1-', '2+', '3-', '4+'], ['9+', '1-'])
      .map((spec) => ({ type: 'ELECTRODES', spec }) as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('supine', 'sitting', 'standing')
      .map((posture) => ({ type: 'POSTURE', posture }) as const),
  },
  { weight: 1, arbitrary: fc.boolean().map((on) => ({ type: 'PATIENT_MODE', on }) as const) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 80 }), fc.integer({ min: 0, max: 80 }))
      .map(([a, b]) => ({ type: 'PATIENT_WINDOW', minMa: a / 20, maxMa: b / 20 }) as const),
  },
  { weight: 1, arbitrary: fc.constantFrom({ type: 'REBIND' } as const, { type: 'IMPEDANCE_CHECK' } as const) },
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.record({
      kind: fc.constant('user' as const),
      event: userEvent,
      dwell: fc.constantFrom(0, 400, 1000, 1500),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'drop' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restore' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reset' } as const) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0, max: 60 }).map((k) => ({ kind: 'external', amplitudeUa: k * 50 }) as const),
  },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 3000 }).map((ms) => ({ kind: 'silence', ms }) as const) },
);

const user = (event: SessionEvent, dwell = 1000): Op => ({ kind: 'user', event, dwell });
/** Most runs first measure a window (as a clinician would), so the later steps exercise it. */
const measuredPrefix: fc.Arbitrary<Op[]> = fc
  .tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), fc.constantFrom(200, 300, 500), fc.boolean())
  .map(([a, b, pw, commit]) => [
    user({ type: 'ELECTRODES', spec: ['1-', '2+'] }),
    user({ type: 'PULSE_WIDTH', us: pw }),
    user({ type: 'SEARCH_START' }),
    ...Array.from({ length: a }, () => user({ type: 'AMPLITUDE_UP' })),
    user({ type: 'MARK_SENSORY' }),
    ...Array.from({ length: b }, () => user({ type: 'AMPLITUDE_UP' })),
    user({ type: 'MARK_DISCOMFORT' }),
    ...(commit ? [user({ type: 'COMMIT' })] : []),
  ]);

const STARTS_OUTPUT = new Set(['OUTPUT_ON', 'SEARCH_START', 'COMMIT']);

async function apply(h: Harness, op: Op): Promise<void> {
  switch (op.kind) {
    case 'user':
      h.clock.now += op.dwell;
      h.c.send(op.event);
      break;
    case 'drop':
      h.link.drop();
      break;
    case 'restore':
      h.link.restore();
      break;
    case 'reset':
      h.link.reset();
      break;
    case 'external': {
      const s = h.link.model.state;
      try {
        h.link.external({
          rateHz: s.rateHz,
          pulseWidthUs: s.pulseWidthUs,
          contacts: s.contacts,
          amplitudeUa: op.amplitudeUa,
        });
      } catch {
        // The generator's own rules refused the outside change: nothing happened.
      }
      break;
    }
    case 'silence':
      h.link.advance(op.ms);
      break;
  }
  await h.flush();
}

describe('session properties', () => {
  it('every program sent is inside the clinical window, hardware and charge-density limits; amplitude rises safely; output starts only on request', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(measuredPrefix, { freq: 3 }),
        fc.array(opArb, { minLength: 5, maxLength: 60 }),
        async (prefix, rest) => {
          const ops = [...(prefix ?? []), ...rest];
          const h = await harness({ input: { dwellMs: 1000 } });
          const limits = h.c.view().limits!;
          for (const op of ops) {
            const before = h.c.view();
            const sentBefore = h.link.sent.length;
            await apply(h, op);
            const sent = h.link.sent.slice(sentBefore);
            for (const s of sent) {
              if (s.type === 'SET') {
                const p = s.program;
                expect(p.rateHz).toBeGreaterThanOrEqual(40);
                expect(p.rateHz).toBeLessThanOrEqual(60);
                expect(p.pulseWidthUs).toBeGreaterThanOrEqual(200);
                expect(p.pulseWidthUs).toBeLessThanOrEqual(500);
                expect(p.amplitudeUa).toBeLessThanOrEqual(
                  amplitudeCeiling(p.pulseWidthUs, p.contacts, limits).ceilingUa,
                );
                if (p.amplitudeUa > 0) {
                  const { anodes, cathodes } = countPolarities(p.contacts);
                  expect(anodes > 0 && cathodes > 0).toBe(true);
                }
                if (p.amplitudeUa > s.before.amplitudeUa) {
                  // H4: no jumps. Every rise is at most one step (a search step, ↑, or one step of a ramp).
                  expect(p.amplitudeUa - s.before.amplitudeUa).toBeLessThanOrEqual(
                    Math.min(100, limits.amplitudeUa.step),
                  );
                  // Caused by the person: this action, or the ramp an earlier action started.
                  expect(op.kind === 'user' || (before.ramp ?? null) !== null).toBe(true);
                  if (before.state !== 'search' && (before.ramp ?? null) === null) {
                    // Outside search, only up to a window measured before this action.
                    expect(before.window).not.toBeNull();
                    expect(p.amplitudeUa).toBeLessThanOrEqual(before.window!.highUa);
                  }
                  if ((before.ramp ?? null) !== null) expect(p.amplitudeUa).toBeLessThanOrEqual(before.ramp!.toUa);
                }
              }
              if (s.type === 'OUTPUT' && s.on && s.before.output === 'off') {
                expect(op.kind === 'user' && STARTS_OUTPUT.has(op.event.type)).toBe(true);
              }
            }
            if (op.kind === 'user' && op.event.type === 'STOP' && h.link.connected) {
              await h.c.settled();
              expect(h.link.model.state.output).toBe('off');
            }
          }
          h.c.dispose();
        },
      ),
      { numRuns: 150 },
    );
  });
});
