import { SerialPort } from 'serialport';
import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import { PROTOCOL_VERSION, decodeMessage, encodeMessage, type Message, type Request } from '../../protocol/index.js';
import type { Program } from '../../src/link/generator-link.js';
import { openGeneratorLink } from '../../src/link/open-link.js';
import type { PtyRig } from './pty-rig.js';

/**
 * Request round trip (set program → ACK, through the companion's link and serialport) and its
 * anchor: the same bytes exchanged raw over the same pty (serialport client ↔ fixed-reply responder).
 */

/** A valid program for the simulator's default limits; amplitude alternates so every SET changes it. */
export const PROGRAM: Program = { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 1500, contacts: '+-000000' };
export const programAt = (i: number): Program => ({ ...PROGRAM, amplitudeUa: i % 2 === 0 ? 1500 : 1550 });

export const BAUD = 115200;

/** The exact bytes of one SET exchange, as the link and the simulator write them. */
export function sampleExchange(): { request: Buffer; reply: Buffer } {
  const model = new GeneratorModel({ newSessionId: () => '5e55a001' });
  model.handle({ type: 'HELLO', seq: 4320, proto: PROTOCOL_VERSION, cid: 'c0a1c0a1' }, 0);
  const request: Request = { type: 'SET', seq: 4321, sess: '5e55a001', rev: model.state.programRev, ...PROGRAM };
  const reply = model.handle(request, 0);
  if (reply.type !== 'ACK') throw new Error(`the simulator refused the sample request: ${encodeMessage(reply)}`);
  return {
    request: Buffer.from(`${encodeMessage(request)}\n`, 'latin1'),
    reply: Buffer.from(`${encodeMessage(reply)}\n`, 'latin1'),
  };
}

function openPort(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: BAUD, autoOpen: false });
    port.open((err) => (err ? reject(err) : resolve(port)));
  });
}

function closePort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => port.close(() => resolve()));
}

/** `n` raw exchanges: write the request bytes, wait for all reply bytes. Milliseconds each. */
export async function measureRawExchange(rig: PtyRig, n: number): Promise<number[]> {
  const { request, reply } = sampleExchange();
  rig.serveEcho(reply);
  const port = await openPort(rig.path);
  let received = 0;
  let wake: (() => void) | undefined;
  port.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received >= reply.length && wake) {
      const w = wake;
      wake = undefined;
      w();
    }
  });
  const samples: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      received = 0;
      const done = new Promise<void>((resolve) => (wake = resolve));
      const t0 = performance.now();
      port.write(request);
      await done;
      samples.push(performance.now() - t0);
    }
  } finally {
    await closePort(port);
  }
  return samples;
}

/**
 * `n` SET lines written raw to the simulator (after a HELLO), each timed to its complete ACK line: the
 * round trip without the companion's link, to split the cost between the simulator and the companion.
 */
export async function measureRawToSimulator(rig: PtyRig, n: number): Promise<number[]> {
  rig.serveSimulator();
  const port = await openPort(rig.path);
  let pending = '';
  let wake: (() => void) | undefined;
  port.on('data', (chunk: Buffer) => {
    pending += chunk.toString('latin1');
    if (pending.includes('\n') && wake) {
      const w = wake;
      wake = undefined;
      w();
    }
  });
  let last: Message | undefined;
  const exchange = async (request: Request) => {
    pending = '';
    const done = new Promise<void>((resolve) => (wake = resolve));
    const t0 = performance.now();
    port.write(`${encodeMessage(request)}\n`, 'latin1');
    await done;
    const elapsed = performance.now() - t0;
    const decoded = decodeMessage(pending.slice(0, pending.indexOf('\n')));
    last = decoded.ok ? decoded.message : undefined;
    return elapsed;
  };
  const samples: number[] = [];
  try {
    await exchange({ type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION, cid: 'c0a1c0a1' });
    const hello = last;
    if (hello?.type !== 'ACK' || hello.of !== 'HELLO' || !hello.session)
      throw new Error('the simulator did not open a session');
    let rev = rig.server.model.state.programRev;
    for (let i = 0; i < n; i++) {
      samples.push(await exchange({ type: 'SET', seq: i + 2, sess: hello.session, rev, ...programAt(i) }));
      if (last?.type === 'ACK' && 'state' in last) rev = last.state.programRev;
    }
  } finally {
    await closePort(port);
  }
  return samples;
}

/** `n` set-program requests through a fresh companion link (connect first, not timed). Milliseconds each. */
export async function measureSetProgram(rig: PtyRig, n: number, baud?: number): Promise<number[]> {
  rig.serveSimulator(baud);
  const link = openGeneratorLink({ port: rig.path, baud: BAUD });
  const samples: number[] = [];
  try {
    await link.connect();
    for (let i = 0; i < n; i++) {
      const program = programAt(i);
      const t0 = performance.now();
      await link.setProgram(program);
      samples.push(performance.now() - t0);
    }
  } finally {
    await link.close();
  }
  return samples;
}

/**
 * Alternates blocks of raw exchanges and set-program requests on the same pty, so load that comes and
 * goes on the machine hits both alike. The first block of each is warm-up and not counted.
 */
export async function measureRoundTripPair(
  rig: PtyRig,
  total: number,
  blocks = 5,
): Promise<{ raw: number[]; rawToSimulator: number[]; setProgram: number[] }> {
  const per = Math.max(1, Math.ceil(total / blocks));
  const warm = Math.min(100, per);
  await measureRawExchange(rig, warm);
  await measureRawToSimulator(rig, warm);
  await measureSetProgram(rig, warm);
  const raw: number[] = [];
  const rawToSimulator: number[] = [];
  const setProgram: number[] = [];
  for (let b = 0; b < blocks; b++) {
    raw.push(...(await measureRawExchange(rig, per)));
    rawToSimulator.push(...(await measureRawToSimulator(rig, per)));
    setProgram.push(...(await measureSetProgram(rig, per)));
  }
  return { raw, rawToSimulator, setProgram };
}
