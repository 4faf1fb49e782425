import { describe, expect, it } from 'vitest';
import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import { ErrorCode } from '../../protocol/index.js';
import { openModelSession } from '../firmware-sim/model-session.js';
import { ptyLinkFixture } from '../helpers/pty-link-fixture.js';

/**
 * Found by the fault soak: a line held back in transit across a generator reset (or a reconnect)
 * arrived after the companion's new HELLO and ran — a delayed `OUTPUT on=1` turned output on with
 * no new user action, and a duplicated line ran a second time. Protocol v2: a request of an earlier
 * session is refused (STALE_SESSION), and one not newer than the session's newest (STALE_SEQ),
 * PROTOCOL.md §3.
 */

const PROGRAM = { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 0, contacts: '-+000000' };

describe('generator model: requests from before the session', () => {
  it('refuses a SET or OUTPUT of an earlier session (STALE_SESSION) or an older seq (STALE_SEQ), executes nothing, and still accepts STOP', () => {
    const model = new GeneratorModel();
    const first = openModelSession(model, 100);
    expect(model.handle(first.stamp({ type: 'SET', seq: 101, ...PROGRAM }), 1).type).toBe('ACK');
    const late = first.stamp({ type: 'OUTPUT', seq: 102, on: true, mode: 'test' });
    const second = openModelSession(model, 200, 2);
    const executed = model.executions.length;
    expect(model.handle(late, 3)).toMatchObject({ type: 'NAK', seq: 102, code: ErrorCode.STALE_SESSION });
    for (const seq of [199, 200, 50]) {
      const reply = model.handle(second.stamp({ type: 'OUTPUT', seq, on: true, mode: 'test' }), 4);
      expect(reply, `seq ${seq}`).toMatchObject({ type: 'NAK', seq, code: ErrorCode.STALE_SEQ });
    }
    expect(model.executions.length).toBe(executed);
    expect(model.state.output).toBe('off');
    expect(model.handle({ type: 'STOP', seq: 7 }, 5)).toMatchObject({ type: 'ACK', of: 'STOP' });
    expect(model.handle(second.stamp({ type: 'OUTPUT', seq: 201, on: true, mode: 'test' }), 6)).toMatchObject({
      type: 'ACK',
      state: { output: 'on' },
    });
  });

  it('never wraps: seq runs up to 999999999 and a seq after it is not readable as newer', () => {
    const model = new GeneratorModel();
    const s = openModelSession(model, 999_999_990);
    expect(model.handle(s.stamp({ type: 'SET', seq: 999_999_999, ...PROGRAM }), 1).type).toBe('ACK');
    expect(
      model.handle(s.stamp({ type: 'SET', seq: 1, ...PROGRAM, amplitudeUa: 50, contacts: '-+000000' }), 2),
    ).toMatchObject({ type: 'NAK', code: ErrorCode.STALE_SEQ });
  });
});

const pty = ptyLinkFixture('scs-stale-');

describe('over a real pseudo-terminal', () => {
  it('an OUTPUT on delayed across a generator reset does not turn output on after the reconnect', async () => {
    const { generator, link } = await pty.start(
      {},
      { timing: { reconnectDelayMs: 5, requestTimeoutMs: 250 }, firstSeq: 1 },
    );
    await link.connect();
    await link.setProgram(PROGRAM);
    generator.server.faults.setRates('inbound', { delay: 1, delayMs: 150 });
    const on = link.setOutput(true, 'test');
    await new Promise((r) => setTimeout(r, 5));
    generator.server.faults.setRates('inbound', {});
    generator.server.reset();
    await expect(on).rejects.toThrow(/not confirmed/);
    // Wait until the held line has arrived (after the companion's new HELLO) and been answered.
    const model = generator.server.model;
    for (let i = 0; i < 200 && generator.server.counters.linesIn < 6; i++) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    expect(model.executions.map((e) => e.type)).not.toContain('OUTPUT');
    expect(model.state.output).toBe('off');
    expect(model.executions.filter((e) => e.type === 'HELLO')).toHaveLength(2);
  });
});
