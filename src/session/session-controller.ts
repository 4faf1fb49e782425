import { createActor, waitFor, type InspectionEvent, type SnapshotFrom } from 'xstate';
import type { GeneratorState, HardwareLimits, Identity } from '../../protocol/index.js';
import type { ImpedanceCheck } from './impedance-check.js';
import { chargeDensityOf, type ChargeDensity } from './density-report.js';
import type { Mismatch } from './mismatch.js';
import type { Notice } from './notice.js';
import { createNoticeOutbox } from './notice-outbox.js';
import { searchStepUa } from './search-step.js';
import type { Binding, Outcome, SessionEvent, SessionInput } from './session-context.js';
import type { LinkStatus } from '../link/generator-link.js';
import { sessionMachine } from './session-machine.js';
import type { Phase, Posture, ThresholdRecord } from './session-types.js';
import { currentRecord, measuredWindow } from './threshold-store.js';
import { dataOf } from './session-data.js';
import { patientWindowOf } from './patient-window.js';
import type { ThresholdEstimate } from './weiss-estimate.js';

/**
 * The session as the UI and the script runner read it, mapped once from the machine's snapshot.
 * Amplitudes stay in µA, as the generator speaks them: mA is formatted only where it is shown (the
 * screen, a script's report line).
 */
export interface SessionView {
  /** The machine's state name (ready, search, tuning, therapy, blocked, linkLost, applying, …). */
  state: string;
  settled: boolean;
  phase: Phase;
  link: { status: LinkStatus; description: string };
  identity: Identity | null;
  binding: Binding | null;
  limits: HardwareLimits | null;
  generator: GeneratorState | null;
  posture: Posture;
  patientMode: boolean;
  /** Thresholds for the current pulse width, electrodes and posture (µA), when measured. */
  thresholds: { sensoryUa: number | null; discomfortUa: number | null } | null;
  /** The amplitude window in force (µA), narrowed by hardware and charge density. */
  window: { lowUa: number; highUa: number; highReason: string } | null;
  estimate: ThresholdEstimate | null;
  allThresholds: ThresholdRecord[];
  /** The step one search key press takes (µA), null when the hardware grid allows none. */
  searchStepUa: number | null;
  dwellMs: number;
  /** How long until the next search step is allowed (0 outside search). */
  dwellRemainingMs: number;
  notices: Notice[];
  outcome: Outcome | null;
  stopPending: boolean;
  /** The last impedance check: per-contact readings, flagged (open/short) contacts, when. */
  impedance: ImpedanceCheck | null;
  /** The program's most loaded contact, its share of the current and its charge density next to the limit. */
  chargeDensity?: ChargeDensity | null;
  /** H10/H17: expected vs reported facts and since when (ms); until acknowledged or resolved by a re-read. */
  mismatch: Mismatch | null;
  /** The window patient mode enforces (µA): the clinician's (`set`) inside the measured one, else the measured one. */
  patientWindow: { lowUa: number; highUa: number; set: boolean } | null;
  /** H4: the amplitude ramp under way (µA, mA/s), null when none. */
  ramp?: { fromUa: number; toUa: number; nowUa: number; maPerS: number } | null;
  /**
   * H15: the battery estimate (%, never rising by itself), the generator's own reading, the drain
   * while output is on and the output time left (null while unknown), and whether a warning is due.
   */
  battery?: {
    pct: number;
    reportedPct: number;
    drainPctPerH: number | null;
    remainingMs: number | null;
    level: 'ok' | 'low' | 'very-low';
  } | null;
}

export type SessionSnapshot = SnapshotFrom<typeof sessionMachine>;

