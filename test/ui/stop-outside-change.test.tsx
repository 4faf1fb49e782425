import React from 'react';
import { describe, expect, it } from 'vitest';
import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import type { Reply, Request } from '../../protocol/index.js';
import { App } from '../../src/ui/app.js';
import { until } from '../helpers/until.js';
import { liveSim } from './live-sim.js';
import { KEY, renderPlain } from './render.js';

/**
 * bb3 F-H3 / F-H1 on the bedside screen (README H10/H17): the patient's remote sets 0.5 mA during the
 * threshold search and STOP (Space) comes before the companion has adopted what it read, or before it
 * read anything at all. Afterwards the screen must still say that screen and generator differ, with
 * the amplitude found, and keep saying it until the clinician presses `a` (STOP is no acknowledgement).
 * The generator's event is dropped in both cases: only the state tells (PROTOCOL.md §4.9).
 */

type Moment = 'read before STOP' | 'lands just before STOP';

/** The simulator with the patient's remote, which changes amplitude at one exact moment of the wire. */
class RemoteAtMoment extends GeneratorModel {
  armed = false;
  /** Called while the generator answers the companion's re-read (before its reply goes out). */
  onReread: () => void = () => {};
  private raced = false;

  constructor(private readonly moment: Moment) {
    super();
  }

  private remote(nowMs: number): void {
    this.armed = false;
    this.externalChange({ ...this.program, amplitudeUa: 500 }, nowMs);
    // The event is lost on the wire: only the generator's state can tell the companion.
    this.pending = this.pending.filter((e) => e.kind !== 'program-changed');
  }

  override handle(request: Request, nowMs: number): Reply {
    if (this.armed && this.moment === 'read before STOP' && request.type === 'SET') {
      this.remote(nowMs); // the companion's step is refused (its rev is old) and it reads STATE ...
      this.raced = true;
    } else if (this.armed && this.moment === 'lands just before STOP' && request.type === 'STOP') {
      this.remote(nowMs);
    } else if (this.raced && request.type === 'STATE') {
      this.raced = false;
      this.onReread(); // ... and STOP is pressed while that read is on its way back
    }
    return super.handle(request, nowMs);
  }
}

/** Search at 0.05 mA, the remote's change at `moment`, STOP; then the screen until `a`. */
async function stopAfterRemote(moment: Moment): Promise<void> {
  const model = new RemoteAtMoment(moment);
  const { session, generator } = await liveSim(
    model,
    [{ type: 'ELECTRODES', spec: '-+000000' }, { type: 'SEARCH_START' }, { type: 'AMPLITUDE_UP' }],
    { telemetryHz: 20 },
  );
  expect(model.state).toMatchObject({ output: 'on', amplitudeUa: 50 });

  const app = renderPlain(<App session={session} listPorts={async () => ({ paths: [] })} onQuit={() => {}} />);
  // A long line wraps onto an indented one: read the screen with those joined.
  const frame = () => (app.lastFrame() ?? '').replace(/\n +/g, ' ');
  model.onReread = () => app.stdin.write(KEY.space);
  model.armed = true;
  if (moment === 'read before STOP') session.send({ type: 'AMPLITUDE_UP' });
  else app.stdin.write(KEY.space);

  await until(() => model.state.output === 'off' && !model.armed, 'STOP on the generator', undefined, frame);
  await until(() => frame().includes('!! SCREEN AND GENERATOR DIFFER'), 'the !! line', undefined, frame);
  expect(frame()).toMatch(/amplitude expected 0\.05 mA, generator 0\.50 mA \(changed outside the companion\)/);
  expect(model.state).toMatchObject({ output: 'off', amplitudeUa: 500 });

  // It stays: later telemetry and re-reads find the same 0.5 mA, which is no reason to drop it.
  const seen = generator.server.counters.telemetry;
  await until(() => generator.server.counters.telemetry >= seen + 3, 'more telemetry', undefined, frame);
  expect(frame()).toContain('!! SCREEN AND GENERATOR DIFFER');
  expect(session.getView().mismatch).toMatch(/generator 0\.50 mA/);

  app.stdin.write('a');
  await until(() => !frame().includes('!! SCREEN AND GENERATOR DIFFER'), 'the !! line to go', undefined, frame);
  expect(session.getView().mismatch).toBeNull();
  expect(model.state).toMatchObject({ output: 'off', amplitudeUa: 500 }); // `a` changes nothing on the generator
  app.unmount();
}

describe('bedside screen: an outside change around STOP (bb3 F-H3, H10/H17)', () => {
  it('read before STOP: STOP leaves output off and the !! line names the amplitude found, until a', () =>
    stopAfterRemote('read before STOP'));
  it('lands just before STOP: STOP leaves output off and the !! line names the amplitude found, until a', () =>
    stopAfterRemote('lands just before STOP'));
});
