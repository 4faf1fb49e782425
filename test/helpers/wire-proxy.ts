import { SerialPort } from 'serialport';
import { closePty, openRawPty } from '../../firmware-sim/pty-generator.js';

/** What a proxy hook sees: one line as it crossed the wire, without its `\n`. */
export interface WireProxyHooks {
  /** Called for each line the companion sends, in order; the line is forwarded when it resolves. */
  beforeToGenerator?: (line: string) => Promise<void> | void;
  /** True drops the companion's line (never reaches the generator); asked after `beforeToGenerator`. */
  dropToGenerator?: (line: string) => boolean;
  /** True drops the generator's line (never reaches the companion). */
  dropToCompanion?: (line: string) => boolean;
}

/** A pseudo-terminal between the companion and `scs sim`, whose hooks hold or drop lines at an exact moment. */
export interface WireProxy {
  /** The path the companion opens (`--port`). */
  port: string;
  /** Every line that crossed, tagged `C>G`, `G>C` or `DROP`, for a failure message. */
  wire(): string[];
  close(): Promise<void>;
}

/** Splits `buffer` into complete lines (each with its `\n`) and the unfinished rest. */
function lines(buffer: string): [string[], string] {
  const parts = buffer.split('\n');
  const rest = parts.pop() ?? '';
  return [parts.map((p) => `${p}\n`), rest];
}

/**
 * A man-in-the-middle pty for end-to-end tests (as bb3's `bb/proxy.py`): the companion opens `port`,
 * the proxy opens the simulator's pty as a second serial client and passes whole lines both ways, so a
 * test can make something happen on the generator between two of the companion's lines, without timing luck.
 */
export async function startWireProxy(simPort: string, hooks: WireProxyHooks = {}): Promise<WireProxy> {
  const front = openRawPty();
  const back = new SerialPort({ path: simPort, baudRate: 115_200, autoOpen: false });
  await new Promise<void>((resolve, reject) => back.open((err) => (err ? reject(err) : resolve())));
  const log: string[] = [];
  let fromCompanion = '';
  let fromGenerator = '';
  let chain = Promise.resolve();

  front.master.on('data', (d: Buffer) => {
    const [complete, rest] = lines(fromCompanion + d.toString('latin1'));
    fromCompanion = rest;
    for (const line of complete) {
      chain = chain.then(async () => {
        await hooks.beforeToGenerator?.(line.slice(0, -1));
        const drop = hooks.dropToGenerator?.(line.slice(0, -1)) ?? false;
        log.push(`${drop ? 'DROPC' : 'C>G'} ${JSON.stringify(line)}`);
        if (!drop && back.isOpen) back.write(Buffer.from(line, 'latin1'));
      });
    }
  });
  back.on('data', (d: Buffer) => {
    const [complete, rest] = lines(fromGenerator + d.toString('latin1'));
    fromGenerator = rest;
    for (const line of complete) {
      const drop = hooks.dropToCompanion?.(line.slice(0, -1)) ?? false;
      log.push(`${drop ? 'DROP' : 'G>C'} ${JSON.stringify(line)}`);
      if (!drop && !front.master.destroyed) front.master.write(Buffer.from(line, 'latin1'));
    }
  });

  return {
    port: front.path,
    wire: () => [...log],
    async close() {
      await chain.catch(() => {});
      if (back.isOpen) await new Promise<void>((resolve) => back.close(() => resolve()));
      back.destroy();
      closePty(front);
    },
  };
}
