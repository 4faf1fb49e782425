import type { GeneratorState } from '../../protocol/index.js';
import type { Notice } from './notice.js';
import type { SessionController } from './session-controller.js';
import type { ScriptStep } from './script-parser.js';
import { uaToMa } from './units.js';

/**
 * Runs parsed script steps through the same session controller the UI uses, one at a time, as a
 * person would: a search step that comes before the dwell has passed waits for it. After every step
 * the generator is interrogated and its read-back reported.
 */

export interface GeneratorReport {
  output: 'on' | 'off';
  mode: string;
  rateHz: number;
  pulseWidthUs: number;
  amplitudeMa: number;
  /** One of + - 0 per contact, as the generator reports it. */
  contacts: string;
  committed: boolean;
  batteryPct: number;
  programRev: number;
}

export interface StepResult {
  line: number;
  command: string;
  accepted: boolean;
  notices: Array<Pick<Notice, 'kind' | 'field' | 'requested' | 'applied' | 'reason'>>;
  /** Read back from the generator after the step (null while no generator could be read). */
  generator: GeneratorReport | null;
  /** The session's state after the step (ready, search, tuning, therapy, blocked, linkLost, …). */
  state: string;
  /** The amplitude window in force after the step, mA. */
  window: { lowMa: number; highMa: number } | null;
}

export function reportGenerator(g: GeneratorState | null): GeneratorReport | null {
  if (!g) return null;
  return {
    output: g.output,
    mode: g.mode,
    rateHz: g.rateHz,
    pulseWidthUs: g.pulseWidthUs,
    amplitudeMa: uaToMa(g.amplitudeUa),
    contacts: g.contacts,
    committed: g.committed,
    batteryPct: g.batteryPct,
    programRev: g.programRev,
  };
}

export interface RunOptions {
  sleep?: (ms: number) => Promise<void>;
  onStep?: (result: StepResult) => void;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runScript(steps: readonly ScriptStep[], controller: SessionController, options: RunOptions = {}): Promise<StepResult[]> {
  const sleep = options.sleep ?? realSleep;
  const results: StepResult[] = [];
  for (const step of steps) {
    const action = step.action;
    let accepted = true;
    let notices: Notice[] = [];
    if (action.type === 'WAIT') {
      await sleep(action.ms);
    } else {
      await controller.settled();
      if (action.type === 'AMPLITUDE_UP' || action.type === 'AMPLITUDE_DOWN') {
        // Timers may fire a millisecond early: wait until the session itself says the dwell is over.
        for (let wait = controller.view().dwellRemainingMs; wait > 0; wait = controller.view().dwellRemainingMs) await sleep(wait);
      }
      const outcome = await controller.dispatch(action);
      accepted = outcome.accepted;
      notices = outcome.notices;
    }
    // Interrogate the generator: the report is its read-back, and a change made elsewhere shows up here.
    const before = controller.view().outcome;
    await controller.dispatch({ type: 'REFRESH' });
    const after = controller.view();
    if (before && after.outcome && after.outcome.intent === before.intent) {
      notices = [...notices, ...after.outcome.notices.slice(before.notices.length)];
      if (action.type !== 'WAIT') accepted = accepted && after.outcome.accepted;
    }
    const result: StepResult = {
      line: step.line,
      command: step.command,
      accepted,
      notices: notices.map(({ kind, field, requested, applied, reason }) => ({ kind, field, requested, applied, reason })),
      generator: reportGenerator(after.generator),
      state: after.state,
      window: after.window ? { lowMa: after.window.lowMa, highMa: after.window.highMa } : null,
    };
    results.push(result);
    options.onStep?.(result);
  }
  return results;
}
