import { createPtyRig } from './pty-rig.js';

/**
 * The generator side of the paced bench in a process of its own: a pty, the simulator and its UART
 * pacer (paced-stream.ts), as a real generator is a device of its own whose byte timing never waits
 * for the companion's event loop (nor the companion for the simulator's telemetry and timers). Driven
 * over IPC by child-rig.ts: `serve` (re)attaches the simulator, every on → off of the output is
 * reported with its wall-clock time (performance.timeOrigin + now, comparable across processes).
 */
export type ChildCommand = { type: 'serve'; baud?: number; fifo?: boolean } | { type: 'close' };
export type ChildReport = { type: 'ready'; path: string } | { type: 'served' } | { type: 'off'; at: number };

const send = (report: ChildReport) => process.send?.(report);
const rig = createPtyRig({ telemetryHz: Number(process.argv[2] ?? 0) });
const model = rig.server.model;
const handle = model.handle;
model.handle = function (this: typeof model, ...args: Parameters<typeof handle>) {
  const wasOn = this.state.output === 'on';
  const reply = handle.apply(this, args);
  if (wasOn && this.state.output === 'off') send({ type: 'off', at: performance.timeOrigin + performance.now() });
  return reply;
};
const close = () => {
  rig.close();
  process.exit(0);
};
process.on('message', (command: ChildCommand) => {
  if (command.type === 'close') close();
  else {
    rig.serveSimulator(command.baud, command.fifo);
    send({ type: 'served' });
  }
});
// The parent is gone (killed or finished): never outlive it.
process.on('disconnect', close);
send({ type: 'ready', path: rig.path });
