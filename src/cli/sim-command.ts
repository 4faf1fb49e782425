import { parseCommandLine } from '../shared/parse-command-line.js';
import { createInterface } from 'node:readline';
import type { Command, CommandIo } from './command.js';
import { UsageError, UserError } from '../errors/user-error.js';
import { PROTOCOL_VERSION } from '../../protocol/index.js';
import type { LineFaultRates } from '../../firmware-sim/fault-injector.js';
import type { PtyGenerator } from '../../firmware-sim/pty-generator.js';
import { parseImpedanceFlag } from '../../firmware-sim/impedance-setting.js';
import type { ImpedanceReading } from '../../protocol/index.js';
import { simConsole } from './sim-console.js';
import { linkPathProblem } from './sim-link-path.js';

const HELP = `Usage: scs sim [OPTIONS]

Starts a simulated trial pulse generator on a pseudo-terminal and prints its path:
  Simulated generator ready on /dev/pts/N — connect with: scs --port /dev/pts/N
It serves protocol v2 (protocol/PROTOCOL.md) until Ctrl+C, SIGINT or SIGTERM.

Fault injection (probabilities 0-1 per line, both directions unless --faults-on says otherwise):
  --drop P            drop lines
  --corrupt P         change one byte of a line (the CRC catches it)
  --duplicate P       deliver lines twice
  --delay P           hold lines back by --delay-ms (later lines may overtake them)
  --delay-ms MS       delay length (default 100)
  --faults-on DIR     inbound (to the generator), outbound (from it) or both (default)
  --seed N            seed of the fault generator (default 1): same seed, same faults

Generator:
  --telemetry-hz N    TEL lines per second once a client has spoken (default 10, 0 = off)
  --contacts N        number of contacts, 1-32 (default 8)
  --watchdog-ms MS    link silence that stops test stimulation (default 2000)
  --impedance C=OHMS  contact C's impedance: whole ohms, open or short (repeatable; default
                      800-1200 ohms, each contact different). IMP reports it and the charge-density
                      check shares current by it (protocol/PROTOCOL.md 4.3.1)
  --link PATH         also keep a symlink at PATH to the current pty (stable across replug)

Output:
  --json              print one JSON line {"path","link","serial","bootId","protocol",...} on stdout
                      when ready; the log goes to stderr
  --help              show this help

While running, type a command and Enter (or send a signal):
  reset    the generator reboots: new boot id, output off            (SIGUSR1)
  unplug   close the port: the client sees a disconnect
  replug   unplug, then serve on a new pty (prints the new path)      (SIGUSR2)
  status   print the counters and the generator state
  impedance C OHMS|open|short
           contact C's impedance changes from now on (e.g. fluid around it)
  remote amp MA | remote rate HZ | remote pw US | remote contacts +-0…
           the patient's remote changes the program (another controller, H17):
           the generator's rules apply, programRev rises, EVT program-changed goes out
`;

function probability(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const p = Number(text);
  if (text.trim() === '' || !Number.isFinite(p) || p < 0 || p > 1) {
    throw new UsageError(`--${name} must be a probability from 0 to 1, got '${text}'.`);
  }
  return p;
}

