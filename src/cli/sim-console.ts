import type { PtyGenerator } from '../../firmware-sim/pty-generator.js';
import { parseRemoteCommand } from '../../firmware-sim/remote-command.js';
import { parseImpedanceSetting } from '../../firmware-sim/impedance-setting.js';

/** What `scs sim` reads while it runs: one command per line, or the signal that stands for it. */
export interface SimConsole {
  /** Runs one typed command (reset, unplug, replug, status, remote …, impedance …); unknown ones are named. */
  act(command: string): Promise<void>;
  /** Logs the counters and the generator state. */
  status(): void;
}

/**
 * The running simulator's console: `reset`, `unplug`, `replug` (then `ready()` prints the new path),
 * `status`, `remote amp|rate|pw|contacts …` (the patient's remote changing the program, H17) and
 * `impedance C OHMS|open|short`. Every answer goes to `say`, the simulator's log.
 */
export function simConsole(
  gen: PtyGenerator,
  contactCount: number,
  say: (message: string) => void,
  ready: () => void,
): SimConsole {
  const model = gen.server.model;
  const status = (): void => {
    say(`counters ${JSON.stringify(gen.server.counters)} faults ${JSON.stringify(gen.server.faults.counts)}`);
    say(`state ${JSON.stringify(model.state)}`);
  };
  const remote = (command: string): void => {
    const parsed = parseRemoteCommand(command, model.state);
    if (!parsed.ok) return say(`remote: ${parsed.reason}`);
    const { rateHz, pulseWidthUs, amplitudeUa, contacts } = parsed.program;
    try {
      gen.server.externalChange({ rateHz, pulseWidthUs, amplitudeUa, contacts });
      say(
        `remote changed the program: rev ${model.state.programRev}, ${rateHz} Hz, ${pulseWidthUs} us, ${amplitudeUa} uA, ${contacts}`,
      );
    } catch (e) {
      say(`remote: ${(e as Error).message}`);
    }
  };
  const impedance = (command: string): void => {
    const words = command.split(/\s+/);
    const setting =
      words.length === 3
        ? parseImpedanceSetting(words[1]!, words[2]!, contactCount)
        : { ok: false as const, reason: 'expected impedance CONTACT OHMS|open|short' };
    if (!setting.ok) return say(`impedance: ${setting.reason}`);
    model.setImpedance(setting.contact, setting.reading);
    say(
      `contact ${setting.contact} impedance now ${setting.reading}${typeof setting.reading === 'number' ? ' ohms' : ''}`,
    );
  };
  const act = async (command: string): Promise<void> => {
    if (command === 'reset') gen.server.reset();
    else if (command === 'unplug') gen.unplug();
    else if (command === 'replug') {
      await gen.replug();
      ready();
    } else if (command === 'status') status();
    else if (command.startsWith('remote')) remote(command);
    else if (command.startsWith('impedance')) impedance(command);
    else if (command !== '') say(`unknown command '${command}': reset, unplug, replug, status, remote or impedance`);
  };
  return { act, status };
}
