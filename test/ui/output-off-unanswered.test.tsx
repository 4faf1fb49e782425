import React from 'react';
import { describe, expect, it } from 'vitest';
import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import { App } from '../../src/ui/app.js';
import { until } from '../helpers/until.js';
import { decoded, tapOpener, type Tap } from '../link/link-test-kit.js';
import { liveSim } from './live-sim.js';
import { renderPlain } from './render.js';

/**
 * bb5-N3 on the bedside screen (`bb/bb5_ui7o.py`): `o` during the search's test output, the generator
 * never answering STOP or `OUTPUT on=0`. README (safety model): that off becomes a held STOP and the
 * screen shows `!! STOP NOT CONFIRMED YET … switch it off by hand` until the generator confirms output
 * off, never "uncommitted test stimulation stops after a link loss" while nothing says it stopped; the
 * generator's watchdog (no heartbeat, no HELLO fed it) ends the test output.
 */

describe('bedside screen: an output off the generator never answers (bb5-N3)', () => {
  it('shows the !! line until the generator confirms output off, and no false "stops" notice', async () => {
    let tap: Tap | undefined;
    const { session, generator } = await liveSim(
      new GeneratorModel({ watchdogMs: 1500 }),
      [{ type: 'ELECTRODES', spec: '-+000000' }, { type: 'SEARCH_START' }, { type: 'AMPLITUDE_UP' }],
      {
        telemetryHz: 10,
        wrap: (inner) => {
          const tapped = tapOpener(inner);
          tap = tapped.tap;
          return tapped.opener;
        },
      },
    );
    const model = generator.server.model;
    expect(model.state).toMatchObject({ output: 'on', mode: 'test' });

    let deaf = true;
    tap!.onOutbound = (line, deliver) => {
      const m = decoded(line);
      if (!(deaf && (m?.type === 'STOP' || (m?.type === 'OUTPUT' && !m.on)))) deliver(line);
    };
    const app = renderPlain(<App session={session} listPorts={async () => ({ paths: [] })} onQuit={() => {}} />);
    // A long line wraps onto an indented one: read the screen with those joined.
    // Every frame looked at is kept: a false notice must never have been on the screen.
    const seen: string[] = [];
    const frame = () => {
      const f = (app.lastFrame() ?? '').replace(/\n +/g, ' ');
      seen.push(f);
      return f;
    };
    app.stdin.write('2');
    await until(() => frame().includes('OUTPUT ON'), 'the search screen', undefined, frame);
    app.stdin.write('o');

    await until(() => frame().includes('!! STOP NOT CONFIRMED YET'), 'the !! line', undefined, frame);
    expect(frame()).toMatch(/!! STOP NOT CONFIRMED YET: check the generator, switch it off by hand/);
    await until(() => model.state.output === 'off', "the generator's watchdog stop", undefined, frame);
    expect(model.executions.map((e) => e.type)).not.toContain('STOP');
    expect(frame()).toContain('!! STOP NOT CONFIRMED YET');
    expect(seen.filter((f) => /stops after a link loss/.test(f))).toEqual([]);

    // The generator answers again: the held STOP is confirmed and the !! line goes.
    deaf = false;
    await until(() => !frame().includes('!! STOP NOT CONFIRMED YET'), 'the !! line to go', undefined, frame);
    expect(session.getView().generator?.output).toBe('off');
    app.unmount();
  }, 60_000);
});
