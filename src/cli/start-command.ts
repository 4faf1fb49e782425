import { parseCommandLine } from '../shared/parse-command-line.js';
import type { Command, CommandIo } from './command.js';
import { UserError, UsageError } from '../errors/user-error.js';
import { LinkError, type GeneratorLink } from '../link/generator-link.js';
import { describeEvent, describeHandshake, describeState, describeStatus } from '../link/describe-link.js';
import { DEFAULT_BAUD } from '../link/port-opener.js';
import { STOP_ON_EXIT_TIMEOUT_MS, confirmStop } from '../session/confirm-stop.js';

const HELP = `Usage: scs [start] [--port PATH] [--baud N] [--plain] [--duration MS] [--patient ID] [--data-dir DIR]
                 [--audit FILE] [--database-url URL]

Opens the companion. Without --port it runs against the built-in generator simulator.

Options:
  --port PATH     serial port of the generator (see 'scs ports'; a pseudo-terminal from 'scs sim' works too)
  --baud N        baud rate (default ${DEFAULT_BAUD})
  --plain         plain status lines instead of the terminal UI (also used when stdin is not a terminal)
  --patient ID    open this patient's diary on the UI's diary screen
                  and bind the UI's session to the generator stored for the patient: another
                  serial number or protocol version blocks programming until re-bound (key B)
  --data-dir DIR  where the diary is stored (see 'scs diary --help')
  --audit FILE    the bedside UI's hash-chained audit log in FILE (mode 0600); by default every UI
                  session writes one to the data directory, named session-DATE-SERIAL.jsonl
                  (the start in UTC and the generator's serial number); the path is printed on quit.
                  The plain status lines program nothing and write no log: --audit with --plain or
                  --duration is refused
  --database-url URL  the diary on PostgreSQL (default $SCS_DATABASE_URL; see 'scs db --help')
  --duration MS   stop after MS milliseconds (for scripts)
  --help          show this help

On a terminal it opens the bedside UI (press ? for its keys; Space is STOP on every screen).
Otherwise, and with --plain or --duration, it prints the connection status, the generator's
identity, limits and state, then its telemetry (changes at once, otherwise once a second) and
events. It runs until Ctrl+C (or SIGINT/SIGTERM), which first sends STOP and waits for the
generator to confirm output off. When stdin is not a terminal (CI, a pipe, < /dev/null) and
without --duration it also ends when stdin reaches end of file, after connecting and printing the
generator's state once.
`;

export interface PlainStatusOptions {
  /** End after this many ms. */
  durationMs?: number;
  /** Abort to end (Ctrl+C). */
  signal?: AbortSignal;
  /** End when stdin reaches end of file (after connecting). Default: when stdin is not a TTY. */
  untilStdinEnds?: boolean;
  /** Unchanged telemetry prints at most this often; a change prints at once. Default 1000 ms. */
  telemetryEveryMs?: number;
}

export type PlainStatusEnd = 'duration' | 'stdin-closed' | 'aborted';

/**
 * Connects `link` and prints its status, handshake, telemetry and events as plain lines on io.stdout
 * until the duration passes, the signal aborts, or stdin ends. Does not close the link. Rejects with
 * the link's error when the first connection fails.
 */
export async function runPlainStatus(
  link: GeneratorLink,
  io: CommandIo,
  options: PlainStatusOptions = {},
): Promise<PlainStatusEnd> {
  const print = (line: string) => io.stdout.write(`${line}\n`);
  const every = options.telemetryEveryMs ?? 1000;
  let lastTelemetry = '';
  let lastTelemetryAt = 0;
  const unsubscribe = link.subscribe((event) => {
    switch (event.type) {
      case 'status':
        if (event.status !== 'connected') print(describeStatus(event.status, event.reason, link.description));
        break;
      case 'handshake':
        for (const line of describeHandshake(event.handshake, event.resetDetected, link.description)) print(line);
        break;
      case 'telemetry': {
        const text = describeState(event.state);
        const now = Date.now();
        if (text !== lastTelemetry || now - lastTelemetryAt >= every) {
          lastTelemetry = text;
          lastTelemetryAt = now;
          print(`telemetry: ${text}`);
        }
        break;
      }
      case 'generator-event':
        print(`event: ${describeEvent(event.event)}`);
        break;
      case 'error':
        print(`error: ${event.error.message}`);
        break;
    }
  });

  const cleanups: (() => void)[] = [unsubscribe];
  const stopped = new Promise<PlainStatusEnd>((resolve) => {
    if (options.durationMs !== undefined) {
      const timer = setTimeout(() => resolve('duration'), options.durationMs);
      cleanups.push(() => clearTimeout(timer));
    }
    const signal = options.signal;
    if (signal) {
      if (signal.aborted) resolve('aborted');
      const onAbort = () => resolve('aborted');
      signal.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => signal.removeEventListener('abort', onAbort));
    }
  });
  const stdinEnded = new Promise<PlainStatusEnd>((resolve) => {
    if (!(options.untilStdinEnds ?? !io.stdin.isTTY)) return;
    const onEnd = () => resolve('stdin-closed');
    const onData = () => {}; // consume input so 'end' can arrive
    io.stdin.on('end', onEnd);
    io.stdin.on('close', onEnd);
    io.stdin.on('data', onData);
    io.stdin.resume();
    cleanups.push(() => {
      io.stdin.off('end', onEnd);
      io.stdin.off('close', onEnd);
      io.stdin.off('data', onData);
      io.stdin.pause();
    });
  });

  try {
    const connected = link.connect();
    const first = await Promise.race([connected.then(() => undefined), stopped]);
    if (first !== undefined) {
      connected.catch(() => {}); // the caller closes the link; a late failure is of no interest
      return first;
    }
    return await Promise.race([stopped, stdinEnded]);
  } finally {
    for (const cleanup of cleanups) cleanup();
  }
}

