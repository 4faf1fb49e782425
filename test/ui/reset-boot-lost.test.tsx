import React from 'react';
import { describe, expect, it } from 'vitest';
import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import type { GeneratorEvent } from '../../protocol/index.js';
import type { Intent } from '../../src/session/session-types.js';
import { App } from '../../src/ui/app.js';
import { until } from '../helpers/until.js';
import { liveSim } from './live-sim.js';
import { renderPlain } from './render.js';

/**
 * Issue 13 on the bedside screen: "A generator reset during therapy is shown as a reset (`!!`, with
 * what was lost), not as 'program changed outside the companion'" — here with the reset's
 * `EVT kind=boot` lost and no telemetry, so only the generator's state (read by the idle heartbeat)
 * can tell (bb4-F4, `bb4_ui2.py therapy`). The `!!` line names output on → off and mode as well as the
 * amplitude, and says the generator was reset.
 */

/** The simulator whose reset leaves its boot event unsent (lost on the wire). */
class BootEventLost extends GeneratorModel {
  override reset(nowMs: number): GeneratorEvent {
    const event = super.reset(nowMs);
    this.pending = this.pending.filter((e) => e.kind !== 'boot');
    return event;
  }
}

const THERAPY: Intent[] = [
  { type: 'ELECTRODES', spec: '-+000000' },
  { type: 'SEARCH_START' },
  { type: 'AMPLITUDE_UP' },
  { type: 'AMPLITUDE_UP' },
  { type: 'MARK_SENSORY' },
  { type: 'AMPLITUDE_UP' },
  { type: 'MARK_DISCOMFORT' },
  { type: 'COMMIT' },
];

describe('bedside screen: a reset during committed therapy, its EVT boot lost (bb4-F4)', () => {
  it('shows a !! line of a reset naming output on → off, and the reset notice, never "changed outside"', async () => {
    const model = new BootEventLost();
    const { session, generator } = await liveSim(model, THERAPY, { telemetryHz: 0 });
    expect(model.state).toMatchObject({ output: 'on', mode: 'therapy', committed: true, amplitudeUa: 100 });

    const app = renderPlain(<App session={session} listPorts={async () => ({ paths: [] })} onQuit={() => {}} />);
    // A long line wraps onto an indented one: read the screen with those joined.
    const frame = () => (app.lastFrame() ?? '').replace(/\n +/g, ' ');
    generator.server.reset();
    await until(() => frame().includes('!! SCREEN AND GENERATOR DIFFER'), 'the !! line', undefined, frame);
    expect(frame()).toMatch(/output expected on, generator off/);
    expect(frame()).toMatch(/mode expected therapy, generator none/);
    expect(frame()).toMatch(/amplitude expected 0\.10 mA, generator 0\.00 mA/);
    expect(frame()).toMatch(/the generator was reset: what it ran before is lost/);
    expect(frame()).toMatch(/The generator was reset \(it restarted\): committed therapy at 0\.1 mA stopped/);
    expect(frame()).not.toMatch(/changed outside the companion/);
    expect(model.state.output).toBe('off');
    app.unmount();
  });
});
