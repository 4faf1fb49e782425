import { expect } from 'vitest';
import { createSessionController, type SessionController } from '../../src/session/session-controller.js';
import { parseScript } from '../../src/session/script-parser.js';
import { runScript, type StepResult } from '../../src/session/script-runner.js';
import type { LinkTiming } from '../../src/link/link-timing.js';
import { decoded, inProcessRig, type Rig } from '../link/link-test-kit.js';

/** Runs script lines (checked first, as `scs script` does) through `controller`. */
export async function runLines(lines: readonly string[], controller: SessionController): Promise<StepResult[]> {
  const parsed = parseScript(lines.join('\n'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return runScript(parsed.steps, controller);
}

/**
 * A real session on the real link over the in-process simulator, with a line tap between them (no
 * heartbeat, no telemetry: only the lines' own requests), driven by script lines as `scs script` is.
 */
export interface SimSession {
  rig: Rig;
  c: SessionController;
  run(lines: readonly string[]): Promise<StepResult[]>;
  close(): Promise<void>;
}

export async function simSession(setup: readonly string[], timing: Partial<LinkTiming> = {}): Promise<SimSession> {
  const rig = inProcessRig({ timing: { heartbeatIntervalMs: 60_000, ...timing } });
  const c = createSessionController({ link: rig.link, dwellMs: 0 });
  const run = (lines: readonly string[]) => runLines(lines, c);
  await c.dispatch({ type: 'CONNECT' });
  const done = await run(setup);
  expect(done.map((r) => [r.command, r.accepted])).toEqual(setup.map((l) => [l, true]));
  return {
    rig,
    c,
    run,
    close: async () => {
      c.dispose();
      await rig.close();
    },
  };
}

/**
 * The patient's remote sets `amplitudeUa` (the rest of the program unchanged) just before the next line
 * of type `verb` reaches the generator; its EVT program-changed is dropped on the wire, so only the
 * generator's replies tell (bb4's pstop.py / pany.py).
 */
export function remoteBefore(s: SimSession, verb: string, amplitudeUa: number): void {
  let done = false;
  s.rig.tap.onInbound = (line, deliver) => {
    const m = decoded(line);
    if (m?.type === 'EVT' && m.kind === 'program-changed') return;
    deliver(line);
  };
  s.rig.tap.onOutbound = (line, deliver) => {
    const m = decoded(line);
    if (!done && m?.type === verb) {
      done = true;
      const g = s.rig.generator.server.model.state;
      s.rig.generator.server.externalChange({
        rateHz: g.rateHz,
        pulseWidthUs: g.pulseWidthUs,
        contacts: g.contacts,
        amplitudeUa,
      });
    }
    deliver(line);
  };
}

/**
 * Every `EVT kind=boot` is lost on the wire; the generator resets once `when` says so, given each line it
 * sends (the reply that trips it still reaches the link: the reset comes right after the request ran).
 * bb4_reset.py's `… after dropevt` (bb4-F4). Returns whether the reset happened.
 */
export function resetWithBootLost(s: SimSession, when: (line: string) => boolean = () => false): () => boolean {
  let fired = false;
  s.rig.tap.onInbound = (line, deliver) => {
    const m = decoded(line);
    if (m?.type === 'EVT' && m.kind === 'boot') return;
    if (!fired && when(line)) {
      fired = true;
      s.rig.generator.server.reset();
    }
    deliver(line);
  };
  return () => fired;
}
