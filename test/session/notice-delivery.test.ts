import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Notice } from '../../src/session/notice.js';
import { newNotices } from '../../src/session/notice-outbox.js';
import { parseScript } from '../../src/session/script-parser.js';
import {
  flushEvents,
  runScript,
  type EventResult,
  type ReportNotice,
  type StepResult,
} from '../../src/session/script-runner.js';
import { harness, type Harness } from './harness.js';

/**
 * Issue 13, item 1: every notice the session raises reaches exactly one report line — the command line
 * that was running, or an event line of its own — whenever it was raised: during a command, between
 * two commands (the patient's remote, a generator reset, a dropped link) or during a `wait`.
 */

const COMMANDS = [
  'electrodes 1- 2+',
  'pw 300',
  'search start',
  'amp up',
  'amp up',
  'amp down',
  'mark sensory',
  'mark discomfort',
  'amp set 0.3',
  'amp set 9',
  'commit',
  'output on',
  'output off',
  'stop',
  'patient-window 0.2 0.3',
  'patient-mode on',
  'patient-mode off',
  'rate 75',
  'wait 20',
  'impedance',
] as const;

type Fault =
  | { kind: 'external'; amplitudeUa: number }
  | { kind: 'reset' }
  | { kind: 'drop-restore' }
  | { kind: 'telemetry' }
  | { kind: 'none' };

const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'none' } as const) },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 0, max: 60 }).map((n) => ({ kind: 'external', amplitudeUa: n * 50 }) as const),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'reset' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'drop-restore' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'telemetry' } as const) },
);

function inject(h: Harness, f: Fault): void {
  const g = h.link.model.state;
  if (f.kind === 'external') {
    try {
      h.link.external({
        rateHz: g.rateHz,
        pulseWidthUs: g.pulseWidthUs,
        amplitudeUa: f.amplitudeUa,
        contacts: g.contacts,
      });
    } catch {
      // The generator's own rules refused the remote's change: nothing happened, nothing to report.
    }
  } else if (f.kind === 'reset') h.link.reset();
  else if (f.kind === 'drop-restore') {
    h.link.drop();
    h.link.restore();
  } else if (f.kind === 'telemetry') h.link.emitTelemetry(g);
}

const plain = ({ kind, field, requested, applied, reason }: Notice): ReportNotice => ({
  kind,
  field,
  requested,
  applied,
  reason,
});

describe('notice delivery (issue 13)', () => {
  it('newNotices: what was appended, also when the history dropped its oldest entries', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 40 }),
        (before, added, cap) => {
          const make = (i: number) =>
            ({ kind: 'info', field: 'session', requested: i, applied: null, reason: `n${i}` }) as Notice;
          const all = Array.from({ length: before + added }, (_, i) => make(i));
          const previous = all.slice(0, before).slice(-cap);
          const next = [...previous, ...all.slice(before)].slice(-cap);
          // The oracle: every appended notice that the capped history still holds.
          expect(newNotices(previous, next)).toEqual(all.slice(before).slice(-cap));
        },
      ),
    );
  });

  it('over random scripts with outside changes, resets and link drops between and during commands, every notice is on exactly one line', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ command: fc.constantFrom(...COMMANDS), between: faultArb, during: faultArb }), {
          minLength: 3,
          maxLength: 14,
        }),
        async (plan) => {
          const h = await harness();
          // The oracle: every distinct notice object any snapshot ever held, in the order first seen.
          const raised = new Set<Notice>();
          const unsub = h.c.subscribe((v) => v.notices.forEach((n) => raised.add(n)));
          const lines: Array<StepResult | EventResult> = [];
          // Whatever connecting raised is on a line of its own too.
          flushEvents(h.c, (e) => lines.push(e));
          const parsed = parseScript(plan.map((p) => p.command).join('\n'));
          if (!parsed.ok) throw new Error('bad script');
          let i = 0;
          await runScript(parsed.steps, h.c, {
            // A `wait`: the fault happens while the line runs.
            sleep: async () => {
              inject(h, plan[i]!.during);
              await h.flush();
            },
            onStep: (r) => {
              lines.push(r);
              // Between two commands: nothing is running when the fault happens.
              inject(h, plan[i++]!.between);
            },
            onEvent: (e) => lines.push(e),
          });
          await h.c.settled();
          await h.flush();
          await h.c.settled();
          flushEvents(h.c, (e) => lines.push(e));
          unsub();
          h.c.view().notices.forEach((n) => raised.add(n));
          const reported = lines.flatMap((l) => l.notices);
          expect(reported).toEqual([...raised].map(plain));
          h.c.dispose();
        },
      ),
      { numRuns: 40 },
    );
  });

  it("the issue's case: a remote change during a wait is on the wait line, not lost", async () => {
    const h = await harness();
    const parsed = parseScript(
      'electrodes 1- 2+\npw 300\nsearch start\namp up\namp up\nmark sensory\namp up\namp up\nmark discomfort\nwait 1000\namp down',
    );
    if (!parsed.ok) throw new Error('bad script');
    const lines: Array<StepResult | EventResult> = [];
    await runScript(parsed.steps, h.c, {
      sleep: async () => {
        const g = h.link.model.state;
        h.link.external({ rateHz: g.rateHz, pulseWidthUs: g.pulseWidthUs, amplitudeUa: 2500, contacts: g.contacts });
        await h.flush();
      },
      onStep: (r) => lines.push(r),
      onEvent: (e) => lines.push(e),
    });
    const wait = lines.find((l) => 'command' in l && l.command === 'wait 1000')!;
    expect(wait.generator).toMatchObject({ amplitudeMa: 2.5 });
    expect(wait.notices.some((n) => n.field === 'program' && /changed outside the companion/.test(n.reason))).toBe(
      true,
    );
    expect(wait.notices.some((n) => n.field === 'amplitude' && /outside the measured window/.test(n.reason))).toBe(
      true,
    );
  });

  it('a reset between two commands gets an event line of its own before the next command', async () => {
    const h = await harness();
    const parsed = parseScript('electrodes 1- 2+\npw 300\nsearch start\namp up');
    if (!parsed.ok) throw new Error('bad script');
    const lines: Array<StepResult | EventResult> = [];
    await runScript(parsed.steps, h.c, {
      onStep: (r) => {
        lines.push(r);
        if (r.command === 'search start') h.link.reset();
      },
      onEvent: (e) => lines.push(e),
    });
    const at = lines.findIndex((l) => 'event' in l);
    expect(at).toBeGreaterThan(0);
    expect(lines[at - 1]).toMatchObject({ command: 'search start' });
    expect(lines[at]).toMatchObject({ event: 'generator-reset', generator: { output: expect.any(String) } });
    expect(lines[at]!.notices.some((n) => /reset/.test(n.reason))).toBe(true);
    expect(lines[at + 1]).toMatchObject({ command: 'amp up' });
  });
});
