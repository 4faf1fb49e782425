import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GeneratorEvent } from '../../protocol/index.js';
import { eventNews } from '../../src/session/event-news.js';
import type { Notice } from '../../src/session/notice.js';
import { gen, harness, measured, type Harness } from './harness.js';

/**
 * Issue 13 / black-box finding (b): with outbound lines duplicated (`scs sim --faults-on outbound
 * --duplicate 0.6`) one report line carried the same "program changed outside" warning several times.
 * README: "Every notice is on exactly one line, never dropped and never repeated." PROTOCOL.md §4.9
 * events carry no number, so a copy is told from a second real event by the generator's state: each
 * distinct event gives exactly one notice, however many copies of its line arrive and whenever.
 */

const REMOTE: GeneratorEvent = { type: 'EVT', kind: 'program-changed', reason: 'external' };
const WATCHDOG: GeneratorEvent = { type: 'EVT', kind: 'stopped', reason: 'link-loss' };

const outsideChange = (n: Notice) => n.field === 'program' && /changed outside the companion/.test(n.reason);
const stoppedByItself = (n: Notice) => n.field === 'generator' && /stopped its output by itself/.test(n.reason);

type Step =
  | { kind: 'remote'; amplitudeSteps: number; copies: number; late: boolean }
  | { kind: 'watchdog'; copies: number; late: boolean }
  | { kind: 'output-on' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('remote' as const),
      amplitudeSteps: fc.integer({ min: 0, max: 12 }),
      copies: fc.integer({ min: 0, max: 3 }),
      late: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('watchdog' as const),
      copies: fc.integer({ min: 0, max: 3 }),
      late: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'output-on' } as const) },
);

async function settle(h: Harness): Promise<void> {
  await h.flush();
  await h.c.settled();
  await h.flush();
  await h.c.settled();
}

describe('a generator event gives one notice, however often its line arrives (issue 13)', () => {
  it('property: remote changes and watchdog stops, each line copied at once or late: one notice per distinct event', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 10 }), async (plan) => {
        const h = await harness();
        await measured(h, 4, 8);
        h.c.takeNotices();
        let remotes = 0;
        let stops = 0;
        for (const step of plan) {
          if (step.kind === 'output-on') {
            await h.do({ type: 'OUTPUT_ON' });
            await settle(h);
            continue;
          }
          let event: GeneratorEvent | null = null;
          if (step.kind === 'remote') {
            const g = gen(h);
            const amplitudeUa = step.amplitudeSteps * 50;
            if (amplitudeUa === g.amplitudeUa) continue;
            try {
              h.link.model.externalChange(
                { rateHz: g.rateHz, pulseWidthUs: g.pulseWidthUs, amplitudeUa, contacts: g.contacts },
                h.link.now,
              );
            } catch {
              continue; // the generator's own rules refused the remote: nothing happened
            }
            remotes++;
            event = REMOTE;
            h.link.deliverEvent(REMOTE);
          } else {
            const wasOn = gen(h).output === 'on' && !gen(h).committed;
            // Time passes with no line from the companion: the generator's watchdog stops test output
            // (its pending events, copies of earlier ones among them, arrive now too).
            h.link.advance(5_000);
            if (wasOn && gen(h).output === 'off') {
              stops++;
              event = WATCHDOG;
            }
          }
          if (event && !step.late) for (let i = 0; i < step.copies; i++) h.link.deliverEvent(event);
          await settle(h);
          if (event && step.late) {
            for (let i = 0; i < step.copies; i++) h.link.deliverEvent(event);
            await settle(h);
          }
        }
        const told = h.c.takeNotices();
        expect(told.filter(outsideChange), 'one H17 warning per remote change').toHaveLength(remotes);
        expect(told.filter(stoppedByItself), 'one notice per stop the generator made').toHaveLength(stops);
        // The remote's event line has no notice of its own next to the warning (that would be two for one).
        expect(told.filter((n) => n.field === 'generator')).toHaveLength(stops);
        h.c.dispose();
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('eventNews: a copy after the re-read, a battery warning again, a boot already known are not news', () => {
    const identity = { serial: 'SN-1', proto: 2, bootId: 'b0000001', model: 'sim', firmware: '1' } as never;
    const on = { output: 'on', programRev: 7 } as never;
    const stopped = eventNews({ identity, reset: null, generator: on }, WATCHDOG);
    if (!('tell' in stopped)) throw new Error('a first stop is news');
    expect(stopped.tell.reason).toMatch(/stopped its output by itself/);
    const off = { output: 'off', programRev: 8 } as never;
    expect(eventNews({ identity, reset: null, generator: off, toldEvents: stopped.told }, WATCHDOG)).toEqual({
      repeat: true,
    });
    // Output turned on again and stopped again: the revision moved twice more, a new stop.
    const again = { output: 'off', programRev: 10 } as never;
    expect('tell' in eventNews({ identity, reset: null, generator: again, toldEvents: stopped.told }, WATCHDOG)).toBe(
      true,
    );
    const low: GeneratorEvent = { type: 'EVT', kind: 'battery', reason: 'low' };
    const first = eventNews({ identity, reset: null, generator: on }, low);
    if (!('tell' in first)) throw new Error('a first battery warning is news');
    expect(eventNews({ identity, reset: null, generator: again, toldEvents: first.told }, low)).toEqual({
      repeat: true,
    });
    const boot: GeneratorEvent = { type: 'EVT', kind: 'boot', bootId: 'b0000002' };
    expect('tell' in eventNews({ identity, reset: null, generator: on }, boot)).toBe(true);
    const reset = { boot: 'b0000002', lost: null, reported: false };
    expect(eventNews({ identity, reset, generator: on }, boot)).toEqual({ repeat: true });
    expect(eventNews({ identity, reset: null, generator: on }, REMOTE)).toEqual({ read: true });
  });
});
