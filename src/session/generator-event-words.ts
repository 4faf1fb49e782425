import type { GeneratorEvent, GeneratorState } from '../../protocol/index.js';
import { notice, type Notice } from './notice.js';
import { describeProgram } from './program-words.js';
import { uaToMa } from './units.js';

/**
 * What the generator tells on its own (events) and what a reset cost, in the clinician's words: a
 * reset is a reset, with what was lost, never "a program changed outside the companion".
 */

const STOPPED_BECAUSE: Record<string, string> = {
  'link-loss': 'the link to the companion was lost (its watchdog)',
  'stop-request': 'a STOP was asked for',
  'battery-empty': 'its battery is empty',
  fault: 'a fault',
  reset: 'a reset',
};

/** One sentence for a generator event. */
export function generatorEventSentence(e: Pick<GeneratorEvent, 'kind' | 'reason'>): string {
  switch (e.kind) {
    case 'stopped':
      return `The generator stopped its output by itself${e.reason ? `: ${STOPPED_BECAUSE[e.reason] ?? e.reason.replace(/-/g, ' ')}` : ''}.`;
    case 'boot':
      return 'The generator restarted (a reset); its state is being read again.';
    case 'program-changed':
      return "The generator reports that its program was changed by another controller (such as the patient's remote); it is being read again.";
    case 'battery':
      return e.reason === 'empty'
        ? 'The generator reports its battery is empty.'
        : `The generator reports a battery warning${e.reason ? ` (${e.reason.replace(/-/g, ' ')})` : ''}.`;
    case 'fault':
      return `The generator reports a fault${e.reason ? ` (${e.reason.replace(/-/g, ' ')})` : ''}.`;
  }
}

export function generatorEventNotice(e: Pick<GeneratorEvent, 'kind' | 'reason'>): Notice {
  return notice('warn', 'generator', null, null, generatorEventSentence(e));
}

/** The reason of every reset notice starts so, for readers that sort notices (event lines). */
export const RESET_REASON = 'The generator was reset';

/** What the reset cost: what ran before (if known) against what the generator holds now. */
export function resetNotice(lost: GeneratorState | null, now: GeneratorState): Notice {
  let cost: string;
  if (!lost) cost = 'what it ran before is not known';
  else if (lost.output === 'on') {
    const what = lost.mode === 'therapy' && lost.committed ? 'committed therapy' : 'test stimulation';
    cost = `${what} at ${uaToMa(lost.amplitudeUa)} mA stopped and its program (${describeProgram(lost)}) is lost`;
  } else
    cost =
      lost.amplitudeUa !== now.amplitudeUa ||
      lost.contacts !== now.contacts ||
      lost.rateHz !== now.rateHz ||
      lost.pulseWidthUs !== now.pulseWidthUs
        ? `its program (${describeProgram(lost)}) is lost`
        : 'output was already off; nothing was lost';
  return notice(
    'warn',
    'generator',
    lost ? describeProgram(lost) : null,
    describeProgram(now),
    `${RESET_REASON} (it restarted): ${cost}. It now holds ${describeProgram(now)}. Output was not turned on again.`,
  );
}
