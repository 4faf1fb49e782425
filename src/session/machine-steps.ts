import type { GeneratorState } from '../../protocol/index.js';
import { observeBattery } from './battery-monitor.js';
import { decideIntent, INTENT_FIELD, requestedOf } from './decide-intent.js';
import { failureNotice } from './failure-notice.js';
import { FACT_WORDS } from './notice-words.js';
export { isLinkDown } from './failure-notice.js';
export { rampedStep } from './ramp-steps.js';
import { decideAfterImpedance, impedanceNotices } from './decide-search.js';
import { impedanceCheckOf } from './impedance-check.js';
import type { ImpedanceReading } from '../../protocol/index.js';
import { isBound } from './connection-steps.js';
import { dataOf } from './session-data.js';
import {
  externalMismatch,
  mismatchFromError,
  resetMismatch,
  reviewMismatch,
  supersedeMismatch,
  type Fact,
} from './mismatch.js';
import { notice, reject, type Notice } from './notice.js';
import { changedOutside, describeProgram, outsideChangeNotices, reconcile } from './reconcile.js';
import { offExplained } from './off-check.js';
import { thresholdsFollowing } from './program-thresholds.js';
import { rampCutNotice } from './ramp-cut.js';
import { withNotices, type SessionContext } from './session-context.js';
import type { Ramp } from './ramp.js';
import type { Decision, Intent, LinkOp, NextStep, Phase } from './session-types.js';
import { unrequestedStop } from './unrequested-stop.js';

/**
 * The machine's context updates as plain functions (context in, partial context out), so the
 * machine file stays wiring and these stay testable. Side effects (the audit sink) are separate.
 */

type Patch = Partial<SessionContext>;

export function intentStep(ctx: SessionContext, intent: Intent): Patch {
  const now = intent.at ?? ctx.clock();
  const decision = decideIntent(dataOf(ctx, now), intent, now);
  const runs = decision.ops.length > 0 || isMeasurement(decision.next);
  return {
    ...decision.patch,
    outcome: { intent: intent.type, accepted: decision.accepted, notices: decision.notices },
    notices: withNotices({ notices: ctx.notices, outcome: null }, decision.notices).notices,
    pending: runs
      ? {
          ops: decision.ops,
          next: decision.next,
          ...(decision.confirmed ? { confirmed: decision.confirmed } : {}),
          ...(decision.confirmedPatch ? { confirmedPatch: decision.confirmedPatch } : {}),
        }
      : null,
    next: isMeasurement(decision.next) ? ctx.phase : decision.next,
    // A new decision replaces any ramp under way (the person asked for something else).
    ...(decision.ramp || ctx.ramp ? { ramp: rampOf(decision, runs) } : {}),
  };
}

/** The decision's ramp, carrying what to say once its first step is confirmed when no ops come first. */
function rampOf(decision: Decision, runs: boolean): Ramp | null {
  if (!decision.ramp) return null;
  return !runs && decision.confirmed ? { ...decision.ramp, confirmed: decision.confirmed } : decision.ramp;
}

export function busyStep(ctx: SessionContext, intent: Intent): Patch {
  const reason =
    ctx.linkStatus === 'connected'
      ? 'busy: the previous request is still being applied; try again'
      : 'not connected to a generator (link lost or not yet connected)';
  const refusal = reject(INTENT_FIELD[intent.type], requestedOf(intent), reason);
  return {
    outcome: { intent: intent.type, accepted: false, notices: [refusal] },
    ...pickNotices(withNotices({ ...ctx, outcome: null }, [refusal])),
  };
}

function pickNotices(x: { notices: Notice[] }): Patch {
  return { notices: x.notices };
}

