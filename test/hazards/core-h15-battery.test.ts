import { generatorEventSentence } from '../../src/session/generator-event-words.js';
import { describe, expect, it } from 'vitest';
import { gen, harness, measured } from '../session/harness.js';

/**
 * H15 (battery runs out unnoticed), the part the companion covers: the generator's battery events
 * reach the session as warnings, the state is re-read, and an empty battery ends with output off
 * shown as off. The early warnings and the estimate that never rises are tested in
 * h15-battery-curves.test.tsx; tagging diary entries made while output was off is not built yet
 * (docs/HAZARDS.md).
 */

describe('H15: battery events are shown, never swallowed', () => {
  it('battery low and battery empty reach the session as warnings, with output off confirmed', async () => {
    const h = await harness({ config: { batteryPct: 21, batteryDrainPctPerS: 1 } });
    await measured(h, 4, 4);
    await h.do({ type: 'COMMIT' }); // committed therapy: the watchdog does not stop it, the battery does
    h.link.advance(2_000);
    await h.flush();
    await h.c.settled();
    const warned = (kind: 'battery' | 'stopped', reason: string) =>
      h.c
        .view()
        .notices.some(
          (n) => n.kind === 'warn' && n.field === 'generator' && n.reason === generatorEventSentence({ kind, reason }),
        );
    expect(warned('battery', 'low')).toBe(true);
    expect(h.c.view().generator!.faults).toContain('battery-low');
    expect(h.c.view().state).toBe('therapy');
    h.link.advance(30_000);
    await h.flush();
    await h.c.settled();
    expect(warned('battery', 'empty'), JSON.stringify(h.c.view().notices.slice(-4))).toBe(true);
    expect(warned('stopped', 'battery-empty')).toBe(true);
    expect(gen(h).output).toBe('off');
    expect(h.c.view().generator!.output).toBe('off');
    expect(h.c.view().state).toBe('ready');
  });
});
