import { describe, expect, it } from 'vitest';
import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import { PROTOCOL_VERSION, type Request } from '../../protocol/index.js';
import { ModelWatch } from './model-watch.js';

/**
 * The soak's new invariants (issue 12), short and deterministic against the generator model: a late line
 * of an older session never turns output on ('unrequested'), and another companion's HELLO never leaves
 * it test output ('inherited'). Each fails if the generator rule it guards is removed (session gate,
 * HELLO ending test output).
 */

const PROGRAM = { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 1000, contacts: '+-000000' };

function rig() {
  let sessions = 0;
  const model = new GeneratorModel({ newSessionId: () => `5e55000${++sessions}` });
  const watch = new ModelWatch(model, { armed: true, patientCeilingUa: () => null }, () => 0);
  let seq = 0;
  const hello = (cid: string) => {
    const r = model.handle({ type: 'HELLO', seq: ++seq, proto: PROTOCOL_VERSION, cid }, seq);
    if (r.type !== 'ACK' || r.of !== 'HELLO' || !r.session) throw new Error(JSON.stringify(r));
    return r.session;
  };
  const on = (sess: string): Request => ({
    type: 'OUTPUT',
    seq: ++seq,
    sess,
    rev: model.state.programRev,
    on: true,
    mode: 'test',
  });
  const set = (sess: string) =>
    model.handle({ type: 'SET', seq: ++seq, sess, rev: model.state.programRev, ...PROGRAM }, seq);
  return { model, watch, hello, on, set, next: () => ++seq };
}

describe('soak invariants: unrequested output and inherited sessions', () => {
  it("a late OUTPUT on=1 of a dead companion's session, arriving after a new companion's HELLO, never turns output on", () => {
    const { model, watch, hello, set } = rig();
    const first = hello('aaaa0001');
    set(first);
    // Its OUTPUT on=1 is held on the way; the companion dies. Its seq counter is far ahead of the new
    // one's and nothing changed the revision since, so only the session tells the line is not current.
    const late: Request = {
      type: 'OUTPUT',
      seq: 5000,
      sess: first,
      rev: model.state.programRev,
      on: true,
      mode: 'test',
    };
    hello('bbbb0002');
    model.handle(late, 10);
    expect(model.state.output).toBe('off');
    expect(watch.violations).toEqual([]);
  });

  it("another companion's HELLO stops uncommitted test output; its session never starts with it", () => {
    const { model, watch, hello, on, set, next } = rig();
    const first = hello('aaaa0001');
    set(first);
    model.handle(on(first), next());
    expect(model.state.output).toBe('on');
    hello('bbbb0002');
    watch.checkNewSession('bbbb0002', model.state.output === 'on' ? 'search' : 'ready');
    expect(model.state.output).toBe('off');
    expect(watch.checks.inherited).toBe(2);
    expect(watch.violations).toEqual([]);
  });

  it('the watch itself flags a session that starts in search with output another companion turned on', () => {
    const { model, watch, hello, on, set, next } = rig();
    const first = hello('aaaa0001');
    set(first);
    model.handle(on(first), next());
    watch.checkNewSession('bbbb0002', 'search');
    expect(watch.violations).toEqual([expect.stringContaining('[inherited]')]);
  });
});
