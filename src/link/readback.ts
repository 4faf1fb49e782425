import type { GeneratorState } from '../../protocol/index.js';
import { OutputMismatchError, ReadbackMismatchError, type Program } from './generator-link.js';

/** Pure read-back checks: the companion's view must equal what the generator ACKed. */

export function programMatches(requested: Program, applied: GeneratorState): boolean {
  return (
    applied.rateHz === requested.rateHz &&
    applied.pulseWidthUs === requested.pulseWidthUs &&
    applied.amplitudeUa === requested.amplitudeUa &&
    applied.contacts === requested.contacts
  );
}

/** Output on must be on in the requested mode; output off must be off (its mode is then irrelevant). */
export function outputMatches(on: boolean, mode: 'test' | 'therapy', applied: GeneratorState): boolean {
  if (!on) return applied.output === 'off';
  return applied.output === 'on' && applied.mode === mode;
}

/** H10: the state a SET's ACK carries, when it holds the program asked for; any difference is an error. */
export function programApplied(program: Program, applied: GeneratorState): GeneratorState {
  if (!programMatches(program, applied)) throw new ReadbackMismatchError(program, applied);
  return applied;
}

/** The state an OUTPUT's ACK carries, when its output is what was asked for; any difference is an error. */
export function outputApplied(on: boolean, mode: 'test' | 'therapy', applied: GeneratorState): GeneratorState {
  if (!outputMatches(on, mode, applied)) throw new OutputMismatchError({ on, mode }, applied);
  return applied;
}