/** Read-back after a successful run: the generator's own word becomes the session's view. */
export function appliedStep(ctx: SessionContext, state: GeneratorState): Patch {
  const next = ctx.pending?.next ?? ctx.phase;
  const phase: Phase = isMeasurement(next) ? (state.output === 'on' ? ctx.phase : 'ready') : next;
  const outside = offFoundChanged(ctx, state);
  // What the decision claims about the generator (e.g. "therapy committed") is said now it is confirmed.
  const said = [
    ...(ctx.pending?.confirmed ?? []),
    ...(outside ? outsideChangeNotices(dataOf(ctx), ctx.expectedRev!, state) : []),
  ];
  // bb5-N1: what the change makes stale is adopted now the generator confirmed it; the thresholds follow
  // the program it confirmed (the decision's own notices said so).
  const own = ctx.pending?.confirmedPatch;
  return {
    ...(own ? { ...own, ...thresholdsFollowing({ ...ctx, ...own }, state).patch } : {}),
    ...(said.length ? withNotices(ctx, said) : {}),
    generator: state,
    expectedRev: state.programRev,
    pending: isMeasurement(next) ? { ops: [], next } : null,
    next: phase,
    mismatch: outside
      ? externalMismatch(ctx.mismatch, ctx.generator, state, ctx.clock())
      : supersedeMismatch(ctx.mismatch, state, writtenFacts(ctx.pending?.ops ?? [])),
  };
}

/**
 * bb3 F-H1 (H17/H10): our own `output off` (never refused for `rev`) whose ACK carries a `rev` or a
 * program our off does not explain: another controller changed the generator just before it.
 */
function offFoundChanged(ctx: SessionContext, state: GeneratorState): boolean {
  const ops = ctx.pending?.ops ?? [];
  const off = ops.length === 1 && ops[0]!.op === 'setOutput' && !ops[0]!.on;
  const before = ctx.generator;
  if (!off || !before || ctx.expectedRev === null) return false;
  return !offExplained(before, ctx.expectedRev, state) && changedOutside(before, state);
}

/** The generator facts a run of operations set (and the link verified on read-back). */
function writtenFacts(ops: readonly LinkOp[]): Fact[] {
  const facts = new Set<Fact>();
  for (const op of ops) {
    if (op.op === 'setProgram')
      for (const f of ['amplitudeUa', 'rateHz', 'pulseWidthUs', 'contacts'] as const) facts.add(f);
    if (op.op === 'setOutput') for (const f of ['output', 'mode'] as const) facts.add(f);
  }
  return [...facts];
}

export const isMeasurement = (next: NextStep): next is 'impedance' | 'impedanceCheck' =>
  next === 'impedance' || next === 'impedanceCheck';

/** A failed request: a refusal or mismatch is shown and the generator re-read; a link failure is a link loss. */
export function failedStep(ctx: SessionContext, error: unknown): Patch {
  const told = failureNotice(error);
  return {
    ...withNotices(ctx, [told], true),
    pending: null,
    ...(ctx.ramp ? { ramp: null } : {}),
    syncReason: 'error',
    mismatch: mismatchFromError(ctx.mismatch, error, ctx.clock()),
  };
}

export function syncStep(ctx: SessionContext, state: GeneratorState): Patch {
  const bound = isBound(ctx);
  const reset = ctx.syncReason === 'reset' && ctx.reset ? ctx.reset : null;
  const result = reconcile({
    data: dataOf(ctx),
    state,
    expectedRev: ctx.expectedRev,
    reason: ctx.syncReason,
    bound,
    ...(reset ? { reset } : {}),
  });
  const freshReset = reset !== null && !reset.reported;
  // PROTOCOL.md §4.9: an output stop no request of ours explains is said from the state, EVT or not.
  const stopFound = result.externalChange ? null : unrequestedStop(ctx, state, ctx.syncReason);
  // A STOP without a confirmed reply: say what the generator actually does now (issue 13).
  const afterStop = ctx.stopUnconfirmed
    ? [
        state.output === 'off'
          ? notice(
              'info',
              'output',
              'stop',
              'off',
              'STOP reply was refused or lost, but the generator reads output off: the STOP took effect',
            )
          : notice(
              'warn',
              'output',
              'stop',
              'on',
              `STOP reply was refused or lost and the generator reads output still on (${describeProgram(state)}): press STOP again or switch it off by hand`,
            ),
      ]
    : [];
  return {
    ...(ctx.stopUnconfirmed
      ? { stopUnconfirmed: false, ...(state.output === 'off' ? { stopPending: false } : {}) }
      : {}),
    ...withNotices(
      ctx,
      [
        ...afterStop,
        ...result.notices,
        ...(stopFound ? [stopFound.tell] : []),
        ...(ctx.rampCut ? [rampCutNotice(ctx.rampCut, state)] : []),
      ],
      !!ctx.rampCut,
    ),
    ...(stopFound ? { toldEvents: stopFound.told } : {}),
    ...(ctx.rampCut ? { rampCut: null } : {}),
    generator: state,
    expectedRev: state.programRev,
    ...(ctx.programEvent ? { programEvent: false } : {}),
    ...(reset ? { reset: { ...reset, reported: true } } : {}),
    // H10/H17: a change made elsewhere is kept as a mismatch until acknowledged or found undone; a
    // reset shows what it lost until acknowledged.
    mismatch: freshReset
      ? (resetMismatch(reset.lost, state, ctx.clock()) ?? reviewMismatch(ctx.mismatch, state))
      : result.externalChange
        ? externalMismatch(ctx.mismatch, ctx.generator, state, ctx.clock())
        : reviewMismatch(ctx.mismatch, state),
    pending: result.ops.length
      ? { ops: result.ops, next: result.next, ...(result.confirmed ? { confirmed: result.confirmed } : {}) }
      : null,
    next: result.next,
    // Leaving search or tuning (the generator is off or in another mode) ends the search's dwell clock.
    ...(result.next !== 'search' ? { lastStepAt: null } : {}),
  };
}

