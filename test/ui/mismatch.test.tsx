import React from 'react';
import { describe, expect, it } from 'vitest';
import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import type { Request, Reply } from '../../protocol/index.js';
import { App } from '../../src/ui/app.js';
import { liveSim } from './live-sim.js';
import { renderPlain } from './render.js';
import { FakeSession } from './fake-session.js';
import { until } from '../helpers/until.js';

/**
 * H10: a generator that applies a different amplitude than it was sent. The session's view carries the
 * mismatch, and the bedside screen draws it as a `!!` line, readable without colour, until `a`.
 */

/** The simulated generator with a faulty write path: every non-zero amplitude lands 50 µA higher. */
class AlteringModel extends GeneratorModel {
  override handle(request: Request, nowMs: number): Reply {
    return super.handle(
      request.type === 'SET' && request.amplitudeUa > 0
        ? { ...request, amplitudeUa: request.amplitudeUa + 50 }
        : request,
      nowMs,
    );
  }
}

describe('screen and generator differ (H10)', () => {
  it('an altered write reaches the view and the screen as a !! line until acknowledged', async () => {
    const { session, generator } = await liveSim(new AlteringModel(), [
      { type: 'ELECTRODES', spec: '-+000000' },
      { type: 'SEARCH_START' },
      { type: 'AMPLITUDE_UP' },
    ]);
    expect(generator.server.model.state.amplitudeUa).toBe(100);

    const view = session.getView();
    expect(view.mismatch).toMatch(
      /amplitude expected 0\.05 mA, generator 0\.10 mA \(the generator applied other values than sent\) since \d\d:\d\d:\d\d; a acknowledges/,
    );
    expect(view.mismatchSince).not.toBeNull();
    expect(session.sessionController.view().mismatch).toMatchObject({
      kind: 'readback',
      expected: { amplitudeUa: 50 },
      reported: { amplitudeUa: 100 },
    });

    const app = renderPlain(<App session={session} listPorts={async () => ({ paths: [] })} onQuit={() => {}} />);
    const frame = () => app.lastFrame() ?? '';
    await until(() => frame().includes('!! SCREEN AND GENERATOR DIFFER'), 'the !! line', undefined, frame);
    expect(frame()).toContain('amplitude expected 0.05 mA, generator 0.10 mA');
    expect(frame()).toContain('Amp: 0.10 mA'); // the status shows the generator's own read-back
    // eslint-disable-next-line no-control-regex
    expect(frame()).not.toMatch(/\u001B\[3[0-9]m/);

    app.stdin.write('a');
    await until(() => !frame().includes('!!'), 'the !! line to go', undefined, frame);
    expect(session.getView().mismatch).toBeNull();
    expect(generator.server.model.state.amplitudeUa).toBe(100); // acknowledging changes nothing on the generator
    app.unmount();
  });
});

describe('a key', () => {
  it('acknowledges only when there is a difference to acknowledge', async () => {
    const session = new FakeSession();
    const app = renderPlain(<App session={session} listPorts={async () => ({ paths: [] })} onQuit={() => {}} />);
    const settle = () => new Promise<void>((r) => setImmediate(() => setImmediate(r)));
    await settle();
    app.stdin.write('a');
    await settle();
    expect(session.intents).toEqual([]);
    expect(app.lastFrame()).toContain('nothing to acknowledge');
    session.setView({
      mismatch: 'amplitude expected 1.50 mA, generator 2.50 mA',
      mismatchSince: '2025-03-01T10:11:12+01:00',
    });
    await settle();
    app.stdin.write('a');
    await settle();
    expect(session.intents).toEqual([{ type: 'ACKNOWLEDGE_MISMATCH' }]);
    app.unmount();
  });
});