/** The machine's snapshot as a {@link SessionView}: the one mapping, selection only, units kept. */
export function viewOf(snapshot: SessionSnapshot, now: number): SessionView {
  const ctx = snapshot.context;
  const data = dataOf(ctx, now);
  const record = currentRecord(data);
  const measured = measuredWindow(data);
  const patientWindow = patientWindowOf(data);
  const state = typeof snapshot.value === 'string' ? snapshot.value : JSON.stringify(snapshot.value);
  const dwellRemainingMs =
    ctx.phase === 'search' && state === 'search' && ctx.lastStepAt !== null
      ? Math.max(0, ctx.lastStepAt + ctx.dwellMs - now)
      : 0;
  return {
    state,
    settled: snapshot.hasTag('settled'),
    phase: ctx.phase,
    link: { status: ctx.linkStatus, description: ctx.link.description },
    identity: ctx.identity,
    binding: ctx.binding,
    limits: ctx.limits,
    generator: ctx.generator,
    posture: ctx.posture,
    patientMode: ctx.patientMode,
    thresholds: record ? { sensoryUa: record.sensoryUa, discomfortUa: record.discomfortUa } : null,
    window: measured ? { lowUa: measured.lowUa, highUa: measured.highUa, highReason: measured.highReason } : null,
    estimate: ctx.estimate,
    allThresholds: ctx.thresholds,
    searchStepUa: ctx.limits ? searchStepUa(ctx.limits) : null,
    dwellMs: ctx.dwellMs,
    dwellRemainingMs,
    notices: ctx.notices,
    outcome: ctx.outcome,
    stopPending: ctx.stopPending,
    impedance: data.impedance ?? null,
    chargeDensity: chargeDensityOf(data),
    mismatch: ctx.mismatch,
    patientWindow: patientWindow
      ? { lowUa: patientWindow.lowUa, highUa: patientWindow.highUa, set: ctx.patientWindow !== null }
      : null,
    battery: batteryViewOf(ctx),
    ramp: ctx.ramp
      ? {
          fromUa: ctx.ramp.fromUa,
          toUa: ctx.ramp.targetUa,
          nowUa: ctx.generator?.amplitudeUa ?? ctx.ramp.fromUa,
          maPerS: ctx.ramp.maPerS,
        }
      : null,
  };
}

function batteryViewOf(ctx: SessionSnapshot['context']): NonNullable<SessionView['battery']> | null {
  const battery = ctx.battery;
  if (battery.pct === null || battery.reportedPct === null) return null;
  const level = battery.warned.veryLow ? 'very-low' : battery.warned.low || battery.warned.time ? 'low' : 'ok';
  return {
    pct: battery.pct,
    reportedPct: battery.reportedPct,
    drainPctPerH: battery.drainPctPerH,
    remainingMs: battery.remainingMs,
    level,
  };
}

/**
 * The one way the UI and the script runner drive a session: send intents, read a view.
 * Intents carry the time of the action so the dwell rule sees when the person acted.
 */
export interface SessionController {
  /** Fire and forget (a key press). STOP never waits for anything. */
  send(event: SessionEvent): void;
  /**
   * Waits until the session is settled, sends, waits again; resolves with what became of it. With
   * `until`: an event whose turn comes after that signal was aborted is not sent (not accepted).
   */
  dispatch(event: SessionEvent, until?: AbortSignal): Promise<Outcome>;
  view(): SessionView;
  subscribe(listener: (view: SessionView) => void): () => void;
  settled(): Promise<SessionView>;
  /**
   * Every notice raised since the last call, oldest first, each handed out exactly once (decisions,
   * outside changes, resets, telemetry and battery warnings alike): what a report line carries.
   */
  takeNotices(): Notice[];
  /** Stops the machine (not the generator). */
  dispose(): void;
}

export function createSessionController(
  input: SessionInput,
  options: { inspect?: (event: InspectionEvent) => void } = {},
): SessionController {
  const clock = input.clock ?? Date.now;
  const actor = createActor(sessionMachine, {
    input: { ...input, clock },
    ...(options.inspect ? { inspect: options.inspect } : {}),
  });
  const outbox = createNoticeOutbox();
  // Subscribed before start, so not even the first snapshot's notices can be missed.
  actor.subscribe((s) => outbox.observe(s.context.notices));
  actor.start();
  outbox.observe(actor.getSnapshot().context.notices);
  const stamp = (event: SessionEvent): SessionEvent =>
    'at' in event || event.type.startsWith('LINK_') ? event : ({ ...event, at: clock() } as SessionEvent);
  const settled = async () => viewOf(await waitFor(actor, (s) => s.hasTag('settled'), { timeout: Infinity }), clock());
  return {
    send: (event) => actor.send(stamp(event)),
    async dispatch(event, until) {
      if (event.type !== 'STOP') await settled();
      // Checked right before the send, with no await between: an interrupted script sends nothing more.
      if (until?.aborted) return { intent: event.type, accepted: false, notices: [] };
      const before = actor.getSnapshot().context.outcome;
      actor.send(stamp(event));
      const view = await settled();
      const outcome = actor.getSnapshot().context.outcome;
      if (outcome && outcome !== before) return outcome;
      // Control events (CONNECT, REBIND, REFRESH) carry no decision: report the state reached.
      return { intent: event.type, accepted: view.state !== 'disconnected', notices: [] };
    },
    view: () => viewOf(actor.getSnapshot(), clock()),
    subscribe(listener) {
      const sub = actor.subscribe((s) => listener(viewOf(s, clock())));
      return () => sub.unsubscribe();
    },
    settled,
    takeNotices: () => {
      outbox.observe(actor.getSnapshot().context.notices);
      return outbox.take();
    },
    dispose: () => actor.stop(),
  };
}
