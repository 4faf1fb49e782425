import React from 'react';
import { describe, expect, it } from 'vitest';
import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import type { Intent } from '../../src/session/session-types.js';
import { App } from '../../src/ui/app.js';
import { until } from '../helpers/until.js';
import { liveSim } from './live-sim.js';
import { renderPlain } from './render.js';

/**
 * Issue 13: "While output is above the measured discomfort threshold because of an outside change, the
 * companion does not wait for the clinician's next key: it warns at once (`!!` line) and offers one key
 * to bring amplitude back into the window." On the real app, session and link over the in-process
 * simulator: the patient's remote sets 2.5 mA during committed therapy and no key is pressed until the
 * `!!` line is there; then `v` alone brings the generator to the window's top.
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

describe('bedside screen: output above the window after the patient remote (issue 13)', () => {
  it('warns with a !! line before any key, and v alone brings the generator down to the discomfort threshold', async () => {
    const model = new GeneratorModel();
    const { session, generator } = await liveSim(model, THERAPY, { telemetryHz: 20 });
    expect(model.state).toMatchObject({ output: 'on', mode: 'therapy', committed: true, amplitudeUa: 100 });
    const app = renderPlain(<App session={session} listPorts={async () => ({ paths: [] })} onQuit={() => {}} />);
    const frame = () => (app.lastFrame() ?? '').replace(/\n +/g, ' ');
    expect(frame()).not.toContain('IS ABOVE');

    const { rateHz, pulseWidthUs, contacts } = model.state;
    generator.server.externalChange({ rateHz, pulseWidthUs, contacts, amplitudeUa: 2500 });
    // No key is pressed: the warning comes from the generator's own report of the change.
    await until(() => frame().includes('!! OUTPUT 2.50 mA IS ABOVE'), 'the !! line, unprompted', undefined, frame);
    expect(frame()).toContain(
      '!! OUTPUT 2.50 mA IS ABOVE THE DISCOMFORT THRESHOLD 0.15 mA: press v to bring it down now',
    );
    expect(model.state).toMatchObject({ output: 'on', amplitudeUa: 2500 }); // shown as found, not overwritten

    app.stdin.write('v');
    await until(() => model.state.amplitudeUa === 150, 'the generator at the window top', undefined, frame);
    expect(model.state.output).toBe('on');
    await until(() => !frame().includes('IS ABOVE'), 'the !! line to go', undefined, frame);
    app.unmount();
  });
});
