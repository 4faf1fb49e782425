import { assertEvent } from 'xstate';
import { auditRecordFor, type AuditKind } from './audit-records.js';
import { generatorEventStep } from './event-news.js';
import { handshakeStep, rebindStep } from './connection-steps.js';
import {
  heldOutputOffStep,
  heldStopDoneStep,
  linkBackStep,
  linkLostStep,
  requestStopStep,
  unconfirmedStep,
} from './link-down-steps.js';
import { acknowledgeStep, batteryStep, busyStep, failedStep, intentStep } from './machine-steps.js';
import { stopFailedStep } from './stop-steps.js';
import { notice } from './notice.js';
import { withNotices, type SessionContext, type SessionEvent } from './session-context.js';
import { INTENT_TYPES } from './session-types.js';

type MachineArgs = { context: SessionContext; event: SessionEvent };
type Patch = Partial<SessionContext>;

/**
 * The session machine's named context updates (the machine wraps them in `assign`). Each that reads
 * its event asserts the event it is wired to (xstate's `assertEvent`); an update after a failed
 * request takes the error as its parameter.
 */
export const machinePatches = {
  /** A person's intent in a stable state, decided by the pure deciders. */
  decide: ({ context, event }: MachineArgs): Patch => {
    assertEvent(event, INTENT_TYPES);
    return intentStep(context, event);
  },
  /** A person's intent while a request is in flight or the link is down: refused, and said why. */
  busy: ({ context, event }: MachineArgs): Patch => {
    assertEvent(event, INTENT_TYPES);
    return busyStep(context, event);
  },
  noteStatus: ({ context, event }: MachineArgs): Patch => {
    assertEvent(event, 'LINK_STATUS');
    return { linkStatus: event.status, needsHandshake: context.needsHandshake || event.status !== 'connected' };
  },
  noteHandshake: ({ context, event }: MachineArgs): Patch => {
    assertEvent(event, 'LINK_HANDSHAKE');
    return handshakeStep(context, event.handshake, event.resetDetected, 'link-restored');
  },
  noteTelemetry: ({ event }: MachineArgs): Patch => {
    assertEvent(event, 'LINK_TELEMETRY');
    return { generator: event.state };
  },
  /** A generator event: news shown at once, a copy dropped, a program change left to the re-read (event-news.ts). */
  noteGeneratorEvent: ({ context, event }: MachineArgs): Patch => {
    assertEvent(event, 'LINK_EVENT');
    return generatorEventStep(context, event.event);
  },
  /** A surprise ends the ramp short: the re-read that follows says where amplitude stopped (ramp-cut.ts). */
  cutRamp: ({ context }: MachineArgs, why: string): Patch =>
    context.ramp ? { ramp: null, rampCut: { targetUa: context.ramp.targetUa, why } } : {},
  /** Why the generator is re-read after an event: the reset just seen, or any other event. */
  syncForEvent: ({ context, event }: MachineArgs): Patch => {
    assertEvent(event, 'LINK_EVENT');
    // Only a reset not told yet: a late copy of its EVT boot is no reason to end output (bb4-F8, §4.9).
    const reset =
      event.event.kind === 'boot' &&
      context.reset !== null &&
      context.reset.boot === event.event.bootId &&
      !context.reset.reported;
    return { syncReason: reset ? 'reset' : 'event' };
  },
  rebindNotNeeded: ({ context }: MachineArgs): Patch =>
    withNotices(context, [
      notice('info', 'generator', 'rebind', null, 'nothing to re-bind: this generator is the bound one'),
    ]),
  recordFailure: ({ context }: MachineArgs, error: unknown): Patch => failedStep(context, error),
  stopFailed: ({ context }: MachineArgs, error: unknown): Patch => stopFailedStep(context, error),
  /** The link is still up (the STOP's reply was refused or garbled): re-read and report what the generator does. */
  stopReplyLost: ({ context }: MachineArgs, error: unknown): Patch => ({
    ...stopFailedStep(context, error),
    stopUnconfirmed: true,
    syncReason: 'error',
  }),
  /** H15: after every adopted generator state (handshake, read-back, telemetry). */
  noteBattery: ({ context }: MachineArgs): Patch => batteryStep(context),
  requestStop: ({ context }: MachineArgs): Patch => requestStopStep(context),
  heldStopDone: ({ context }: MachineArgs): Patch => heldStopDoneStep(context),
  noteLinkLost: ({ context, event }: MachineArgs): Patch => {
    assertEvent(event, 'LINK_STATUS');
    return linkLostStep(context, event.reason);
  },
  noteLinkBack: ({ context }: MachineArgs): Patch => linkBackStep(context),
  // The loss's reason tells a reset under a command from a pulled cable (loss-reasons.ts).
  unconfirmed: ({ context, event }: MachineArgs): Patch => {
    assertEvent(event, 'LINK_STATUS');
    return unconfirmedStep(context, event.reason);
  },
  holdOutputOff: ({ context }: MachineArgs): Patch => heldOutputOffStep(context),
  rebind: ({ context }: MachineArgs): Patch => rebindStep(context),
  acknowledge: ({ context }: MachineArgs): Patch => acknowledgeStep(context),
};

/** The session machine's side effects: the audit log, and a held STOP handed to the link. */
export const machineEffects = {
  audit: ({ context, event }: MachineArgs, kind: AuditKind) => context.audit(auditRecordFor[kind](context, event)),
  auditBattery: ({ context, event }: MachineArgs) => {
    if (context.battery.lastWarnings.length > 0) context.audit(auditRecordFor.battery(context, event));
  },
  // While the link is down a pending STOP waits in the link, which sends it before HELLO (§10 step 2).
  holdStop: ({ context }: MachineArgs) => {
    if (context.stopPending) context.link.stop().catch(() => {});
  },
};
