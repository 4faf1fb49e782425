import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessGenerator, type InProcessGenerator } from '../../firmware-sim/in-process.js';
import { CANCEL } from '../../protocol/index.js';
import { StaleCommandError } from '../../src/link/generator-link.js';
import { inProcessOpener } from '../../src/link/in-process-opener.js';
import type { PortOpener } from '../../src/link/port-opener.js';
import { SerialGeneratorLink } from '../../src/link/serial-generator-link.js';
import { FAST, PROGRAM, until } from './link-test-kit.js';
import { manualWireClock, type ManualWireClock } from './manual-wire-clock.js';

/**
 * PROTOCOL.md §4.5, host side (v2.3): on a serial line the link paces its own writes, so a STOP pressed
 * while a SET is still leaving cuts the SET's unsent tail: CAN+STOP go at once, the generator discards
 * the torn SET at the CAN (§2), and the link settles the SET as never executed — no retransmission, no
 * "confirmed", and the STOP's state is derived without waiting for a re-read. Real simulator, real
 * link; only the pacer's clock is moved by hand, so the moment of the STOP is exact.
 */

const NEXT = { ...PROGRAM, amplitudeUa: PROGRAM.amplitudeUa + 50 };

interface PacedRig {
  generator: InProcessGenerator;
  link: SerialGeneratorLink;
  clock: ManualWireClock;
  /** Every byte the link handed to the port, in order. */
  wire(): string;
  /** Moves the pacer's clock 0.5 ms per real millisecond (the handshake and setup). */
  ticking(on: boolean): void;
  close(): Promise<void>;
}

let rig: PacedRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

function pacedRig(): PacedRig {
  const generator = createInProcessGenerator({ telemetryHz: 0 });
  const clock = manualWireClock();
  const written: Buffer[] = [];
  const inner = inProcessOpener(generator);
  const opener: PortOpener = {
    ...inner,
    async open() {
      const connection = await inner.open();
      const write = connection.stream.write.bind(connection.stream) as (chunk: Buffer) => boolean;
      connection.stream.write = ((chunk: Buffer) => (written.push(chunk), write(chunk))) as typeof write;
      return { ...connection, pacing: { baud: 115200, clock } };
    },
  };
  const link = new SerialGeneratorLink({ opener, timing: { ...FAST, heartbeatIntervalMs: 60_000 }, firstSeq: 100 });
  let tick: NodeJS.Timeout | undefined;
  const ticking = (on: boolean) => {
    clearInterval(tick);
    tick = on ? setInterval(() => clock.advance(0.5), 1) : undefined;
  };
  return {
    generator,
    link,
    clock,
    wire: () => Buffer.concat(written).toString('latin1'),
    ticking,
    async close() {
      ticking(false);
      await link.close();
      generator.close();
    },
  };
}

/** Connected, PROGRAM set, output on in test mode; the pacer's clock then stands still. */
async function outputOn(): Promise<PacedRig> {
  rig = pacedRig();
  rig.ticking(true);
  await rig.link.connect();
  await rig.link.setProgram(PROGRAM);
  await rig.link.setOutput(true, 'test');
  rig.ticking(false);
  return rig;
}

describe('a STOP cuts the companion’s own write that has not left yet (§4.5, host side)', () => {
  it('CAN+STOP go at once; the SET’s tail is never written; the SET settles as not executed; nothing runs it later', async () => {
    const { link, generator, wire, clock, ticking } = await outputOn();
    const from = wire().length;
    const set = link.setProgram(NEXT).then(
      () => undefined,
      (e: Error) => e,
    );
    await until(() => wire().slice(from).startsWith('SET '), 'the SET starting to leave');
    const started = wire().slice(from);
    expect(started).not.toContain('\n'); // most of its 83 bytes wait in the pacer
    const stopped = await link.stop();
    expect(stopped).toMatchObject({ output: 'off', amplitudeUa: PROGRAM.amplitudeUa });
    const error = await set;
    expect(error).toBeInstanceOf(StaleCommandError);
    expect(error?.message).toMatch(/not executed/);
    // On the wire: the SET's first bytes, then CAN+STOP right behind them; its tail never.
    const after = wire().slice(from);
    expect(after.startsWith(`${started}${CANCEL}STOP `)).toBe(true);
    // Well past every retransmission it had left (3 × 100 ms): never sent again, never run.
    ticking(true);
    await new Promise((r) => setTimeout(r, 450));
    clock.advance(100);
    expect(wire().slice(from).match(/SET /g)).toHaveLength(1);
    expect(generator.server.model.state).toMatchObject({ output: 'off', amplitudeUa: PROGRAM.amplitudeUa });
    // Derived from the STOP's revision alone (the SET known not run): no STATE re-read was needed.
    expect(wire().slice(from)).not.toContain('STATE ');
    expect(link.state).toMatchObject({ output: 'off', amplitudeUa: PROGRAM.amplitudeUa });
    // The link goes on: the next write is computed from that state and accepted.
    await expect(link.setProgram(NEXT)).resolves.toMatchObject({ amplitudeUa: NEXT.amplitudeUa, output: 'off' });
  });

  it('a SET whose end already reached the OS is not cut: it runs, its reply is taken, the STOP follows it', async () => {
    const { link, generator, wire, clock } = await outputOn();
    const from = wire().length;
    const set = link.setProgram(NEXT).then(
      (state) => state,
      (e: Error) => e,
    );
    await until(() => wire().slice(from).startsWith('SET '), 'the SET starting to leave');
    clock.advance(10); // the whole line (83 bytes, 7.2 ms) handed over
    expect(wire().slice(from)).toMatch(/^SET [^\n]*\n$/);
    const stopped = await link.stop();
    expect(stopped.output).toBe('off');
    expect(await set).toMatchObject({ amplitudeUa: NEXT.amplitudeUa });
    expect(generator.server.model.state).toMatchObject({ output: 'off', amplitudeUa: NEXT.amplitudeUa });
  });

  it('a read the STOP cut goes again whole right after it and is answered', async () => {
    const { link, wire, ticking } = await outputOn();
    const from = wire().length;
    const read = link.readState();
    await until(() => wire().slice(from).startsWith('STATE '), 'the STATE starting to leave');
    const stopped = link.stop();
    ticking(true);
    expect((await stopped).output).toBe('off');
    await expect(read).resolves.toMatchObject({ amplitudeUa: PROGRAM.amplitudeUa });
    const lines = wire().slice(from).split('\n');
    const stateLine = lines.find((l) => l.startsWith('STATE ') && !l.includes(CANCEL));
    expect(stateLine).toBeDefined();
    expect(lines.indexOf(stateLine!)).toBeGreaterThan(lines.findIndex((l) => l.includes(`${CANCEL}STOP `)));
  });
});
