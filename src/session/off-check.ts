import type { GeneratorState } from '../../protocol/index.js';
import { explainedBy } from './reconnect-check.js';

/**
 * PROTOCOL.md §4.4, §4.5, §3.4 (bb3 F-H1): the state after the companion's own `output off` or STOP is
 * explained when `rev` moved by exactly what turning output off explains since the companion's last
 * read (+1 if output was on, +0 if it was off; a watchdog stop in between is that same one change) and
 * the program is the one the companion left. Otherwise another controller changed the generator just
 * before the off (an off is never refused for `rev`): the off stands confirmed, but the state found is a
 * change made outside the companion (H17). The same comparison as a request settled on reconnection.
 */
export function offExplained(before: GeneratorState, expectedRev: number, state: GeneratorState): boolean {
  const off: GeneratorState = { ...before, output: 'off', mode: 'none', committed: false };
  return explainedBy(off, expectedRev, before.output === 'on' ? 1 : 0, state);
}
