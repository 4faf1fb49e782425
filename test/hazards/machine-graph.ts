import type { AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { INTENT_TYPES } from '../../src/session/session-types.js';

/**
 * The session machine as a plain directed graph, read from the machine's own state nodes (not from a
 * copy of its config), for H2 path checks. Each top-level state gets its own transitions, its
 * `always` transitions (event ''), and the root's transitions for every event it does not handle
 * itself (xstate v5 lets an unhandled event bubble to the parent). Guards are kept as a flag: a path
 * over guarded edges is possible, not certain; the checks say which edges they trust.
 */

export interface Edge {
  from: string;
  event: string;
  to: string;
  guard: string | null;
  actions: string[];
}

/** Events a person chooses (intents, re-bind, refresh); everything else happens without a choice. */
export const PERSON_EVENTS = new Set<string>([...INTENT_TYPES, 'REBIND', 'REFRESH']);

function nameOf(x: unknown): string {
  if (typeof x === 'string') return x;
  if (x && typeof x === 'object' && 'type' in x && typeof (x as { type: unknown }).type === 'string')
    return (x as { type: string }).type;
  return typeof x === 'function' ? 'inline' : String(x);
}

function toEdges(from: string, t: AnyTransitionDefinition, event: string): Edge {
  return {
    from,
    event,
    to: t.target?.[0]?.key ?? from,
    guard: t.guard ? nameOf(t.guard) : null,
    actions: (t.actions ?? []).map(nameOf),
  };
}

export function machineGraph(root: AnyStateNode): { states: string[]; initial: string; edges: Edge[] } {
  const own = (n: AnyStateNode): Map<string, AnyTransitionDefinition[]> =>
    n.transitions as Map<string, AnyTransitionDefinition[]>;
  const children = Object.values(root.states) as AnyStateNode[];
  const edges: Edge[] = [];
  for (const n of children) {
    const mine = own(n);
    for (const [event, ts] of mine) for (const t of ts) edges.push(toEdges(n.key, t, event));
    for (const t of n.always ?? []) edges.push(toEdges(n.key, t, ''));
    for (const [event, ts] of own(root)) {
      if (mine.has(event)) continue;
      for (const t of ts) edges.push(toEdges(n.key, t, event));
    }
  }
  const initial = (root.initial?.target?.[0] as AnyStateNode | undefined)?.key ?? children[0]!.key;
  return { states: children.map((n) => n.key), initial, edges };
}

/** States reachable from `start` over the edges `allowed` lets through (start included). */
export function reachable(
  edges: readonly Edge[],
  start: string,
  allowed: (e: Edge) => boolean = () => true,
): Set<string> {
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length) {
    const s = queue.shift()!;
    for (const e of edges) {
      if (e.from === s && allowed(e) && !seen.has(e.to)) {
        seen.add(e.to);
        queue.push(e.to);
      }
    }
  }
  return seen;
}

/** One shortest path from `start` to `goal` as "a --EVENT--> b" steps, or null. */
export function pathTo(
  edges: readonly Edge[],
  start: string,
  goal: string,
  allowed: (e: Edge) => boolean = () => true,
): string[] | null {
  const via = new Map<string, Edge | null>([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const s = queue.shift()!;
    if (s === goal) break;
    for (const e of edges) {
      if (e.from === s && allowed(e) && !via.has(e.to)) {
        via.set(e.to, e);
        queue.push(e.to);
      }
    }
  }
  if (!via.has(goal)) return null;
  const steps: string[] = [];
  for (let e = via.get(goal); e; e = via.get(e.from))
    steps.unshift(`${e.from} --${e.event || 'always'}${e.guard ? ` [${e.guard}]` : ''}--> ${e.to}`);
  return steps;
}
