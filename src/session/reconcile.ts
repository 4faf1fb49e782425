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
  next: Phase;
  externalChange: boolean;
}

export { describeProgram };

/**
 * The revision (protocol v2) also counts output changes the generator makes itself (watchdog, battery
 * empty; each reported by its own event): only a moved revision with another program, or output turned
 * on, is a change made outside the companion (H17), so those stops raise no false alarm (H14).
 */
function changedOutside(last: GeneratorState | null, now: GeneratorState): boolean {
  if (!last) return true;
  const program =
    last.rateHz !== now.rateHz ||
    last.pulseWidthUs !== now.pulseWidthUs ||
    last.amplitudeUa !== now.amplitudeUa ||
    last.contacts !== now.contacts;
  return program || (last.output === 'off' && now.output === 'on');
}

export function reconcile({ data, state, expectedRev, reason, bound, reset }: SyncInput): SyncResult {
  const notices: Notice[] = [];
  const externalChange =
    expectedRev !== null &&
    state.programRev !== expectedRev &&
    reason !== 'reset' &&
    reason !== 'connect' &&
    changedOutside(data.generator, state);
  if (externalChange) {
    notices.push(
      notice(
        'warn',
        'program',
        expectedRev,
        state.programRev,
        `the generator's program was changed outside the companion (rev ${expectedRev} → ${state.programRev}): now ${describeProgram(state)}; shown as found, not overwritten`,
      ),
    );
  }
  const after = { ...data, generator: state };
  if (externalChange && state.output === 'on' && measuredWindow(after)) {
    const w = measuredWindow(after)!;
    if (state.amplitudeUa > w.highUa || state.amplitudeUa < w.lowUa) {
      notices.push(
        notice(
          'warn',
          'amplitude',
          uaToMa(state.amplitudeUa),
          uaToMa(state.amplitudeUa),
          `outside the measured window ${uaToMa(w.lowUa)}–${uaToMa(w.highUa)} mA`,
        ),
      );
    }
  }
  if (reason === 'reset' && !reset?.reported) notices.push(resetNotice(reset?.lost ?? null, state));
  if (!bound) return { notices, ops: [], next: 'blocked', externalChange };
  if (state.output === 'off') return { notices, ops: [], next: 'ready', externalChange };
  const uncommittedTest = state.mode !== 'therapy' || !state.committed;
  if (uncommittedTest && (reason === 'link-restored' || reason === 'reset')) {
    notices.push(notice('warn', 'output', 'on', 'off', 'uncommitted test stimulation stops after a link loss'));
    return {
      notices,
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
