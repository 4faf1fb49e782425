import React from 'react';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/ui/app.js';
import { IgnoresOff } from '../helpers/ignores-off-model.js';
import { until } from '../helpers/until.js';
import { liveSim } from './live-sim.js';
import { renderPlain } from './render.js';

/**
 * bb5-N3 item 3 (issue 13): a read after our own `output off` that says output is still on is said as
 * such — a warning "output still on … switch it off by hand" and a `!!` line "OUTPUT STILL ON" on the bedside screen —
 * never "stops" or a generic difference. The generator here answers `OUTPUT on=0` with its unchanged
 * state (a faulty one: PROTOCOL.md §4.4 says on=0 always turns output off).
 */

describe('bedside screen: output still on after output off (bb5-N3)', () => {
  it('says OUTPUT STILL ON with a !! line, and STOP then ends it', async () => {
    const model = new IgnoresOff();
    const { session } = await liveSim(
      model,
      [{ type: 'ELECTRODES', spec: '-+000000' }, { type: 'SEARCH_START' }, { type: 'AMPLITUDE_UP' }],
      { telemetryHz: 10 },
    );
    expect(model.state).toMatchObject({ output: 'on', mode: 'test' });

    const app = renderPlain(<App session={session} listPorts={async () => ({ paths: [] })} onQuit={() => {}} />);
    const frame = () => (app.lastFrame() ?? '').replace(/\n +/g, ' ');
    app.stdin.write('2');
    await until(() => frame().includes('OUTPUT ON'), 'the search screen', undefined, frame);
    app.stdin.write('o');

    await until(() => frame().includes('!! OUTPUT STILL ON'), 'the !! line', undefined, frame);
    expect(frame()).toMatch(
      /!! OUTPUT STILL ON after output off was asked: press Space \(STOP\) or switch it off by hand/,
    );
    expect(frame()).toMatch(/output still on: the generator reports output on/);
    expect(model.state.output).toBe('on');

    // STOP (Space) ends it; the !! line goes with it.
    app.stdin.write(' ');
    await until(() => model.state.output === 'off', 'STOP on the generator', undefined, frame);
    await until(() => !frame().includes('!! OUTPUT STILL ON'), 'the !! line to go', undefined, frame);
    app.unmount();
  }, 60_000);
});
