import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessGenerator, type InProcessGenerator } from '../../firmware-sim/in-process.js';
import { ErrorCode } from '../../protocol/index.js';
import { NakError } from '../../src/link/generator-link.js';
import { inProcessOpener } from '../../src/link/in-process-opener.js';
import { SerialGeneratorLink } from '../../src/link/serial-generator-link.js';
import { harness } from '../session/harness.js';
import { openModelSession } from '../firmware-sim/model-session.js';
import { FAST, PROGRAM, nextEvent } from './link-test-kit.js';

/**
 * Protocol v2 through the real link over the in-process simulator (PROTOCOL.md §3, §4.1, §4.4):
 * a new companion never inherits test stimulation, committed therapy is never switched back to test
 * silently, and a write computed from a state that has moved on is refused, never applied.
 */

let generator: InProcessGenerator | undefined;
const links: SerialGeneratorLink[] = [];
afterEach(async () => {
  for (const l of links.splice(0)) await l.close();
  generator?.close();
  generator = undefined;
});

function companion(cid: string): SerialGeneratorLink {
  const link = new SerialGeneratorLink({ opener: inProcessOpener(generator!), timing: FAST, companionId: cid });
  links.push(link);
  return link;
}

describe('a new companion session never inherits test stimulation', () => {
  it('a HELLO from another companion stops uncommitted test output and says so (ended=test)', async () => {
    generator = createInProcessGenerator({ telemetryHz: 0 });
    const first = companion('aaaa0001');
    await first.connect();
    await first.setProgram(PROGRAM);
    await first.setOutput(true, 'test');
    expect(generator.server.model.state).toMatchObject({ output: 'on', mode: 'test' });
    // The first companion dies without a word; a second one connects inside the watchdog.
    const second = companion('bbbb0002');
    const handshake = await second.connect();
    expect(handshake.endedTest).toBe(true);
    expect(handshake.state).toMatchObject({ output: 'off', mode: 'none' });
    expect(generator.server.model.state.output).toBe('off');
  });

  it('committed therapy keeps running for the new companion (ended=none)', async () => {
    generator = createInProcessGenerator({ telemetryHz: 0 });
    const first = companion('aaaa0001');
    await first.connect();
    await first.setProgram(PROGRAM);
    await first.setOutput(true, 'therapy');
    const handshake = await companion('bbbb0002').connect();
    expect(handshake.endedTest).toBe(false);
    expect(generator.server.model.state).toMatchObject({ output: 'on', mode: 'therapy', committed: true });
  });

  it('the same companion reconnecting (same cid) does not stop it: its own session decides', async () => {
    generator = createInProcessGenerator({ telemetryHz: 0 });
    const link = companion('aaaa0001');
    await link.connect();
    await link.setProgram(PROGRAM);
    await link.setOutput(true, 'test');
    const again = nextEvent(link, 'handshake');
    generator.unplug(); // the link reconnects by itself: new port, HELLO with the same cid
    expect((await again).handshake.endedTest).toBe(false);
    expect(generator.server.model.state.output).toBe('on');
  });

  it('the session says what it found and what the generator did, and starts ready with output off', async () => {
    const h = await harness({ connect: false });
    const other = openModelSession(h.link.model, 1, 0, 'beef0001');
    h.link.model.handle(
      other.stamp({ type: 'SET', seq: 2, rateHz: 50, pulseWidthUs: 300, amplitudeUa: 1500, contacts: '-+000000' }),
      0,
    );
    h.link.model.handle(other.stamp({ type: 'OUTPUT', seq: 3, on: true, mode: 'test' }), 0);
    await h.do({ type: 'CONNECT' });
    const view = h.c.view();
    expect(view.state).toBe('ready');
    expect(view.generator?.output).toBe('off');
    expect(
      view.notices.some(
        (n) =>
          n.field === 'output' &&
          /uncommitted test stimulation from an earlier session; it stopped it when this companion connected/.test(
            n.reason,
          ),
      ),
    ).toBe(true);
  });
});

describe('modes never switch silently', () => {
  it('OUTPUT on=1 mode=test during committed therapy is refused (MODE_CHANGE) and therapy keeps running', async () => {
    generator = createInProcessGenerator({ telemetryHz: 0 });
    const link = companion('aaaa0001');
    await link.connect();
    await link.setProgram(PROGRAM);
    await link.setOutput(true, 'therapy');
    const refused = await link.setOutput(true, 'test').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NakError);
    expect((refused as NakError).code).toBe(ErrorCode.MODE_CHANGE);
    expect(generator.server.model.state).toMatchObject({ output: 'on', mode: 'therapy', committed: true });
    // Off first, then test stimulation is allowed.
    await link.setOutput(false, 'therapy');
    await expect(link.setOutput(true, 'test')).resolves.toMatchObject({ output: 'on', mode: 'test', committed: false });
  });
});

describe('conditional writes (H17)', () => {
  it('a SET computed before another controller changed the program is refused (REV_MISMATCH), not applied', async () => {
    generator = createInProcessGenerator({ telemetryHz: 0 });
    const link = companion('aaaa0001');
    await link.connect();
    await link.setProgram(PROGRAM);
    generator.server.externalChange({ ...PROGRAM, amplitudeUa: 500 });
    const refused = await link.setProgram({ ...PROGRAM, amplitudeUa: 2000 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NakError);
    expect((refused as NakError).code).toBe(ErrorCode.REV_MISMATCH);
    expect(generator.server.model.state.amplitudeUa).toBe(500);
    // After reading the state again the companion may write.
    await link.readState();
    await expect(link.setProgram({ ...PROGRAM, amplitudeUa: 2000 })).resolves.toMatchObject({ amplitudeUa: 2000 });
  });

  it('telemetry or a heartbeat showing the change does not make a blind write pass', async () => {
    generator = createInProcessGenerator({ telemetryHz: 100 });
    const link = companion('aaaa0001');
    await link.connect();
    await link.setProgram(PROGRAM);
    generator.server.externalChange({ ...PROGRAM, amplitudeUa: 500 });
    await new Promise((r) => setTimeout(r, 120)); // telemetry and heartbeats carry the new revision
    expect(link.state?.amplitudeUa).toBe(500);
    await expect(link.setProgram({ ...PROGRAM, amplitudeUa: 2000 })).rejects.toMatchObject({
      code: ErrorCode.REV_MISMATCH,
    });
  });

  it('normal flows are never refused by rev: program, output on, amplitude steps, commit, off, STOP, again', async () => {
    generator = createInProcessGenerator({ telemetryHz: 50 });
    const link = companion('aaaa0001');
    await link.connect();
    for (let round = 0; round < 3; round++) {
      await link.setProgram({ ...PROGRAM, amplitudeUa: 0 });
      await link.setOutput(true, 'test');
      for (let a = 50; a <= 500; a += 50) await link.setProgram({ ...PROGRAM, amplitudeUa: a });
      await link.setOutput(true, 'therapy');
      await link.setOutput(false, 'therapy');
      await link.setOutput(true, 'test');
      await link.stop();
    }
    expect(generator.server.counters.naks).toBe(0);
  });
});
