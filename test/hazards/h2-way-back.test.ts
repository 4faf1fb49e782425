import { describe, expect, it } from 'vitest';
import { sessionMachine } from '../../src/session/session-machine.js';
import { machineGraph, pathTo, PERSON_EVENTS, reachable, type Edge } from './machine-graph.js';

/**
 * H2 (a mode with no way back; Abbott Proclaim 2023): checked over the session machine's own graph.
 * From every state reachable from the start, STOP and the link alone (no choice a person could fail
 * to make, no dialog) lead to generator-confirmed output off; and every state has a path back to
 * `ready` and on to a program the companion writes and reads back (`applying`).
 */

const graph = machineGraph(sessionMachine.root);
const isDone = (e: Edge) => e.event.startsWith('xstate.done.actor.');
/** No choice by a person: STOP itself, (re)connection, link events, actor results, transient routing. */
const withoutChoice = (e: Edge) => !PERSON_EVENTS.has(e.event);
const reachableStates = [...reachable(graph.edges, graph.initial)];

describe('H2: every state has a way back (session machine graph)', () => {
  it('the graph is the machine: every state is reachable from the start', () => {
    expect(graph.initial).toBe('disconnected');
    expect(reachableStates.sort()).toEqual([...graph.states].sort());
    expect(graph.states).toEqual(
      expect.arrayContaining(['ready', 'search', 'tuning', 'therapy', 'blocked', 'stopping', 'linkLost', 'applying']),
    );
  });

  it('STOP is accepted in every state, unguarded, and either stops now or is held to be sent first', () => {
    for (const s of reachableStates) {
      const stops = graph.edges.filter((e) => e.from === s && e.event === 'STOP');
      expect(stops, `STOP in ${s}`).toHaveLength(1);
      const [stop] = stops as [Edge];
      expect(stop.guard, `STOP in ${s} must not depend on a guard`).toBeNull();
      expect(stop.actions, `STOP in ${s}`).toContain('requestStop');
      expect(stop.to === 'stopping' || stop.to === s, `STOP in ${s} goes to ${stop.to}`).toBe(true);
    }
  });

  it('from every state, STOP and the link alone reach generator-confirmed output off', () => {
    // `stopping` runs the generator's STOP; its success (the read-back says off) routes to ready.
    const confirmed = graph.edges.filter((e) => e.from === 'stopping' && isDone(e));
    expect(confirmed.map((e) => e.to)).toEqual(['route']);
    const routeDefault = graph.edges.filter((e) => e.from === 'route' && e.event === '' && e.guard === null);
    expect(routeDefault.map((e) => e.to)).toEqual(['ready']);
    const held = graph.edges.find((e) => e.from === 'afterHandshake' && e.event === '' && e.guard === 'stopPending');
    expect(held?.to, 'a held STOP is sent first after every handshake').toBe('stopping');

    for (const s of reachableStates) {
      const stop = graph.edges.find((e) => e.from === s && e.event === 'STOP')!;
      const way = pathTo(graph.edges, stop.to, 'stopping', withoutChoice);
      expect(way, `no way from ${s} to output off without a person's choice`).not.toBeNull();
      const back = pathTo(
        graph.edges,
        'stopping',
        'ready',
        (e) => withoutChoice(e) && (e.from !== 'stopping' || isDone(e)),
      );
      expect(back).not.toBeNull();
    }
  });

  it('every state has a path to ready and on to a program the companion writes and reads back', () => {
    const applyEdges = graph.edges.filter((e) => e.from === 'applying' && isDone(e));
    expect(applyEdges.map((e) => e.to)).toEqual(['route']);
    for (const s of reachableStates) {
      expect(pathTo(graph.edges, s, 'ready'), `${s} → ready`).not.toBeNull();
    }
    // From ready an intent (e.g. ELECTRODES: amplitude 0, rate and width clamped) is decided and applied.
    const intentToRoute = graph.edges.filter(
      (e) => e.from === 'ready' && PERSON_EVENTS.has(e.event) && e.to === 'route',
    );
    expect(intentToRoute.map((e) => e.event)).toEqual(
      expect.arrayContaining(['ELECTRODES', 'OUTPUT_OFF', 'RATE', 'PULSE_WIDTH']),
    );
    expect(pathTo(graph.edges, 'route', 'applying')).not.toBeNull();
    expect(pathTo(graph.edges, 'applying', 'ready', (e) => e.from !== 'applying' || isDone(e))).not.toBeNull();
  });

  it('no state is a dead end: each has a way out other than to itself', () => {
    for (const s of reachableStates) {
      const out = reachable(graph.edges, s);
      out.delete(s);
      expect(out.size, `${s} is a dead end`).toBeGreaterThan(0);
      expect(out.has('stopping') || s === 'stopping', `${s} cannot reach stopping`).toBe(true);
    }
  });
});
