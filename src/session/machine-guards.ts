import { assertEvent } from 'xstate';
import { eventNews } from './event-news.js';
import { isLinkDown, isMeasurement } from './machine-steps.js';
import type { SessionContext, SessionEvent } from './session-context.js';
import type { NextStep, Phase } from './session-types.js';
import { ownRampStep, telemetryDiffers } from './telemetry-check.js';

type MachineArgs = { context: SessionContext; event: SessionEvent };

/**
 * The session machine's conditions, by name. A guard on one event asserts that event (xstate's
 * `assertEvent`); a guard on a failed request takes the error as its parameter.
 */
export const machineGuards = {
  /** An impedance measurement (before a search, or on its own) is next, with nothing to send first. */
  pendingMeasurement: ({ context }: MachineArgs) =>
    context.pending !== null && isMeasurement(context.pending.next) && context.pending.ops.length === 0,
  pendingIs: ({ context }: MachineArgs, next: NextStep) => context.pending?.next === next,
  pendingOps: ({ context }: MachineArgs) => (context.pending?.ops.length ?? 0) > 0,
  rampPending: ({ context }: MachineArgs) => context.ramp !== null && context.generator?.output === 'on',
  stopPending: ({ context }: MachineArgs) => context.stopPending,
  /** A stop event not yet checked against the state (event-news.ts, bb4-F8). */
  stopEventUnread: ({ context }: MachineArgs) => !!context.stopEvent,
  /** A reset seen on reconnection whose outcome is not told yet (a held STOP went first, bb4-F11). */
  resetUnreported: ({ context }: MachineArgs) =>
    context.syncReason === 'reset' && context.reset !== null && !context.reset.reported,
  /** A program-changed event came while a request ran: the generator is re-read before anything else. */
  programEventUnread: ({ context }: MachineArgs) => context.programEvent,
  /** A copy of an event already told (duplicated or delayed on the wire): no news, no surprise. */
  repeatEvent: ({ context, event }: MachineArgs) => {
    assertEvent(event, 'LINK_EVENT');
    return 'repeat' in eventNews(context, event.event);
  },
  nextIs: ({ context }: MachineArgs, phase: Phase) => context.next === phase,
  wasConnected: ({ context }: MachineArgs) => context.identity !== null,
  linkDown: ({ context, event }: MachineArgs) => {
    assertEvent(event, 'LINK_STATUS');
    return event.status !== 'connected' && context.identity !== null;
  },
  newConnection: ({ context, event }: MachineArgs) => {
    assertEvent(event, 'LINK_HANDSHAKE');
    return (
      event.resetDetected || context.needsHandshake || event.handshake.identity.bootId !== context.identity?.bootId
    );
  },
  telemetryDiffers: ({ context, event }: MachineArgs) => {
    assertEvent(event, 'LINK_TELEMETRY');
    return telemetryDiffers(context, event.state);
  },
  // During a ramp, the step in flight showing up in telemetry before its ACK is not a surprise.
  rampTelemetryDiffers: ({ context, event }: MachineArgs) => {
    assertEvent(event, 'LINK_TELEMETRY');
    return telemetryDiffers(context, event.state) && !ownRampStep(context, event.state);
  },
  errorIsLinkDown: (_: MachineArgs, error: unknown) => isLinkDown(error),
  /** A STOP whose reply was refused or garbled while the link stayed up. */
  stopReplyOnly: ({ context }: MachineArgs, error: unknown) =>
    context.identity !== null && context.linkStatus === 'connected' && !isLinkDown(error),
};
