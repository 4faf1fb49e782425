import type { GeneratorState } from '../../protocol/index.js';
import { resetNotice } from './generator-event-words.js';
import { notice, type Notice } from './notice.js';
import { describeProgram } from './program-words.js';
import type { LinkOp, Phase, SessionData } from './session-types.js';
import { measuredWindow } from './threshold-store.js';
import { uaToMa } from './units.js';

/**
 * After every interrogation: compare what the generator reports with what the session last saw, say
 * what changed without us (H17), stop uncommitted test stimulation after a link loss or reset, and
 * choose the state that matches the generator. Never turns output on.
 */

export type SyncReason = 'connect' | 'link-restored' | 'reset' | 'refresh' | 'telemetry' | 'event' | 'error' | 'rebind';

export interface SyncInput {
  data: SessionData;
  state: GeneratorState;
  /** programRev of our last read-back; null right after a (re)connection to a new boot. */
  expectedRev: number | null;
  reason: SyncReason;
  bound: boolean;
  /**
   * On a reset: what the generator held before it (null when unknown), and whether this reset was
   * already reported (the generator's boot event and the new handshake both lead here).
   */
  reset?: { lost: GeneratorState | null; reported: boolean };
}

export interface SyncResult {
  notices: Notice[];
  ops: LinkOp[];
  /** Said only once the generator has confirmed `ops` (bb5-N3: never "stops" while it may still run). */
  confirmed?: Notice[];
  next: Phase;
  externalChange: boolean;
}

export { describeProgram };

/**
 * The revision (protocol v2) also counts output changes the generator makes itself (watchdog, battery
 * empty; each reported by its own event): only a moved revision with another program, or output turned
 * on, is a change made outside the companion (H17), so those stops raise no false alarm (H14).
 */
export function changedOutside(last: GeneratorState | null, now: GeneratorState): boolean {
  if (!last) return true;
  const program =
    last.rateHz !== now.rateHz ||
    last.pulseWidthUs !== now.pulseWidthUs ||
    last.amplitudeUa !== now.amplitudeUa ||
    last.contacts !== now.contacts;
  return program || (last.output === 'off' && now.output === 'on');
}

/**
 * H17 in words: the warning for a program found changed elsewhere (rev `expectedRev` → the state's),
 * and the amplitude checked against the measured window (also drawn as a `!!` line).
 */
export function outsideChangeNotices(data: SessionData, expectedRev: number, state: GeneratorState): Notice[] {
  return [
    // Clinician words in the values (bb3 F-L5): the program the companion left, the one found; the rev only in the reason.
    notice(
      'warn',
      'program',
      data.generator ? describeProgram(data.generator) : null,
      describeProgram(state),
      `the generator's program was changed outside the companion (rev ${expectedRev} → ${state.programRev}): now ${describeProgram(state)}; shown as found, not overwritten`,
    ),
    ...outsideWindowNotices(data, state),
  ];
}

/**
 * With a measured window: an amplitude outside it is warned about at once. With output off only one
 * above it is (bb3 F-L9): the program holds it, and output turned on elsewhere (the patient's remote)
 * would deliver it; the companion's own output on starts at 0 mA, so below the window is harmless then.
 */
export function outsideWindowNotices(data: SessionData, state: GeneratorState): Notice[] {
  const w = measuredWindow({ ...data, generator: state });
  if (!w) return [];
  if (state.amplitudeUa <= w.highUa && (state.amplitudeUa >= w.lowUa || state.output !== 'on')) return [];
  const ma = uaToMa(state.amplitudeUa);
  const window = `${uaToMa(w.lowUa)}–${uaToMa(w.highUa)} mA`;
  if (state.output === 'on') return [notice('warn', 'amplitude', ma, ma, `outside the measured window ${window}`)];
  return [
    notice(
      'warn',
      'amplitude',
      ma,
      ma,
      `programmed above the measured window ${window} while output is off: output turned on elsewhere (the patient's remote) would deliver ${ma} mA; bring it down into the window first (key v, or amp down)`,
    ),
  ];
}

export function reconcile({ data, state, expectedRev, reason, bound, reset }: SyncInput): SyncResult {
  const externalChange =
    expectedRev !== null &&
    state.programRev !== expectedRev &&
    reason !== 'reset' &&
    reason !== 'connect' &&
    changedOutside(data.generator, state);
  const notices: Notice[] = externalChange ? outsideChangeNotices(data, expectedRev, state) : [];
  const after = { ...data, generator: state };
  if (reason === 'reset' && !reset?.reported) notices.push(resetNotice(reset?.lost ?? null, state));
  if (!bound) return { notices, ops: [], next: 'blocked', externalChange };
  if (state.output === 'off') return { notices, ops: [], next: 'ready', externalChange };
  const uncommittedTest = state.mode !== 'therapy' || !state.committed;
  if (uncommittedTest && (reason === 'link-restored' || reason === 'reset')) {
    return {
      notices,
      confirmed: [notice('warn', 'output', 'on', 'off', 'uncommitted test stimulation stops after a link loss')],
      ops: [{ op: 'setOutput', on: false, mode: state.mode === 'therapy' ? 'therapy' : 'test' }],
      next: 'ready',
      externalChange,
    };
  }
  if (state.mode === 'therapy') return { notices, ops: [], next: 'therapy', externalChange };
  const windowed = measuredWindow(after) !== null;
  if (data.phase === 'search') return { notices, ops: [], next: 'search', externalChange };
  if (data.phase === 'tuning' && windowed) return { notices, ops: [], next: 'tuning', externalChange };
  return { notices, ops: [], next: windowed ? 'tuning' : 'search', externalChange };
}