/**
 * Sends STOP and waits (bounded, as every way out: confirmStop) for the generator to confirm output
 * off; says what happened. The plain lines set nothing themselves, but the generator may hold output
 * set elsewhere, so any link that is not down hears STOP ('connecting' too).
 */
export async function stopBeforeExit(
  link: GeneratorLink,
  io: CommandIo,
  timeoutMs = STOP_ON_EXIT_TIMEOUT_MS,
): Promise<boolean> {
  if (link.status === 'disconnected') return false;
  io.stdout.write('sending STOP to the generator before exit...\n');
  if ((await confirmStop(link, true, timeoutMs)) === true) {
    io.stdout.write('STOP confirmed: output off\n');
    return true;
  }
  io.stderr.write(
    `scs: STOP NOT confirmed by the generator within ${timeoutMs} ms. Check the generator: switch its output off by hand.\n`,
  );
  return false;
}

function wholeNumber(text: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got '${text}'.`);
  }
  return Number(text);
}

const OPTIONS = {
  port: { type: 'string' },
  baud: { type: 'string' },
  plain: { type: 'boolean' },
  duration: { type: 'string' },
  patient: { type: 'string' },
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
  audit: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function run(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseCommandLine(argv, { options: OPTIONS }, 'scs');
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (values.port === '')
    throw new UsageError("--port needs a path, e.g. --port /dev/ttyUSB0 (run 'scs ports' to list ports).");
  const baud = wholeNumber(values.baud, '--baud', 50, 4_000_000);
  const durationMs = wholeNumber(values.duration, '--duration', 0, 2_147_483_647);
  if (values.baud !== undefined && values.port === undefined)
    throw new UsageError('--baud applies to --port only; the built-in simulator has no baud rate.');
  if (values.audit === '') throw new UsageError('--audit needs a file path, e.g. --audit session.jsonl.');
  if (values.audit !== undefined && (values.plain || durationMs !== undefined))
    throw new UsageError(
      "--audit is the bedside UI's log; --plain and --duration only print status, program nothing and write no log.",
    );

  const { openGeneratorLink } = await import('../link/open-link.js');
  if (!values.plain && durationMs === undefined) {
    if (io.stdin.isTTY) {
      const { runBedsideUi } = await import('../ui/run-ui.js');
      return runBedsideUi({
        port: values.port,
        baud,
        patient: values.patient,
        dataDir: values['data-dir'],
        databaseUrl: values['database-url'],
        audit: values.audit,
        io,
        openLink: (t) => openGeneratorLink(t),
      });
    }
    io.stdout.write(`${(await import('../ui/needs-terminal.js')).NEEDS_TERMINAL}\n`);
    if (values.audit !== undefined)
      io.stderr.write(`scs: no audit log written to ${values.audit}: the plain status lines program nothing.\n`);
  }
  const link = openGeneratorLink({
    ...(values.port !== undefined ? { port: values.port } : {}),
    ...(baud !== undefined ? { baud } : {}),
  });
  if (link.source === 'simulator')
    io.stdout.write('using the built-in generator simulator (no hardware); connect a real one with --port PATH\n');

  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    received = signal;
    controller.abort();
  };
  // once: a second Ctrl+C while STOP is pending falls through to the default and ends the process.
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // With --duration the run lasts that long; otherwise, without a terminal, end of stdin ends it.
    const end = await runPlainStatus(link, io, {
      signal: controller.signal,
      ...(durationMs !== undefined ? { durationMs, untilStdinEnds: false } : {}),
    });
    if (end !== 'aborted') return 0;
    await stopBeforeExit(link, io);
    return received === 'SIGTERM' ? 143 : 130;
  } catch (error) {
    // Whatever went wrong, the generator hears STOP first (when there is a link to say it on).
    await stopBeforeExit(link, io);
    if (error instanceof LinkError) throw new UserError(`${link.description}: ${error.message}`);
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await link.close();
  }
}

/**
 * `scs` / `scs start` / `npm start`: opens the generator link (built-in simulator unless --port) and
 * the bedside UI on a terminal (src/ui/run-ui.tsx); with --plain or without a terminal it prints
 * connection status and live telemetry as plain lines.
 * Ctrl+C, SIGINT and SIGTERM send STOP to the generator before the process exits.
 */
const command: Command = {
  summary: 'open the companion (default; built-in simulator unless --port)',
  run,
};
export default command;
