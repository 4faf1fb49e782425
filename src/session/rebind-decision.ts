import type { Binding } from './session-context.js';

export type RebindDecision = 'store' | 'already' | 'conflict';

export const sameBinding = (a: Binding | null, b: Binding | null): boolean =>
  a === null || b === null ? a === b : a.serial === b.serial && a.proto === b.proto;

/**
 * H13 when a re-bind made on a station reaches the server late (it was made while PostgreSQL was
 * away): stored only when the server still binds the patient to what the station replaced (its
 * base); already there when the server binds them to the same generator; otherwise a conflict: another
 * station re-bound the patient meanwhile, and the server's binding is never silently overwritten.
 */
export function decideRebind(base: Binding | null, wanted: Binding, onServer: Binding | null): RebindDecision {
  if (sameBinding(onServer, wanted)) return 'already';
  return sameBinding(onServer, base) ? 'store' : 'conflict';
}

/** "SIM-000111 v2" */
export const bindingText = (b: Binding): string => `${b.serial} v${b.proto}`;
