import React from 'react';
import { describe, expect, it } from 'vitest';
import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import type { Reply, Request } from '../../protocol/index.js';
import { StatusLine } from '../../src/ui/components/status-line.js';
import { liveSim } from './live-sim.js';
import { renderPlain } from './render.js';
import type { LiveSession } from '../../src/ui/live-session.js';

/**
 * bb5-N1 on the bedside screen (bb4_ui4): the impedance check gives each contact's share until the
 * electrodes change; then the status line says "WORST CASE, impedance checked before the last
 * electrode change". An electrode change the generator refused (the patient's remote changed the
 * program just before its SET: REV_MISMATCH) did not happen, so the check still applies to the
 * contacts that carry the current; only a change the generator confirmed makes it stale.
 */

/** The patient's remote raises amplitude just before the next SET reaches the generator; its event is lost. */
class RemoteBeforeSet extends GeneratorModel {
  armed = false;
  override handle(request: Request, nowMs: number): Reply {
    if (this.armed && request.type === 'SET') {
      this.armed = false;
      this.externalChange({ ...this.program, amplitudeUa: 500 }, nowMs);
      this.pending = this.pending.filter((e) => e.kind !== 'program-changed');
    }
    return super.handle(request, nowMs);
  }
}

const STALE = 'WORST CASE, impedance checked before the last electrode change';

async function checkedSession(): Promise<{ model: RemoteBeforeSet; session: LiveSession; frame: () => string }> {
  const model = new RemoteBeforeSet();
  const { session } = await liveSim(model, [{ type: 'ELECTRODES', spec: '-+000000' }, { type: 'IMPEDANCE_CHECK' }]);
  const frame = () => (renderPlain(<StatusLine view={session.getView()} />).lastFrame() ?? '').replace(/\s+/g, ' ');
  expect(frame()).toContain('shares by measured impedance');
  return { model, session, frame };
}

describe('bedside status line: impedance shares after an electrode change (bb5-N1)', () => {
  it('an electrode change the generator refused leaves the impedance shares in force, no WORST CASE', async () => {
    const { model, session, frame } = await checkedSession();
    model.armed = true;
    session.send({ type: 'ELECTRODES', spec: '-0+00000' });
    await session.idle();
    expect(model.armed).toBe(false);
    expect(model.state).toMatchObject({ contacts: '-+000000', amplitudeUa: 500 });
    expect(session.getView().generator?.contacts).toBe('-+000000');
    expect(frame()).toContain('shares by measured impedance');
    expect(frame()).not.toContain(STALE);
  });

  it('an electrode change the generator confirmed shows the worst case until the next check', async () => {
    const { model, session, frame } = await checkedSession();
    session.send({ type: 'ELECTRODES', spec: '-0+00000' });
    await session.idle();
    expect(model.state.contacts).toBe('-0+00000');
    expect(frame()).toContain(STALE);
  });
});
