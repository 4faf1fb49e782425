import type { GeneratorModel } from '../../firmware-sim/generator-model.js';
import { openGeneratorLink } from '../../src/link/open-link.js';
import { createSessionController } from '../../src/session/session-controller.js';
import type { ChildRig, OutputOffWatch } from './child-rig.js';
import type { PtyRig } from './pty-rig.js';
import { BAUD, PROGRAM, programAt } from './round-trip-core.js';

/**
 * STOP latency: from the STOP intent to the generator model reporting output off, while the simulator
 * streams telemetry and a program change is in flight. Two drivers: the session controller (what the
 * UI's STOP key calls) and the bare link (link.stop()).
 */

export interface StopSamples {
  /** STOP intent → the model's output is off (ms). */
  toOutputOff: number[];
  /** STOP intent → the companion has the generator's confirmation (ms). */
  toConfirmed: number[];
  /** Stages (controller only): STOP intent → CAN+STOP written by the link, → STOP's ACK read by the link. */
  toWritten?: number[];
  toAckRead?: number[];
}

/** When the link wrote the last STOP and read the last STOP ACK (its trace, PROTOCOL.md §4.5). */
function stopStages(): { trace: (message: string) => void; written: number; ackRead: number } {
  const stages = {
    written: Number.NaN,
    ackRead: Number.NaN,
    trace(message: string) {
      if (message.startsWith('> CAN STOP ')) stages.written = performance.now();
      else if (/^< ACK seq=\d+ of=STOP /.test(message)) stages.ackRead = performance.now();
    },
  };
  return stages;
}

/** The simulator in this process (pty-rig.ts) or in a child process of its own (child-rig.ts). */
export type StopRig = PtyRig | ChildRig;

/** Resolves with the time the model, handling a request, is left with output off. */
function outputOffWatch(model: GeneratorModel): OutputOffWatch {
  const original = model.handle;
  let waiting: ((at: number) => void) | undefined;
  model.handle = function (this: GeneratorModel, ...args: Parameters<GeneratorModel['handle']>) {
    const reply = original.apply(this, args);
    if (waiting && this.state.output === 'off') {
      const at = performance.now();
      const w = waiting;
      waiting = undefined;
      w(at);
    }
    return reply;
  };
  return {
    arm: () => new Promise<number>((resolve) => (waiting = resolve)),
    restore: () => {
      model.handle = original;
    },
  };
}

function watchOf(rig: StopRig): OutputOffWatch {
  return 'server' in rig ? outputOffWatch(rig.server.model) : rig.outputOffWatch();
}

/** Lets the in-flight program change get 0–3 event-loop turns ahead, so STOP meets it at different points. */
async function stagger(i: number): Promise<void> {
  for (let k = 0; k < i % 4; k++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** STOP through the session controller: search (output on, test mode), amplitude up in flight, STOP. */
export async function measureControllerStops(rig: StopRig, n: number, baud?: number): Promise<StopSamples> {
  await rig.serveSimulator(baud);
  const stages = stopStages();
  const link = openGeneratorLink({ port: rig.path, baud: BAUD, trace: stages.trace });
  const controller = createSessionController({ link, dwellMs: 0 });
  const watch = watchOf(rig);
  const samples: Required<StopSamples> = { toOutputOff: [], toConfirmed: [], toWritten: [], toAckRead: [] };
  try {
    await controller.dispatch({ type: 'CONNECT' });
    const electrodes = await controller.dispatch({ type: 'ELECTRODES', spec: ['1+', '2-'] });
    if (!electrodes.accepted) throw new Error(`electrodes refused: ${JSON.stringify(electrodes.notices)}`);
    for (let i = 0; i < n; i++) {
      const search = await controller.dispatch({ type: 'SEARCH_START' });
      if (!search.accepted || controller.view().generator?.output !== 'on') {
        throw new Error(`search did not turn output on: ${JSON.stringify(search.notices)}`);
      }
      const before = link.stats().linesOut;
      controller.send({ type: 'AMPLITUDE_UP' });
      if (link.stats().linesOut === before) throw new Error('AMPLITUDE_UP sent nothing: no program change in flight');
      await stagger(i);
      const off = watch.arm();
      stages.written = stages.ackRead = Number.NaN;
      const t0 = performance.now();
      controller.send({ type: 'STOP' });
      const offAt = await off;
      const view = await controller.settled();
      const confirmedAt = performance.now();
      if (view.generator?.output !== 'off')
        throw new Error(`after STOP the session shows output ${view.generator?.output}`);
      samples.toOutputOff.push(offAt - t0);
      samples.toConfirmed.push(confirmedAt - t0);
      samples.toWritten.push(stages.written - t0);
      samples.toAckRead.push(stages.ackRead - t0);
    }
  } finally {
    watch.restore();
    controller.dispose();
    await link.close();
  }
  return samples;
}

/** STOP through link.stop(): output on (test mode), a set program in flight (unless `inFlight` is false), STOP. */
export async function measureLinkStops(
  rig: StopRig,
  n: number,
  baud?: number,
  fifoUart = false,
  inFlight = true,
): Promise<StopSamples> {
  await rig.serveSimulator(baud, fifoUart);
  const link = openGeneratorLink({ port: rig.path, baud: BAUD });
  const watch = watchOf(rig);
  const samples: StopSamples = { toOutputOff: [], toConfirmed: [] };
  try {
    await link.connect();
    await link.setProgram(PROGRAM);
    for (let i = 0; i < n; i++) {
      await link.setOutput(true, 'test');
      const change = inFlight ? link.setProgram(programAt(i + 1)).catch(() => undefined) : undefined;
      await stagger(i);
      const off = watch.arm();
      const t0 = performance.now();
      const confirmed = link.stop();
      const offAt = await off;
      const state = await confirmed;
      const confirmedAt = performance.now();
      if (state.output !== 'off') throw new Error(`STOP confirmed output ${state.output}`);
      samples.toOutputOff.push(offAt - t0);
      samples.toConfirmed.push(confirmedAt - t0);
      await change;
    }
  } finally {
    watch.restore();
    await link.close();
  }
  return samples;
}
