import type { InspectionEvent } from 'xstate';
import { DisconnectedError, type Program } from '../../src/link/generator-link.js';
import type { GeneratorConfig } from '../../firmware-sim/generator-model.js';
import type { AuditSink, SessionInput } from '../../src/session/session-context.js';
import { createSessionController, type SessionController } from '../../src/session/session-controller.js';
import type { SessionEvent } from '../../src/session/session-context.js';
import { FakeLink } from './fake-link.js';

/** A session on a fake link over the real generator model, with a hand-driven clock. */

export interface Harness {
  link: FakeLink;
  c: SessionController;
  audit: Array<Parameters<AuditSink>[0]>;
  clock: { now: number };
  do(event: SessionEvent): ReturnType<SessionController['dispatch']>;
  flush(): Promise<void>;
}

export async function harness(
  options: {
    config?: Partial<GeneratorConfig>;
    input?: Partial<SessionInput>;
    connect?: boolean;
    inspect?: (e: InspectionEvent) => void;
  } = {},
): Promise<Harness> {
  const link = new FakeLink(options.config);
  const audit: Harness['audit'] = [];
  const clock = { now: 1_000_000 };
  // Ramp pauses pass on the hand-driven clock, at once (a STOP still aborts them).
  const sleep = async (ms: number, signal: AbortSignal) => {
    await Promise.resolve();
    if (signal.aborted) throw new Error('aborted');
    clock.now += ms;
  };
  const c = createSessionController(
    { link, dwellMs: 0, clock: () => clock.now, audit: (e) => audit.push(e), sleep, ...options.input },
    options.inspect ? { inspect: options.inspect } : {},
  );
  const h: Harness = {
    link,
    c,
    audit,
    clock,
    do: (event) => c.dispatch(event),
    async flush() {
      for (let i = 0; i < 30; i++) await new Promise((r) => setImmediate(r));
    },
  };
  if (options.connect !== false) await h.do({ type: 'CONNECT' });
  return h;
}

/** Electrodes 1- 2+, search, sensory at `sensorySteps`, discomfort `extraSteps` later: tuning. */
export async function measured(h: Harness, sensorySteps = 20, extraSteps = 20): Promise<void> {
  await h.do({ type: 'ELECTRODES', spec: ['1-', '2+'] });
  await h.do({ type: 'PULSE_WIDTH', us: 300 });
  await h.do({ type: 'SEARCH_START' });
  for (let i = 0; i < sensorySteps; i++) await h.do({ type: 'AMPLITUDE_UP' });
  await h.do({ type: 'MARK_SENSORY' });
  for (let i = 0; i < extraSteps; i++) await h.do({ type: 'AMPLITUDE_UP' });
  await h.do({ type: 'MARK_DISCOMFORT' });
}

export const gen = (h: Harness) => h.link.model.state;

/** The next SET reaches the generator (or not), then the link goes down before its reply arrives. */
export function loseReplyOfNextSet(h: Harness, reaches: boolean): void {
  const original = h.link.setProgram.bind(h.link);
  h.link.setProgram = async (program: Program) => {
    h.link.setProgram = original;
    if (reaches) await original(program);
    h.link.drop();
    throw new DisconnectedError('port closed');
  };
}
