import type { GeneratorState } from '../../protocol/index.js';
import { INTENT_WORDS } from './notice-words.js';
import { notice, type Notice } from './notice.js';
import { describeProgram } from './program-words.js';
import { nextRampUa, type Ramp } from './ramp.js';
import { changedOutside, outsideChangeNotices, outsideWindowNotices } from './reconcile.js';
import type { IntentType, LinkOp, SessionData } from './session-types.js';

/** A request the link went down under before the generator confirmed it: what it asked for. */
export interface Unconfirmed {
  intent: string;
  /** The operations it was running (none for a ramp step or a measurement). */
  ops: LinkOp[];
  /** A ramp under way: its next step may have reached the generator. */
  ramp: Ramp | null;
}

type Asked = Partial<
  Pick<GeneratorState, 'output' | 'mode' | 'committed' | 'rateHz' | 'pulseWidthUs' | 'amplitudeUa' | 'contacts'>
>;

/** The generator facts the request would have left, later operations overriding earlier ones. */
function askedOf(u: Unconfirmed, before: GeneratorState | null): Asked {
  const asked: Asked = {};
  for (const op of u.ops) {
    if (op.op === 'setProgram') Object.assign(asked, op.program);
    if (op.op === 'setOutput')
      Object.assign(
        asked,
        op.on ? { output: 'on', mode: op.mode, committed: op.mode === 'therapy' } : { output: 'off' },
      );
  }
  if (u.ops.length === 0 && u.ramp && before)
    Object.assign(asked, u.ramp.program, { amplitudeUa: nextRampUa(u.ramp, before.amplitudeUa) });
  return asked;
}

const words = (intent: string) => INTENT_WORDS[intent as IntentType] ?? intent.toLowerCase();

/**
 * After a reconnection (not the session's first connection, not a reset; PROTOCOL.md §4.2, §10 step 6):
 * the state found is compared with what the companion's own last read or write left (`before`, rev
 * `expectedRev`). A request the link went down under is confirmed (rev moved and the generator holds
 * what it asked), found not applied (rev unchanged) or stays not confirmed (something else moved: shown
 * as found). Any other moved rev with another program is a change made outside the companion (H17),
 * warned at once with the measured window checked, as when it happens while connected.
 */
export function reconnectNotices(
  data: SessionData,
  expectedRev: number,
  state: GeneratorState,
  unconfirmed: Unconfirmed | null,
): { notices: Notice[]; externalChange: boolean } {
  const before = data.generator;
  const moved = state.programRev !== expectedRev;
  const asked = unconfirmed ? askedOf(unconfirmed, before) : {};
  if (unconfirmed && Object.keys(asked).length > 0) {
    const what = words(unconfirmed.intent);
    const now = describeProgram(state);
    const holds = (Object.keys(asked) as Array<keyof Asked>).every((k) => state[k] === asked[k]);
    if (!moved)
      return {
        notices: [
          notice(
            'info',
            'link',
            what,
            null,
            `not applied: after reconnection the generator's state is unchanged (rev ${expectedRev}); now ${now}`,
          ),
        ],
        externalChange: false,
      };
    if (holds)
      return {
        notices: [
          notice(
            'info',
            'link',
            what,
            null,
            `confirmed after reconnection: the generator had applied it before the link was lost (rev ${expectedRev} → ${state.programRev}); now ${now}`,
          ),
        ],
        externalChange: false,
      };
    return {
      notices: [
        notice(
          'warn',
          'program',
          expectedRev,
          state.programRev,
          `${what} not confirmed: after reconnection the generator holds ${now} (rev ${expectedRev} → ${state.programRev}), not what was asked; shown as found, not overwritten`,
        ),
        ...outsideWindowNotices(data, state),
      ],
      externalChange: true,
    };
  }
  const external = moved && changedOutside(before, state);
  return { notices: external ? outsideChangeNotices(data, expectedRev, state) : [], externalChange: external };
}
