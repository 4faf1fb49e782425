import type { GeneratorState } from '../../protocol/index.js';
import type { Handshake } from '../link/generator-link.js';
import { observeBattery } from './battery-monitor.js';
import { decideIntent, INTENT_FIELD, requestedOf } from './decide-intent.js';
import { failureNotice } from './failure-notice.js';
import { FACT_WORDS } from './notice-words.js';
export { isLinkDown } from './failure-notice.js';
import { decideAfterImpedance, impedanceNotices } from './decide-search.js';
import { impedanceCheckOf } from './impedance-check.js';
import { agedCheck } from './contact-share.js';
import type { Identity, ImpedanceReading } from '../../protocol/index.js';
import {
  externalMismatch,
  mismatchFromError,
  resetMismatch,
  reviewMismatch,
  supersedeMismatch,
  type Fact,
} from './mismatch.js';
import { notice, reject, type Notice } from './notice.js';
import { changedOutside, describeProgram, outsideChangeNotices, reconcile, type SyncReason } from './reconcile.js';
import { offExplained } from './off-check.js';
import { reconnectNotices } from './reconnect-check.js';
import { rampCutNotice, rampStepSurprise } from './ramp-cut.js';
import { withNotices, type ResetSeen, type SessionContext } from './session-context.js';
import type { Intent, LinkOp, NextStep, Phase, SessionData } from './session-types.js';
import { unrequestedStop } from './unrequested-stop.js';
import { ownWritesInFlight, stopFoundChanged } from './stop-check.js';

/**
 * The machine's context updates as plain functions (context in, partial context out), so the
 * machine file stays wiring and these stay testable. Side effects (the audit sink) are separate.
 */

type Patch = Partial<SessionContext>;

/** What the deciders read, as of `now`: the impedance check is aged (stale past its limit) here. */
export function dataOf(ctx: SessionContext, now: number = ctx.clock()): SessionData {
  const { phase, limits, generator, posture, thresholds, estimate, patientMode, patientWindow, lastStepAt, dwellMs } =
    ctx;
  return {
    phase,
    limits,
    generator,
    posture,
    thresholds,
    estimate,
    patientMode,
    patientWindow,
    lastStepAt,
    dwellMs,
    impedance: agedCheck(ctx.impedance, now),
  };
}

export function intentStep(ctx: SessionContext, intent: Intent): Patch {
  const now = intent.at ?? ctx.clock();
  const d = decideIntent(dataOf(ctx, now), intent, now);
  const runs = d.ops.length > 0 || isMeasurement(d.next);
  return {
    ...d.patch,
    outcome: { intent: intent.type, accepted: d.accepted, notices: d.notices },
    notices: withNotices({ notices: ctx.notices, outcome: null }, d.notices).notices,
    pending: runs ? { ops: d.ops, next: d.next, ...(d.confirmed ? { confirmed: d.confirmed } : {}) } : null,
    next: isMeasurement(d.next) ? ctx.phase : d.next,
    // A new decision replaces any ramp under way (the person asked for something else).
    ...(d.ramp || ctx.ramp ? { ramp: d.ramp ?? null } : {}),
  };
}

/** A ramp step was applied: the read-back is adopted; the ramp ends at its target or on any surprise. */
export function rampedStep(ctx: SessionContext, state: GeneratorState): Patch {
  const r = ctx.ramp;
  const onCourse =
    r !== null &&
    state.output === 'on' &&
    state.amplitudeUa < r.targetUa &&
    state.amplitudeUa > (ctx.generator?.amplitudeUa ?? -1);
  const cut = r !== null && !onCourse ? rampStepSurprise(r.targetUa, ctx.generator, state) : null;
  return {
    generator: state,
    expectedRev: state.programRev,
    ramp: onCourse ? r : null,
    mismatch: supersedeMismatch(ctx.mismatch, state, ['amplitudeUa', 'rateHz', 'pulseWidthUs', 'contacts']),
    ...(cut ? withNotices(ctx, [rampCutNotice(cut, state)], true) : {}),
  };
}

