import type { GeneratorState } from '../../protocol/index.js';
import { OutputMismatchError, ReadbackMismatchError } from '../link/generator-link.js';

/**
 * H10 / H17: what the companion expected the generator to hold differs from what the generator
 * reports. Kept until the person acknowledges it or a re-read finds the generator holding what was
 * expected; never resolved by writing over it.
 */

export type MismatchKind =
  /** The generator ACKed a program other than the one sent (ReadbackMismatchError). */
  | 'readback'
  /** The generator ACKed an output state other than the one asked for (OutputMismatchError). */
  | 'output'
  /** The program was changed outside the companion (another controller; programRev moved). */
  | 'external'
  /** The generator was reset: what it ran before is gone (expected = what it held before). */
  | 'reset';

/** The generator facts a mismatch compares, as the generator speaks them (Hz, µs, µA, + - 0). */
export interface GeneratorFacts {
  rateHz: number;
  pulseWidthUs: number;
  amplitudeUa: number;
  contacts: string;
  output: 'on' | 'off';
  mode: string;
}
export type Fact = keyof GeneratorFacts;

export interface Mismatch {
  kind: MismatchKind;
  /** What the companion expected (only the facts it had an expectation about). */
  expected: Partial<GeneratorFacts>;
  /** What the generator reports now (its latest read-back). */
  reported: GeneratorFacts;
  /** The expected facts the generator disagrees with, in a fixed order. */
  fields: Fact[];
  /** When the difference was first seen (ms, the session's clock); kept while it lasts. */
  since: number;
}

const FACTS: readonly Fact[] = ['output', 'mode', 'amplitudeUa', 'rateHz', 'pulseWidthUs', 'contacts'];
const PROGRAM: readonly Fact[] = ['amplitudeUa', 'rateHz', 'pulseWidthUs', 'contacts'];

export function factsOf(s: GeneratorState): GeneratorFacts {
  return {
    rateHz: s.rateHz,
    pulseWidthUs: s.pulseWidthUs,
    amplitudeUa: s.amplitudeUa,
    contacts: s.contacts,
    output: s.output,
    mode: s.mode,
  };
}

export function differingFacts(expected: Partial<GeneratorFacts>, reported: GeneratorFacts): Fact[] {
  return FACTS.filter((f) => expected[f] !== undefined && expected[f] !== reported[f]);
}

/** A new finding; an earlier unresolved one keeps its `since` (the difference has lasted since then). */
function found(
  previous: Mismatch | null,
  kind: MismatchKind,
  expected: Partial<GeneratorFacts>,
  state: GeneratorState,
  at: number,
): Mismatch | null {
  const reported = factsOf(state);
  const fields = differingFacts(expected, reported);
  if (fields.length === 0) return reviewMismatch(previous, state);
  return { kind, expected, reported, fields, since: previous?.since ?? at };
}

/** A read-back or output mismatch reported by the link, or null for any other error. */
export function mismatchFromError(previous: Mismatch | null, error: unknown, at: number): Mismatch | null {
  if (error instanceof ReadbackMismatchError) {
    const r = error.requested;
    return found(
      previous,
      'readback',
      { rateHz: r.rateHz, pulseWidthUs: r.pulseWidthUs, amplitudeUa: r.amplitudeUa, contacts: r.contacts },
      error.applied,
      at,
    );
  }
  if (error instanceof OutputMismatchError) {
    const expected: Partial<GeneratorFacts> = error.requested.on
      ? { output: 'on', ...(error.requested.mode ? { mode: error.requested.mode } : {}) }
      : { output: 'off' };
    return found(previous, 'output', expected, error.applied, at);
  }
  return previous;
}

/** The program changed outside the companion: the last read-back's program was expected. */
export function externalMismatch(
  previous: Mismatch | null,
  lastSeen: GeneratorState | null,
  state: GeneratorState,
  at: number,
): Mismatch | null {
  if (previous) return reviewMismatch(previous, state);
  if (!lastSeen) return null;
  const was = factsOf(lastSeen);
  return found(
    null,
    'external',
    Object.fromEntries(PROGRAM.map((f) => [f, was[f]])) as Partial<GeneratorFacts>,
    state,
    at,
  );
}

/** A reset: whatever was shown before is replaced by what the reset lost (program and output). */
export function resetMismatch(lost: GeneratorState | null, state: GeneratorState, at: number): Mismatch | null {
  if (!lost) return null;
  return found(null, 'reset', factsOf(lost), state, at);
}

/**
 * The companion itself has just set these facts and the generator read them back: what it expected
 * of them is now what it set, so an older difference in them is over (it would otherwise go stale,
 * e.g. "amplitude expected 0.30 mA" after the clinician set 0.60 mA on purpose).
 */
export function supersedeMismatch(
  m: Mismatch | null,
  state: GeneratorState,
  written: readonly Fact[],
): Mismatch | null {
  if (!m) return null;
  const now = factsOf(state);
  const expected: Partial<GeneratorFacts> = { ...m.expected };
  for (const f of written) if (expected[f] !== undefined) (expected as Record<Fact, unknown>)[f] = now[f];
  return reviewMismatch({ ...m, expected }, state);
}

/** A re-read: resolved when the generator holds every expected fact, otherwise its report is updated. */
export function reviewMismatch(m: Mismatch | null, state: GeneratorState): Mismatch | null {
  if (!m) return null;
  const reported = factsOf(state);
  const fields = differingFacts(m.expected, reported);
  return fields.length === 0 ? null : { ...m, reported, fields };
}
