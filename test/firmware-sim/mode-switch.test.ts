import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SerialPort } from 'serialport';
import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import { startPtyGenerator, type PtyGenerator } from '../../firmware-sim/pty-generator.js';
import { ErrorCode, PROTOCOL_VERSION, type Reply } from '../../protocol/index.js';
import { LineClient } from './line-client.js';
import { openModelSession } from './model-session.js';

/**
 * PROTOCOL.md §4.4 (issue 12, "modes cannot be switched silently"): `OUTPUT on=1 mode=test` while
 * committed therapy runs is refused with MODE_CHANGE; output must go off before test stimulation.
 */

const PROGRAM = { rateHz: 50, pulseWidthUs: 200, amplitudeUa: 1000, contacts: '+-000000' };
type Step = 'test' | 'therapy' | 'off' | 'stop' | 'amp';

describe('modes never switch silently (§4.4)', () => {
  it('property: whatever the requests, running therapy never becomes test output without output off in between', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<Step>('test', 'therapy', 'off', 'stop', 'amp'), { maxLength: 40 }),
        (steps) => {
          const model = new GeneratorModel();
          const { stamp } = openModelSession(model);
          let seq = 1;
          model.handle(stamp({ type: 'SET', seq: ++seq, ...PROGRAM }), 0);
          for (const [i, step] of steps.entries()) {
            const before = model.state;
            const now = i * 10;
            let reply: Reply;
            if (step === 'stop') reply = model.handle({ type: 'STOP', seq: ++seq }, now);
            else if (step === 'amp')
              reply = model.handle(
                stamp({ type: 'SET', seq: ++seq, ...PROGRAM, amplitudeUa: 1000 + 50 * (i % 3) }),
                now,
              );
            else
              reply = model.handle(
                stamp({ type: 'OUTPUT', seq: ++seq, on: step !== 'off', mode: step === 'off' ? 'test' : step }),
                now,
              );
            const after = model.state;
            const therapyRan = before.output === 'on' && before.mode === 'therapy';
            if (therapyRan && after.output === 'on') expect(after).toMatchObject({ mode: 'therapy', committed: true });
            if (therapyRan && step === 'test')
              expect(reply).toMatchObject({ type: 'NAK', code: ErrorCode.MODE_CHANGE });
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('modes never switch silently, over a real pty', () => {
  let gen: PtyGenerator | undefined;
  let port: SerialPort | undefined;
  afterEach(async () => {
    if (port?.isOpen) await new Promise((r) => port!.close(r));
    await gen?.close();
    gen = port = undefined;
  });

  it('OUTPUT on=1 mode=test during therapy: MODE_CHANGE, therapy keeps running; after on=0, test starts', async () => {
    gen = await startPtyGenerator({ telemetryHz: 0 });
    port = new SerialPort({ path: gen.path, baudRate: 115200, autoOpen: false });
    port.on('error', () => {});
    const client = new LineClient(port);
    await new Promise<void>((resolve, reject) => port!.open((err) => (err ? reject(err) : resolve())));
    await client.request({ type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION });
    await client.request({ type: 'SET', seq: 2, ...PROGRAM });
    expect(await client.request({ type: 'OUTPUT', seq: 3, on: true, mode: 'therapy' })).toMatchObject({
      state: { output: 'on', mode: 'therapy' },
    });
    expect(await client.request({ type: 'OUTPUT', seq: 4, on: true, mode: 'test' })).toMatchObject({
      type: 'NAK',
      code: ErrorCode.MODE_CHANGE,
    });
    expect(await client.request({ type: 'STATE', seq: 5 })).toMatchObject({
      state: { output: 'on', mode: 'therapy', committed: true },
    });
    await client.request({ type: 'OUTPUT', seq: 6, on: false, mode: 'therapy' });
    expect(await client.request({ type: 'OUTPUT', seq: 7, on: true, mode: 'test' })).toMatchObject({
      state: { output: 'on', mode: 'test', committed: false },
    });
  });
});
