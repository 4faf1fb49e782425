import React from 'react';
import { describe, expect, it } from 'vitest';
import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import type { Intent } from '../../src/session/session-types.js';
import { App } from '../../src/ui/app.js';
import { until } from '../helpers/until.js';
import { liveSim } from './live-sim.js';
import { KEY, renderPlain } from './render.js';

/**
 * Issue 13: "The `!!` difference line goes stale: commit therapy, `remote amp 1.5` in the simulator,
 * then ↓ in the UI: it reads 'amplitude expected …, generator … (changed outside the companion)'
 * although the companion set that amplitude itself." On the real app, session and link over the
 * in-process simulator: after ↓ the generator holds what the companion set, and the line is gone.
 */

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

describe('bedside screen: the !! difference line after the companion itself set the amplitude (issue 13)', () => {
  it("the issue's repro: commit, remote amp 1.5, ↓ on the therapy screen → no stale difference line", async () => {
    const model = new GeneratorModel();
    const { session, generator } = await liveSim(model, THERAPY, { telemetryHz: 20 });
    const app = renderPlain(
      <App
        session={session}
        listPorts={async () => ({ paths: [] })}
        onQuit={() => {}}
        initial={{ screen: 'therapy' }}
      />,
    );
    const frame = () => (app.lastFrame() ?? '').replace(/\n +/g, ' ');
    const { rateHz, pulseWidthUs, contacts } = model.state;
    generator.server.externalChange({ rateHz, pulseWidthUs, contacts, amplitudeUa: 1500 });
    await until(() => frame().includes('!! SCREEN AND GENERATOR DIFFER'), 'the !! line', undefined, frame);
    expect(frame()).toMatch(/amplitude expected 0\.10 mA, generator 1\.50 mA \(changed outside the companion\)/);

    app.stdin.write(KEY.down);
    await until(() => model.state.amplitudeUa === 150, 'the companion lowering the generator', undefined, frame);
    await until(() => !frame().includes('!! SCREEN AND GENERATOR DIFFER'), 'the !! line to go', undefined, frame);
    expect(frame()).not.toMatch(/generator 1\.50 mA/);
    // Later telemetry and re-reads find what the companion set: the line does not come back.
    const seen = generator.server.counters.telemetry;
    await until(() => generator.server.counters.telemetry >= seen + 3, 'more telemetry', undefined, frame);
    expect(frame()).not.toContain('!! SCREEN AND GENERATOR DIFFER');
    app.unmount();
  });
});