export function busyStep(ctx: SessionContext, intent: Intent): Patch {
  const reason =
    ctx.linkStatus === 'connected'
      ? 'busy: the previous request is still being applied; try again'
      : 'not connected to a generator (link lost or not yet connected)';
  const n = reject(INTENT_FIELD[intent.type], requestedOf(intent), reason);
  return {
    outcome: { intent: intent.type, accepted: false, notices: [n] },
    ...pickNotices(withNotices({ ...ctx, outcome: null }, [n])),
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
  return {
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
  const n = failureNotice(error);
  return {
    ...withNotices(ctx, [n], true),
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
    pending: result.ops.length ? { ops: result.ops, next: result.next } : null,
    next: result.next,
    // Leaving search or tuning (the generator is off or in another mode) ends the search's dwell clock.
    ...(result.next !== 'search' ? { lastStepAt: null } : {}),
  };
}

export function isBound(ctx: Pick<SessionContext, 'binding' | 'identity'>): boolean {
  if (!ctx.identity) return true;
  return !ctx.binding || (ctx.binding.serial === ctx.identity.serial && ctx.binding.proto === ctx.identity.proto);
}

/** A (re)connection: adopt identity and limits, bind on first sight (H13), choose why we re-read. */
export function handshakeStep(
  ctx: SessionContext,
  handshake: Handshake,
  resetDetected: boolean,
  reason: SyncReason,
): Patch {
  const identity = handshake.identity;
  const binding = ctx.binding ?? { serial: identity.serial, proto: identity.proto };
  // A reconnection to the same boot (not the session's first connection): the state found is checked
  // against what our own last read or write left, and a request the link went down under is settled.
  const reconnected =
    !resetDetected && ctx.expectedRev !== null && (reason !== 'connect' || sameBoot(ctx.identity, identity));
  const check = reconnected
    ? reconnectNotices(dataOf(ctx), ctx.expectedRev!, handshake.state, ctx.unconfirmed ?? null)
    : null;
  const added: Notice[] = [];
  const patch: Patch = {
    ...(resetDetected ? { reset: resetSeen(ctx, identity.bootId) } : {}),
    identity,
    limits: handshake.limits,
    binding,
    linkStatus: 'connected',
    needsHandshake: false,
    generator: handshake.state,
    syncReason: resetDetected ? 'reset' : reason,
    ...(ctx.unconfirmed ? { unconfirmed: null } : {}),
    // Checked and reported here: the next re-read compares with what was found.
    ...(reconnected
      ? { expectedRev: handshake.state.programRev }
      : resetDetected || reason === 'connect'
        ? { expectedRev: null }
        : {}),
    // Changed while the link was down: compared with what was last seen before the handshake replaces it.
    mismatch:
      reconnected && handshake.state.programRev !== ctx.expectedRev && check?.externalChange !== false
        ? externalMismatch(ctx.mismatch, ctx.generator, handshake.state, ctx.clock())
        : reviewMismatch(ctx.mismatch, handshake.state),
  };
  if (handshake.endedTest) {
    // Protocol v2: a new companion never inherits test stimulation; say what was found and done.
    added.push(
      notice(
        'warn',
        'output',
        'on',
        'off',
        'The generator was delivering uncommitted test stimulation from an earlier session; it stopped it when this companion connected.',
      ),
    );
  }
  if (binding.serial !== identity.serial || binding.proto !== identity.proto) {
    added.push(
      notice(
        'reject',
        'generator',
        `${binding.serial} v${binding.proto}`,
        `${identity.serial} v${identity.proto}`,
        'a different generator or protocol version than the session is bound to: programming is blocked until you re-bind explicitly',
      ),
    );
  }
  // What the reconnection found is shown and audited, not part of the last intent's answer.
  const found = withNotices({ ...ctx, outcome: null }, check?.notices ?? []).notices;
  return { ...patch, ...withNotices({ ...ctx, notices: found }, added) };
}

/** The same generator, protocol and boot as before: a reconnection, not a new connection. */
const sameBoot = (a: Identity | null, b: Identity) =>
  a !== null && a.serial === b.serial && a.proto === b.proto && a.bootId === b.bootId;

/** A reset of boot `boot` seen now: the first sight keeps what the generator held before it. */
export function resetSeen(ctx: Pick<SessionContext, 'reset' | 'generator'>, boot: string): ResetSeen {
  return ctx.reset?.boot === boot ? ctx.reset : { boot, lost: ctx.generator, reported: false };
}

export function rebindStep(ctx: SessionContext): Patch {
  if (!ctx.identity) return {};
  const n = notice(
    'warn',
    'generator',
    ctx.binding ? `${ctx.binding.serial} v${ctx.binding.proto}` : null,
    `${ctx.identity.serial} v${ctx.identity.proto}`,
    're-bound to this generator; thresholds discarded',
  );
  // Readings of another generator's contacts say nothing about this one's.
  return {
    binding: { serial: ctx.identity.serial, proto: ctx.identity.proto },
    thresholds: [],
    estimate: null,
    patientWindow: null,
    impedance: null,
    syncReason: 'rebind',
    ...withNotices(ctx, [n]),
  };
}

export function stoppedStep(ctx: SessionContext, state: GeneratorState): Patch {
  // bb3 F-H3: a change made elsewhere found by the STOP is told and kept (H10/H17), never erased by it.
  const outside = stopFoundChanged(ctx, state);
  return {
    ...(outside ? withNotices(ctx, outsideChangeNotices(dataOf(ctx), ctx.expectedRev!, state)) : {}),
    stopOwnWrites: 0,
    generator: state,
    expectedRev: state.programRev,
    stopPending: false,
    pending: null,
    lastStepAt: null,
    next: isBound(ctx) ? 'ready' : 'blocked',
    mismatch: outside
      ? externalMismatch(ctx.mismatch, ctx.generator, state, ctx.clock())
      : reviewMismatch(ctx.mismatch, state),
  };
}

/** STOP (or a request held as one, e.g. `output off` while the link is down: not accepted until confirmed). */
export function stopRequestedStep(
  ctx: SessionContext,
  n: Notice = notice('info', 'output', 'stop', 'off', 'STOP: output off before anything else'),
  intent = 'STOP',
): Patch {
  return {
    stopPending: true,
    stopOwnWrites: ownWritesInFlight(ctx),
    pending: null,
    ...(ctx.ramp ? { ramp: null } : {}),
    outcome: { intent, accepted: intent === 'STOP', notices: [n] },
    notices: withNotices({ ...ctx, outcome: null }, [n]).notices,
  };
}

export function stopFailedStep(ctx: SessionContext, error: unknown): Patch {
  const n = notice(
    'warn',
    'link',
    'stop',
    null,
    `STOP not confirmed (${error instanceof Error ? error.message : String(error)}): it is sent first when the link returns; the generator's watchdog stops test stimulation by itself`,
  );
  return { ...withNotices(ctx, [n]), mismatch: mismatchFromError(ctx.mismatch, error, ctx.clock()) };
}

/** The impedance check before a search: continue into the search, or refuse it and stay off. */
export function afterImpedanceStep(ctx: SessionContext, readings: ImpedanceReading[]): Patch {
  // The search's first program is decided with these readings: they give the current shares from now on.
  const impedance = impedanceCheckOf(readings, ctx.clock(), ctx.generator?.contacts);
  const d = decideAfterImpedance({ ...dataOf(ctx), impedance }, readings, ctx.clock());
  const outcome = ctx.outcome
    ? { ...ctx.outcome, accepted: ctx.outcome.accepted && d.accepted, notices: [...ctx.outcome.notices, ...d.notices] }
    : null;
  return {
    ...d.patch,
    impedance,
    outcome,
    notices: withNotices({ ...ctx, outcome: null }, d.notices).notices,
    pending: d.ops.length ? { ops: d.ops, next: d.next } : null,
    next: isMeasurement(d.next) ? 'ready' : d.next,
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
  const m = ctx.mismatch;
  const n = m
    ? notice(
        'info',
        'generator',
        'acknowledge',
        null,
        `difference acknowledged (${m.fields.map((f) => FACT_WORDS[f]).join(', ')}); the generator's own state stays as read back`,
      )
    : notice('info', 'generator', 'acknowledge', null, 'nothing to acknowledge: screen and generator agree');
  return {
    mismatch: null,
    outcome: { intent: 'ACKNOWLEDGE_MISMATCH', accepted: m !== null, notices: [n] },
    notices: withNotices({ ...ctx, outcome: null }, [n]).notices,
  };
}

/** H15: every generator state the session adopts (read-back, telemetry, handshake) is a battery reading. */
export function batteryStep(ctx: SessionContext): Patch {
  const g = ctx.generator;
  if (!g) return {};
  const r = observeBattery(
    ctx.battery,
    { atMs: ctx.clock(), pct: g.batteryPct, output: g.output, source: ctx.identity?.bootId ?? null, faults: g.faults },
    ctx.batteryConfig,
  );
  // Shown and audited, not attached to the last intent's answer (it was not caused by it).
  return r.notices.length
    ? { battery: r.monitor, notices: withNotices({ ...ctx, outcome: null }, r.notices).notices }
    : { battery: r.monitor };
}
