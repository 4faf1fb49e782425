import type { GeneratorState, HardwareLimits, Identity } from '../../protocol/index.js';
import {
  DEFAULT_BATTERY_CONFIG,
  initialBatteryMonitor,
  type BatteryConfig,
  type BatteryMonitor,
} from './battery-monitor.js';
import type { GeneratorLink, Handshake, LinkEvent, LinkStatus } from '../link/generator-link.js';
import type { ToldEvent } from './event-news.js';
import type { ImpedanceCheck } from './impedance-check.js';
import type { Mismatch } from './mismatch.js';
import type { Notice } from './notice.js';
import type { Ramp } from './ramp.js';
import type { RampCut } from './ramp-cut.js';
import type { SyncReason } from './reconcile.js';
import type { Unconfirmed } from './reconnect-check.js';
import { DEFAULT_SEARCH_DWELL_MS } from './search-step.js';
import type {
  Decision,
  DecisionPatch,
  Intent,
  LinkOp,
  NextStep,
  Phase,
  Posture,
  SessionData,
  ThresholdRecord,
} from './session-types.js';

/** The machine's context, events and input. */

/** H13: the generator and protocol version a session is bound to. */
export interface Binding {
  serial: string;
  proto: number;
}

/** Receives every decision, stop, commit and fault; the audit log implements it. */
export type AuditSink = (entry: { kind: string } & Record<string, unknown>) => void;

/** What became of the last intent: the answer a script line or a key press gets. */
export interface Outcome {
  intent: string;
  accepted: boolean;
  notices: Notice[];
}

export interface SessionContext extends SessionData {
  link: GeneratorLink;
  audit: AuditSink;
  clock: () => number;
  linkStatus: LinkStatus;
  /** The link went down since the last handshake: the next handshake starts a re-read. */
  needsHandshake: boolean;
  identity: Identity | null;
  binding: Binding | null;
  expectedRev: number | null;
  /** A STOP that could not be confirmed yet; sent first on the next connection. */
  stopPending: boolean;
  /** Writes of ours under way when STOP was pressed: each may explain one `rev` step (stop-check.ts). */
  stopOwnWrites?: number;
  /** A STOP whose reply was refused or lost while the link stayed up: the next read-back says what happened. */
  stopUnconfirmed?: boolean;
  /** A request the link went down under, unconfirmed: the next reconnection says whether it was applied. */
  unconfirmed?: Unconfirmed | null;
  /** Operations to run and where to go when they succeed. */
  pending: { ops: LinkOp[]; next: NextStep; confirmed?: Notice[]; confirmedPatch?: DecisionPatch } | null;
  /** A ramp ended short by a surprise: the next re-read says where amplitude stopped (ramp-cut.ts). */
  rampCut?: RampCut | null;
  /** The target (µA) of a ramp a STOP ended: the STOP's confirmation says where amplitude stopped (bb5-N5). */
  rampStopped?: number | null;
  /** A change under way when STOP was pressed, in words: told "not executed" if the STOP's reply shows it never ran (bb6-N7). */
  stopCut?: string | null;
  /** Where the transient `route` state goes. */
  next: Phase;
  syncReason: SyncReason;
  outcome: Outcome | null;
  /** Recent notices, newest last (capped), for the UI. */
  notices: Notice[];
  /** The last impedance check (before a search or on its own), null until one was made. */
  impedance: ImpedanceCheck | null;
  /** H10/H17: what the companion expected differs from what the generator reports, since when. */
  mismatch: Mismatch | null;
  /** H15: the battery estimate (never rising by itself), drain and time left, warnings given. */
  battery: BatteryMonitor;
  batteryConfig: BatteryConfig;
  /** H4: the ramp under way (amplitude rising step by step), null when none. */
  ramp: Ramp | null;
  /** Waits between ramp steps; aborted by STOP (tests pass a clock-driven one). */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The last generator reset seen (its boot id), what it held before, and whether it was reported. */
  reset: ResetSeen | null;
  /** When the link was lost (ms), null while it is up: its return is said with how long it was down. */
  linkLostAt?: number | null;
  /** A STOP (or `output off`) was held while the link was down: its confirmation is said when it comes. */
  stopHeld?: boolean;
  /** Generator events already told, so a copy of an event line says nothing again (event-news.ts). */
  toldEvents: ToldEvent[];
  /** A program-changed event came: the generator is re-read (which warns about the revision jump, H17) before anything else. */
  programEvent: boolean;
  /** A stop event (EVT stopped/fault) not told yet: the re-read it causes says whether the state agrees (bb4-F8). */
  stopEvent?: { tell: Notice; told: ToldEvent[] } | null;
}