/** The impedance check before a search: continue into the search, or refuse it and stay off. */
export function afterImpedanceStep(ctx: SessionContext, readings: ImpedanceReading[]): Patch {
  // The search's first program is decided with these readings: they give the current shares from now on.
  const impedance = impedanceCheckOf(readings, ctx.clock(), ctx.generator?.contacts);
  const decision = decideAfterImpedance({ ...dataOf(ctx), impedance }, readings, ctx.clock());
  const outcome = ctx.outcome
    ? {
        ...ctx.outcome,
        accepted: ctx.outcome.accepted && decision.accepted,
        notices: [...ctx.outcome.notices, ...decision.notices],
      }
    : null;
  return {
    ...decision.patch,
    impedance,
    outcome,
    notices: withNotices({ ...ctx, outcome: null }, decision.notices).notices,
    pending: decision.ops.length ? { ops: decision.ops, next: decision.next } : null,
    next: isMeasurement(decision.next) ? 'ready' : decision.next,
  };
}

/** An impedance check on its own: the readings are kept and shown, flagged contacts warned about. */
export function impedanceCheckStep(ctx: SessionContext, readings: ImpedanceReading[]): Patch {
  return {
    ...withNotices(ctx, impedanceNotices(readings, ctx.generator?.contacts ?? '')),
    impedance: impedanceCheckOf(readings, ctx.clock(), ctx.generator?.contacts),
    pending: null,
  };
}

/** The person has seen the difference between what the companion expected and what the generator holds. */
export function acknowledgeStep(ctx: SessionContext): Patch {
  const mismatch = ctx.mismatch;
  const told = mismatch
    ? notice(
        'info',
        'generator',
        'acknowledge',
        null,
        `difference acknowledged (${mismatch.fields.map((f) => FACT_WORDS[f]).join(', ')}); the generator's own state stays as read back`,
      )
    : notice('info', 'generator', 'acknowledge', null, 'nothing to acknowledge: screen and generator agree');
  return {
    mismatch: null,
    outcome: { intent: 'ACKNOWLEDGE_MISMATCH', accepted: mismatch !== null, notices: [told] },
    notices: withNotices({ ...ctx, outcome: null }, [told]).notices,
  };
}

/** H15: every generator state the session adopts (read-back, telemetry, handshake) is a battery reading. */
export function batteryStep(ctx: SessionContext): Patch {
  const generator = ctx.generator;
  if (!generator) return {};
  const observed = observeBattery(
    ctx.battery,
    {
      atMs: ctx.clock(),
      pct: generator.batteryPct,
      output: generator.output,
      source: ctx.identity?.bootId ?? null,
      faults: generator.faults,
    },
    ctx.batteryConfig,
  );
  // Shown and audited, not attached to the last intent's answer (it was not caused by it).
  return observed.notices.length
    ? { battery: observed.monitor, notices: withNotices({ ...ctx, outcome: null }, observed.notices).notices }
    : { battery: observed.monitor };
}
