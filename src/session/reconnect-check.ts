import type { GeneratorState } from '../../protocol/index.js';
import { askedWords } from './notice-words.js';
import { notice, type Notice } from './notice.js';
import { describeProgram } from './program-words.js';
import { rampCutNotice } from './ramp-cut.js';
import { nextRampUa, type Ramp } from './ramp.js';
import { changedOutside, outsideChangeNotices, outsideWindowNotices } from './reconcile.js';
import type { LinkOp, SessionData } from './session-types.js';

/** A request the link went down under before the generator confirmed it: what it asked for. */
export interface Unconfirmed {
  intent: string;
  /** The operations it was running (none for a ramp step or a measurement). */
  ops: LinkOp[];
  /** A ramp under way: its next step may have reached the generator. */
  ramp: Ramp | null;
  /** What it asked, in the clinician's words, as said when the link went down (bb4-L1). */
  asked?: string;
}

type Asked = Partial<
  Pick<GeneratorState, 'output' | 'mode' | 'committed' | 'rateHz' | 'pulseWidthUs' | 'amplitudeUa' | 'contacts'>
>;

/** What the request would leave: the facts it asks for and how many revisions that moves (PROTOCOL §3.4). */
interface Explained {
  asked: Asked;
  /** One per operation that changes something; a write of the values already held moves nothing. */
  writes: number;
}

const differs = (a: Asked, b: Asked) => (Object.keys(b) as Array<keyof Asked>).some((k) => a[k] !== b[k]);

/** The generator facts the request would have left, later operations overriding earlier ones. */
function explainedOf(u: Unconfirmed, before: GeneratorState | null): Explained {
  const asked: Asked = {};
  let writes = 0;
  const apply = (part: Asked) => {
    if (!before || differs({ ...before, ...asked }, part)) writes += 1;
    Object.assign(asked, part);
  };
  for (const op of u.ops) {
    if (op.op === 'setProgram') apply(op.program);
    if (op.op === 'setOutput')
      apply(op.on ? { output: 'on', mode: op.mode, committed: op.mode === 'therapy' } : { output: 'off' });
  }
  if (u.ops.length === 0 && u.ramp && before)
    apply({ ...u.ramp.program, amplitudeUa: nextRampUa(u.ramp, before.amplitudeUa) });
  return { asked, writes };
}

const REV_SPAN = 1_000_000_000;
const revPlus = (rev: number, n: number) => (rev + n) % REV_SPAN;

/** Program and output facts equal (mode and commitment only matter while output is on). */
function sameState(a: GeneratorState, b: GeneratorState): boolean {
  const program =
    a.rateHz === b.rateHz &&
    a.pulseWidthUs === b.pulseWidthUs &&
    a.amplitudeUa === b.amplitudeUa &&
    a.contacts === b.contacts;
  if (!program || a.output !== b.output) return false;
  return a.output === 'off' || (a.mode === b.mode && a.committed === b.committed);
}

/**
 * PROTOCOL.md §10 step 6, §3.4: `state` is exactly what `base` (rev `baseRev`) becomes after `revs`
 * changes of our own, allowing the one change the watchdog makes to uncommitted test output left
 * running while the link was down (§4.5: "a watchdog or battery stop in between is that same one change").
 * Any other moved `rev` or any other value is a change made elsewhere.
 */
export function explainedBy(base: GeneratorState, baseRev: number, revs: number, state: GeneratorState): boolean {
  if (state.programRev === revPlus(baseRev, revs) && sameState(base, state)) return true;
  const watchdogStops = base.output === 'on' && !base.committed;
  const stopped: GeneratorState = { ...base, output: 'off', mode: 'none', committed: false };
  return watchdogStops && state.programRev === revPlus(baseRev, revs + 1) && sameState(stopped, state);
}

/**
 * How the state found on reconnection settles a request the link went down under (PROTOCOL.md §10
 * step 6): `confirmed` when `rev` moved by exactly the request's own writes and the generator holds
 * what was asked with the rest as the companion left it, `notApplied` when it holds what the companion
 * left, `elsewhere` otherwise (not confirmed; shown as found; a change made outside the companion, H17).
 * One comparison for every request (a SET, `commit`'s OUTPUT, a ramp step): not a copy per path.
 * A ramp's step that ran short of the ramp's target is `rampCut`: the generator holds a step, not what
 * was asked, so it is never confirmed (bb6-N5).
 */
export function settleUnconfirmed(
  before: GeneratorState,
  expectedRev: number,
  u: Unconfirmed,
  state: GeneratorState,
): 'confirmed' | 'rampCut' | 'notApplied' | 'elsewhere' | 'nothingAsked' {
  const { asked, writes } = explainedOf(u, before);
  if (Object.keys(asked).length === 0) return 'nothingAsked';
  if (state.programRev === expectedRev) return 'notApplied';
  const applied: GeneratorState = { ...before, ...asked };
  const short = u.ops.length === 0 && !!u.ramp && asked.amplitudeUa !== u.ramp.targetUa;
  if (explainedBy(applied, expectedRev, writes, state)) return short ? 'rampCut' : 'confirmed';
  if (explainedBy(before, expectedRev, 0, state)) return 'notApplied';
  return 'elsewhere';
}

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
  const settled = unconfirmed && before ? settleUnconfirmed(before, expectedRev, unconfirmed, state) : 'nothingAsked';
  if (unconfirmed && settled !== 'nothingAsked') {
    const what = unconfirmed.asked ?? askedWords(unconfirmed);
    const now = describeProgram(state);
    const info = (reason: string) => ({ notices: [notice('info', 'link', what, null, reason)], externalChange: false });
    if (settled === 'notApplied')
      return info(
        moved
          ? `not applied: after reconnection the generator holds what the companion left, output stopped by the link loss (rev ${expectedRev} → ${state.programRev}); now ${now}`
          : `not applied: after reconnection the generator's state is unchanged (rev ${expectedRev}); now ${now}`,
      );
    if (settled === 'rampCut' && unconfirmed.ramp)
      return {
        notices: [
          rampCutNotice(
            {
              targetUa: unconfirmed.ramp.targetUa,
              why: `the link was lost after one more step reached the generator (rev ${expectedRev} → ${state.programRev})`,
            },
            state,
          ),
        ],
        externalChange: false,
      };
    if (settled === 'confirmed')
      return info(
        `confirmed after reconnection: the generator had applied it before the link was lost (rev ${expectedRev} → ${state.programRev}); now ${now}`,
      );
    return {
      notices: [
        notice(
          'warn',
          'program',
          what,
          now,
          `${what} not confirmed: after reconnection the generator holds ${now} (rev ${expectedRev} → ${state.programRev}), not what was asked: its program was changed outside the companion; shown as found, not overwritten`,
        ),
        ...outsideWindowNotices(data, state),
      ],
      externalChange: true,
    };
  }
  const external = moved && changedOutside(before, state);
  return { notices: external ? outsideChangeNotices(data, expectedRev, state) : [], externalChange: external };
}
