import { describe, expect, it } from 'vitest';
import { StaleCommandError } from '../../src/link/generator-link.js';
import type { SerialGeneratorLink } from '../../src/link/serial-generator-link.js';
import { ptyLinkFixture } from '../helpers/pty-link-fixture.js';
import { PROGRAM } from './link-test-kit.js';

/**
 * PROTOCOL.md §4.5, host side, through the real serialport binding on a real pseudo-terminal: a serial
 * port is paced at its baud (a pty too), so a STOP pressed while a SET is leaving cuts the SET — the
 * simulator never executes it and the link settles it as not executed.
 */

const pty = ptyLinkFixture('scs-cut-');

describe('a serial port is paced at its baud, so a STOP cuts a SET still leaving', () => {
  it('STOP pressed right after the SET started: the SET never runs and settles as not executed', async () => {
    let stopping: Promise<unknown> | undefined;
    let armed = false;
    let link: SerialGeneratorLink | undefined = undefined;
    const started = await pty.start(
      {},
      {
        baud: 115200,
        timing: { requestTimeoutMs: 200, requestRetries: 5, heartbeatIntervalMs: 60_000 },
        // STOP in the microtask right after the SET's first bytes were handed over: no timer has paced more.
        trace: (message) => {
          if (armed && message.startsWith('> SET ')) {
            armed = false;
            queueMicrotask(() => (stopping = link!.stop()));
          }
        },
      },
    );
    link = started.link;
    const generator = started.generator;
    await link.connect();
    await link.setProgram(PROGRAM);
    await link.setOutput(true, 'test');
    const model = generator.server.model;
    const from = model.executions.length;
    armed = true;
    const set = await link.setProgram({ ...PROGRAM, amplitudeUa: PROGRAM.amplitudeUa + 50 }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(set).toBeInstanceOf(StaleCommandError);
    expect(set?.message).toMatch(/not executed/);
    expect(await stopping).toMatchObject({ output: 'off', amplitudeUa: PROGRAM.amplitudeUa });
    await new Promise((r) => setTimeout(r, 300));
    expect(model.executions.slice(from).map((e) => e.type)).not.toContain('SET');
    expect(model.state).toMatchObject({ output: 'off', amplitudeUa: PROGRAM.amplitudeUa });
  });
});
