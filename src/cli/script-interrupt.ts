import type { GeneratorLink } from '../link/generator-link.js';
import { confirmStop } from '../session/confirm-stop.js';
import type { SessionController } from '../session/session-controller.js';
import { EXIT_SIGNALS, type ExitSignal } from '../shared/exit-signals.js';
import type { CommandIo } from './command.js';

/** The exit signals of a running script: the first interrupts it, a second one insists. */
export interface ExitSignalWatch {
  /** Resolves with the first signal. */
  interrupted: Promise<ExitSignal>;
  /** Aborted on the first signal: the script sends no further line. */
  signal: AbortSignal;
  /** Resolves on a second signal: the person will not wait for the STOP's confirmation. */
  insisted: Promise<void>;
  off(): void;
}

/** Listens for SIGINT, SIGTERM and SIGHUP from now on (a signal without a listener kills the process outright). */
export function watchExitSignals(signals: NodeJS.EventEmitter): ExitSignalWatch {
  const abort = new AbortController();
  let interrupt: (signal: ExitSignal) => void = () => {};
  let insist: () => void = () => {};
  const interrupted = new Promise<ExitSignal>((resolve) => (interrupt = resolve));
  const insisted = new Promise<void>((resolve) => (insist = resolve));
  const handlers = Object.keys(EXIT_SIGNALS).map((name) => {
    const handler = () => {
      if (abort.signal.aborted) return insist();
      abort.abort();
      interrupt(name as ExitSignal);
    };
    signals.on(name, handler);
    return [name, handler] as const;
  });
  return {
    interrupted,
    insisted,
    signal: abort.signal,
    off: () => handlers.forEach(([name, handler]) => signals.off(name, handler)),
  };
}

/**
 * An interrupted script ends as the bedside UI does (README, safety model): STOP first, through the
 * session and directly on the link, then up to 3 s for the generator to confirm output off, said on
 * stderr; the exit code is the signal's (130, 143, 129).
 */
export async function stopOnInterrupt(
  signal: ExitSignal,
  controller: SessionController,
  link: GeneratorLink,
  watch: ExitSignalWatch,
  io: CommandIo,
): Promise<number> {
  io.stderr.write(`scs: ${signal}: sending STOP to the generator before exit\n`);
  controller.send({ type: 'STOP' });
  const confirmed = await Promise.race([
    confirmStop(link, controller.view().generator !== null),
    watch.insisted.then(() => 'insisted' as const),
  ]);
  if (confirmed === true) io.stderr.write('scs: STOP confirmed by the generator: output off.\n');
  if (confirmed === 'never-connected')
    io.stderr.write('scs: no generator was connected (none answered), so this companion had set no output to stop.\n');
  if (confirmed === false)
    io.stderr.write('scs: STOP NOT confirmed by the generator. Check it and switch its output off by hand.\n');
  if (confirmed === 'insisted')
    io.stderr.write('scs: exiting without waiting for the STOP to be confirmed. Check the generator.\n');
  return EXIT_SIGNALS[signal];
}