function wholeNumber(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got '${text}'.`);
  }
  return Number(text);
}

const OPTIONS = {
  drop: { type: 'string' },
  corrupt: { type: 'string' },
  duplicate: { type: 'string' },
  delay: { type: 'string' },
  'delay-ms': { type: 'string' },
  'faults-on': { type: 'string' },
  seed: { type: 'string' },
  'telemetry-hz': { type: 'string' },
  contacts: { type: 'string' },
  'watchdog-ms': { type: 'string' },
  impedance: { type: 'string', multiple: true },
  link: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * The pty simulator needs node-pty, an optional dependency that is compiled at install time: without
 * a compiler it is missing, and everything but `scs sim` works. Say so instead of a module error.
 */
async function loadPtySimulator(): Promise<typeof import('../../firmware-sim/pty-generator.js')> {
  try {
    return await import('../../firmware-sim/pty-generator.js');
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (!/node-pty|pty\.node/.test(message)) throw error;
    throw new UserError(
      'scs sim needs node-pty (the pseudo-terminal for the simulated generator), an optional dependency that is ' +
        `not installed or did not build (${message.split('\n')[0]}). node-pty is compiled when scs-companion is ` +
        'installed: install python3, make and a C++ compiler, then install scs-companion again (in a checkout: npm ci). ' +
        'Everything else in scs works without it.',
    );
  }
}

export interface SimRunOptions {
  /** Stops the simulator (tests); signals do the same for a person. */
  signal?: AbortSignal;
}

export async function runSim(argv: string[], io: CommandIo, run: SimRunOptions = {}): Promise<number> {
  const { values } = parseCommandLine(argv, { options: OPTIONS }, 'scs sim');
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const rates: LineFaultRates = {
    drop: probability('drop', values.drop),
    corrupt: probability('corrupt', values.corrupt),
    duplicate: probability('duplicate', values.duplicate),
    delay: probability('delay', values.delay),
    delayMs: wholeNumber('delay-ms', values['delay-ms'], 0, 60_000) ?? 100,
  };
  const direction = values['faults-on'] ?? 'both';
  if (!['inbound', 'outbound', 'both'].includes(direction)) {
    throw new UsageError(`--faults-on must be inbound, outbound or both, got '${direction}'.`);
  }
  const seed = wholeNumber('seed', values.seed, 0, 2 ** 32 - 1) ?? 1;
  const telemetryHz = values['telemetry-hz'] === undefined ? 10 : Number(values['telemetry-hz']);
  if (!Number.isFinite(telemetryHz) || telemetryHz < 0 || telemetryHz > 1000) {
    throw new UsageError(`--telemetry-hz must be a number from 0 to 1000, got '${values['telemetry-hz']}'.`);
  }
  const contactCount = wholeNumber('contacts', values.contacts, 1, 32) ?? 8;
  const watchdogMs = wholeNumber('watchdog-ms', values['watchdog-ms'], 1, 3_600_000) ?? 2000;
  const impedances: ImpedanceReading[] = [];
  for (const text of values.impedance ?? []) {
    const setting = parseImpedanceFlag(text, contactCount);
    if (!setting.ok) throw new UsageError(`--impedance: ${setting.reason}.`);
    impedances[setting.contact - 1] = setting.reading;
  }

  const json = values.json === true;
  const log = json ? io.stderr : io.stdout;
  const stamp = (): string => new Date().toISOString().slice(11, 23);
  const say = (message: string): void => void log.write(`[${stamp()}] ${message}\n`);

  if (values.link !== undefined) {
    const problem = linkPathProblem(values.link);
    if (problem) throw new UserError(`--link ${values.link}: ${problem}. Choose another path.`);
  }
  const { startPtyGenerator } = await loadPtySimulator();
  let gen: PtyGenerator;
  try {
    gen = await startPtyGenerator({
      telemetryHz,
      // Contacts not given keep their default (resolveGeneratorConfig fills the holes).
      config: { contactCount, watchdogMs, impedances },
      faults: {
        seed,
        inbound: direction === 'outbound' ? {} : rates,
        outbound: direction === 'inbound' ? {} : rates,
      },
      log: say,
      ...(values.link ? { linkPath: values.link } : {}),
    });
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (values.link !== undefined && (err.syscall === 'symlink' || /symlink/.test(err.message))) {
      throw new UserError(
        `--link ${values.link}: cannot create the link: ${err.code ?? err.message}. Choose another path.`,
      );
    }
    throw error;
  }
  const model = gen.server.model;
  const ready = (): void => {
    const where = values.link ?? gen.path;
    log.write(`Simulated generator ready on ${gen.path} — connect with: scs --port ${where}\n`);
  };
  const announceJson = (): void => {
    if (!json) return;
    const faults = Object.fromEntries(Object.entries(rates).filter(([, v]) => v !== undefined));
    const doc = {
      path: gen.path,
      link: values.link ?? null,
      serial: model.config.serial,
      firmware: model.config.firmware,
      bootId: model.bootId,
      protocol: PROTOCOL_VERSION,
      contacts: contactCount,
      watchdogMs,
      telemetryHz,
      impedances: model.impedances,
      faults: { ...faults, on: direction, seed },
      pid: process.pid,
    };
    io.stdout.write(`${JSON.stringify(doc)}\n`);
  };

  const { act, status } = simConsole(gen, contactCount, say, ready);

  return new Promise<number>((resolve) => {
    const onReset = (): void => void act('reset');
    const onReplug = (): void => void act('replug');
    const stdin = createInterface({ input: io.stdin, terminal: false });
    stdin.on('line', (line) => void act(line.trim()));
    const stop = (why: string): void => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
      process.off('SIGUSR1', onReset);
      process.off('SIGUSR2', onReplug);
      run.signal?.removeEventListener('abort', onAbort);
      stdin.close();
      say(`stopping (${why})`);
      status();
      void gen.close().then(() => resolve(0));
    };
    const onSigint = (): void => stop('SIGINT');
    const onSigterm = (): void => stop('SIGTERM');
    const onAbort = (): void => stop('aborted');
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
    process.on('SIGUSR1', onReset);
    process.on('SIGUSR2', onReplug);
    if (run.signal?.aborted) onAbort();
    else run.signal?.addEventListener('abort', onAbort);
    // Only now: a caller that reacts to these lines with a signal must find the handlers in place.
    announceJson();
    ready();
  });
}

/** `scs sim`: the generator simulator on a pseudo-terminal, for engineers and for `scs --port`. */
const command: Command = {
  summary: 'run the generator simulator on a pseudo-terminal (fault injection flags; --json)',
  run: (argv, io) => runSim(argv, io),
};
export default command;
