import type { GeneratorState } from '../../protocol/index.js';
import { disarmedRefusal, watchLinkBreaks } from './arming-guard.js';
import { RESET_REASON } from './generator-event-words.js';
import { densityReportOf, type ChargeDensityReport } from './density-report.js';
import type { Notice } from './notice.js';
import type { SessionController, SessionView } from './session-controller.js';
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

export type ReportNotice = Pick<Notice, 'kind' | 'field' | 'requested' | 'applied' | 'reason'>;

export interface StepResult {
  line: number;
  command: string;
  accepted: boolean;
  /** Every notice raised while this line ran (its own decision, and whatever the generator did meanwhile). */
  notices: ReportNotice[];
  /** Read back from the generator after the step (null while no generator could be read). */
  generator: GeneratorReport | null;
  /** The session's state after the step (ready, search, tuning, therapy, blocked, linkLost, …). */
  state: string;
  /** The amplitude window in force after the step, mA. */
  window: { lowMa: number; highMa: number } | null;
  /** After the step: the most loaded contact, its share, its charge density next to the limit (null without a program). */
  chargeDensity: ChargeDensityReport | null;
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

/** The window in force as a report line gives it (mA); the session's view holds µA. */
export function reportWindow(w: SessionView['window']): { lowMa: number; highMa: number } | null {
  return w ? { lowMa: uaToMa(w.lowUa), highMa: uaToMa(w.highUa) } : null;
}

/**
 * Notices raised while no command line was running (before the first, between two, after the last):
 * reported on a line of their own, so every notice reaches exactly one line.
 */
export interface EventResult {
  event: string;
  notices: ReportNotice[];
  generator: GeneratorReport | null;
  state: string;
  window: { lowMa: number; highMa: number } | null;
  /** As on a command line: the most loaded contact, its share, its density next to the limit. */
  chargeDensity: ChargeDensityReport | null;
}

/** How long a line that changes something waits for a lost link to return before it is refused. */
export const LINK_WAIT_MS = 10_000;

/** Lines that never wait for the link: they are held and sent first when it returns, or change nothing. */
const NEVER_WAITS = new Set(['WAIT', 'STOP', 'OUTPUT_OFF']);

export interface RunOptions {
  sleep?: (ms: number) => Promise<void>;
  /** How long a line waits for a lost link to return (default LINK_WAIT_MS). */
  linkWaitMs?: number;
  onStep?: (result: StepResult) => void;
  onEvent?: (result: EventResult) => void;
  /** Aborted (SIGINT, SIGTERM): no further line is sent; the line under way ends where it is. */
  signal?: AbortSignal;
}

const reportNotice = ({ kind, field, requested, applied, reason }: Notice): ReportNotice => ({
  kind,
  field,
  requested,
  applied,
  reason,
});

/** What happened, in one word, for an event line: the most telling of its notices decides. */
export function eventNameOf(notices: readonly Notice[]): string {
  if (notices.some((n) => n.field === 'generator' && n.reason.startsWith(RESET_REASON))) return 'generator-reset';
  if (notices.some((n) => n.field === 'program')) return 'outside-change';
  for (const field of ['output', 'link', 'generator', 'battery', 'amplitude'] as const)
    if (notices.some((n) => n.field === field)) return field;
  return 'notice';
}

/** Takes the notices waiting in the session and, when there are any, reports them as an event line. */
export function flushEvents(
  controller: SessionController,
  onEvent?: (result: EventResult) => void,
): EventResult | null {
  const notices = controller.takeNotices();
  if (notices.length === 0) return null;
  const v = controller.view();
  const result: EventResult = {
    event: eventNameOf(notices),
    notices: notices.map(reportNotice),
    generator: reportGenerator(v.generator),
    state: v.state,
    window: reportWindow(v.window),
    chargeDensity: densityReportOf(v.chargeDensity ?? null),
  };
  onEvent?.(result);
  return result;
}

/** Resolves after `ms`, or at once when `signal` is aborted: an interrupted script leaves no timer running. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Resolves when the session has left `linkLost` (the link is back and being re-read), after `ms`, or
 * when `signal` is aborted.
 */
export function linkBack(controller: SessionController, ms: number, signal?: AbortSignal): Promise<void> {
  if (controller.view().state !== 'linkLost' || signal?.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    let unsubscribe = () => {};
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    unsubscribe = controller.subscribe((v) => {
      if (v.state !== 'linkLost') done();
    });
  });
}

export async function runScript(
  steps: readonly ScriptStep[],
  controller: SessionController,
  options: RunOptions = {},
): Promise<StepResult[]> {
  const sleep = options.sleep ?? ((ms: number) => pause(ms, options.signal));
  const results: StepResult[] = [];
  for (const step of steps) {
    if (options.signal?.aborted) break;
    const action = step.action;
    let accepted = true;
    // The line is given now: a reset or link loss met before it is sent may disarm it (arming-guard.ts).
    const breaks = watchLinkBreaks(controller);
    const refused: Notice[] = [];
    // Whatever happened since the last line (an outside change, a reset) gets its own line first,
    // once the session has finished reacting to it.
    await controller.settled();
    flushEvents(controller, options.onEvent);
    if (action.type === 'WAIT') {
      await sleep(action.ms);
    } else if (options.signal?.aborted) {
      break;
    } else {
      // A line typed while the link is down waits (bounded) for it, as a person would; STOP and
      // output off never wait: they are held and sent first when the link returns.
      if (!NEVER_WAITS.has(action.type)) await linkBack(controller, options.linkWaitMs ?? LINK_WAIT_MS, options.signal);
      await controller.settled();
      if (action.type === 'AMPLITUDE_UP' || action.type === 'AMPLITUDE_DOWN') {
        // Timers may fire a millisecond early: wait until the session itself says the dwell is over.
        for (let wait = controller.view().dwellRemainingMs; wait > 0; wait = controller.view().dwellRemainingMs)
          await sleep(wait);
      }
      // A line that can turn output on and met a reset or link loss while it waited is not sent (H9).
      const disarmed =
        action.type === 'STOP' || action.type === 'REBIND' ? null : disarmedRefusal(action, breaks.now());
      if (disarmed) {
        refused.push(...controller.takeNotices(), disarmed);
        accepted = false;
      } else {
        const outcome = await controller.dispatch(action, options.signal);
        accepted = outcome.accepted;
      }
    }
    breaks.stop();
    if (options.signal?.aborted) break;
    // Interrogate the generator: the report is its read-back, and a change made elsewhere shows up here.
    const before = controller.view().outcome;
    await controller.dispatch({ type: 'REFRESH' });
    const after = controller.view();
    if (action.type !== 'WAIT' && before && after.outcome && after.outcome.intent === before.intent)
      accepted = accepted && after.outcome.accepted;
    const result: StepResult = {
      line: step.line,
      command: step.command,
      accepted,
      notices: [...refused, ...controller.takeNotices()].map(reportNotice),
      generator: reportGenerator(after.generator),
      state: after.state,
      window: reportWindow(after.window),
      chargeDensity: densityReportOf(after.chargeDensity ?? null),
    };
    results.push(result);
    options.onStep?.(result);
  }
  return results;
}