export interface ResetSeen {
  boot: string;
  lost: GeneratorState | null;
  reported: boolean;
}

export interface SessionInput {
  link: GeneratorLink;
  audit?: AuditSink;
  clock?: () => number;
  /** Minimum dwell between search steps (ms). */
  dwellMs?: number;
  binding?: Binding | null;
  posture?: Posture;
  thresholds?: ThresholdRecord[];
  /** H15: battery warning thresholds and time margin (defaults: 30 %, 15 %, 2 h). */
  battery?: Partial<BatteryConfig>;
  /** How the pause between two ramp steps is waited for (default: a timer). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** A timer that ends early (rejecting) when the signal aborts: a STOP never waits for a pause. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export type ControlEvent =
  | { type: 'CONNECT' }
  | { type: 'STOP'; at?: number }
  | { type: 'REBIND' }
  | { type: 'REFRESH' }
  /** The person has seen the mismatch shown (H10/H17): it is cleared, the generator is not changed. */
  | { type: 'ACKNOWLEDGE_MISMATCH'; at?: number };

export type LinkMachineEvent =
  | { type: 'LINK_STATUS'; status: LinkStatus; reason?: string }
  | { type: 'LINK_HANDSHAKE'; handshake: Handshake; resetDetected: boolean }
  | { type: 'LINK_TELEMETRY'; state: GeneratorState }
  | { type: 'LINK_EVENT'; event: Extract<LinkEvent, { type: 'generator-event' }>['event'] }
  | { type: 'LINK_ERROR'; error: Error };

export type SessionEvent = Intent | ControlEvent | LinkMachineEvent;

export function initialContext(input: SessionInput): SessionContext {
  return {
    phase: 'ready',
    limits: null as HardwareLimits | null,
    generator: null,
    posture: input.posture ?? 'supine',
    thresholds: input.thresholds ?? [],
    estimate: null,
    patientMode: false,
    patientWindow: null,
    lastStepAt: null,
    dwellMs: input.dwellMs ?? DEFAULT_SEARCH_DWELL_MS,
    link: input.link,
    audit: input.audit ?? (() => {}),
    clock: input.clock ?? Date.now,
    linkStatus: 'disconnected',
    needsHandshake: true,
    identity: null,
    binding: input.binding ?? null,
    expectedRev: null,
    stopPending: false,
    pending: null,
    next: 'ready',
    syncReason: 'connect',
    outcome: null,
    notices: [],
    impedance: null,
    mismatch: null,
    battery: initialBatteryMonitor(),
    batteryConfig: { ...DEFAULT_BATTERY_CONFIG, ...input.battery },
    reset: null,
    toldEvents: [],
    programEvent: false,
    ramp: null,
    sleep: input.sleep ?? abortableSleep,
  };
}

/** Kept for the screen; a report takes every notice as it comes (notice-outbox.ts), so this only bounds memory. */
export const NOTICE_HISTORY = 50;

export function withNotices(ctx: Pick<SessionContext, 'notices' | 'outcome'>, added: Notice[], refused = false) {
  return {
    notices: [...ctx.notices, ...added].slice(-NOTICE_HISTORY),
    outcome: ctx.outcome
      ? { ...ctx.outcome, accepted: ctx.outcome.accepted && !refused, notices: [...ctx.outcome.notices, ...added] }
      : ctx.outcome,
  };
}

export type { Decision };
