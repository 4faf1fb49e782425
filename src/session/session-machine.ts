import { assign, setup } from 'xstate';
import {
  connectLink,
  linkEvents,
  measureImpedance,
  rampStep,
  readGenerator,
  runOps,
  stopOutput,
} from './machine-actors.js';
import {
  acknowledgeStep,
  afterImpedanceStep,
  rampedStep,
  batteryStep,
  appliedStep,
  busyStep,
  dataOf,
  failedStep,
  handshakeStep,
  impedanceCheckStep,
  intentStep,
  isBound,
  isLinkDown,
  rebindStep,
  stopFailedStep,
  resetSeen,
  stoppedStep,
  stopRequestedStep,
  syncStep,
} from './machine-steps.js';
import { generatorEventNotice } from './generator-event-words.js';
import { heldOutputOffStep, unconfirmedStep } from './link-down-steps.js';
import { chargeDensityReport } from './density-report.js';
import { notice } from './notice.js';
import { ownRampStep, telemetryDiffers } from './telemetry-check.js';
import {
  initialContext,
  withNotices,
  type SessionContext,
  type SessionEvent,
  type SessionInput,
} from './session-context.js';
import { INTENT_TYPES, type Intent, type Phase } from './session-types.js';

/**
 * The stimulation session: disconnected → connecting → ready (output off) → impedance check →
 * threshold search → tuning (window measured, test stimulation) → therapy (committed).
 * STOP is accepted everywhere and goes to the generator before anything else; link loss and generator
 * resets lead to a re-read, never to output turned on. The rules live in the pure deciders.
 */

const isIntent = (e: SessionEvent): e is Intent => (INTENT_TYPES as readonly string[]).includes(e.type);
/** What every failed step does: record the failure (notices, mismatch) and audit it. */
const FAULT = ['recordFailure', { type: 'audit', params: 'fault' }] as const;
const linkInput = ({ context }: { context: SessionContext }) => ({ link: context.link });

export const sessionMachine = setup({
  types: { context: {} as SessionContext, events: {} as SessionEvent, input: {} as SessionInput },
  actors: { linkEvents, connectLink, readGenerator, stopOutput, measureImpedance, runOps, rampStep },
  guards: {
    pendingImpedance: ({ context }) => context.pending?.next === 'impedance' && context.pending.ops.length === 0,
    pendingImpedanceCheck: ({ context }) =>
      context.pending?.next === 'impedanceCheck' && context.pending.ops.length === 0,
    pendingOps: ({ context }) => (context.pending?.ops.length ?? 0) > 0,
    rampPending: ({ context }) => context.ramp !== null && context.generator?.output === 'on',
    stopPending: ({ context }) => context.stopPending,
    nextIs: ({ context }, phase: Phase) => context.next === phase,
    linkDown: ({ context, event }) =>
      event.type === 'LINK_STATUS' && event.status !== 'connected' && context.identity !== null,
    newConnection: ({ context, event }) =>
      event.type === 'LINK_HANDSHAKE' &&
      (event.resetDetected || context.needsHandshake || event.handshake.identity.bootId !== context.identity?.bootId),
    errorIsLinkDown: ({ event }) => 'error' in event && isLinkDown(event.error),
    telemetryDiffers: ({ context, event }) => event.type === 'LINK_TELEMETRY' && telemetryDiffers(context, event.state),
    // During a ramp, the step in flight showing up in telemetry before its ACK is not a surprise.
    rampTelemetryDiffers: ({ context, event }) =>
      event.type === 'LINK_TELEMETRY' && telemetryDiffers(context, event.state) && !ownRampStep(context, event.state),
    wasConnected: ({ context }) => context.identity !== null,
    stopReplyOnly: ({ context, event }) =>
      context.identity !== null && context.linkStatus === 'connected' && 'error' in event && !isLinkDown(event.error),
    unbound: ({ context }) => !isBound(context),
  },
  actions: {
    decide: assign(({ context, event }) => (isIntent(event) ? intentStep(context, event) : {})),
    busy: assign(({ context, event }) => (isIntent(event) ? busyStep(context, event) : {})),
    enterPhase: assign((_, phase: Phase) => ({ phase })),
    noteStatus: assign(({ context, event }) =>
      event.type === 'LINK_STATUS'
        ? { linkStatus: event.status, needsHandshake: context.needsHandshake || event.status !== 'connected' }
        : {},
    ),
    noteHandshake: assign(({ context, event }) =>
      event.type === 'LINK_HANDSHAKE'
        ? handshakeStep(context, event.handshake, event.resetDetected, 'link-restored')
        : {},
    ),
    noteTelemetry: assign(({ event }) => (event.type === 'LINK_TELEMETRY' ? { generator: event.state } : {})),
    // H15: after every adopted generator state (handshake, read-back, telemetry).
    noteBattery: assign(({ context }) => batteryStep(context)),
    auditBattery: ({ context, event }) => {
      if (context.battery.lastWarnings.length > 0)
        context.audit({
          kind: 'battery',
          event: event.type,
          notices: context.battery.lastWarnings,
          battery: { pct: context.battery.pct, remainingMs: context.battery.remainingMs },
        });
    },
    syncBecause: assign((_, reason: SessionContext['syncReason']) => ({ syncReason: reason })),
    noteGeneratorEvent: assign(({ context, event }) => {
      if (event.type !== 'LINK_EVENT') return {};
      const e = event.event;
      // A boot event with a new boot id is a reset: remembered with what the generator held before it.
      const reset =
        e.kind === 'boot' && e.bootId && context.identity && e.bootId !== context.identity.bootId
          ? { reset: resetSeen(context, e.bootId) }
          : {};
      // Shown, not part of the request's outcome (which a later failure must still be able to refuse).
      return { ...reset, notices: withNotices({ ...context, outcome: null }, [generatorEventNotice(e)]).notices };
    }),
    syncForEvent: assign(({ context, event }) => ({
      syncReason:
        event.type === 'LINK_EVENT' &&
        event.event.kind === 'boot' &&
        context.reset &&
        context.reset.boot === event.event.bootId
          ? ('reset' as const)
          : ('event' as const),
    })),
    recordFailure: assign(({ context, event }) => failedStep(context, (event as { error?: unknown }).error)),
    requestStop: assign(({ context }) => stopRequestedStep(context)),
    unconfirmed: assign(({ context }) => unconfirmedStep(context)),
    holdOutputOff: assign(({ context }) => heldOutputOffStep(context)),
    // While the link is down a pending STOP waits in the link, which sends it before HELLO (§10 step 2).
    holdStop: ({ context }) => {
      if (context.stopPending) context.link.stop().catch(() => {});
    },
    rebind: assign(({ context }) => rebindStep(context)),
    endRamp: assign({ ramp: null }),
    audit: ({ context, event }, kind: string) => {
      const e = event as { type: string; output?: unknown; error?: unknown };
      context.audit({
        kind,
        event: e.type,
        outcome: context.outcome,
        ...(kind === 'decision' ? { ops: context.pending?.ops ?? [] } : {}),
        ...(kind === 'fault'
          ? { error: e.error instanceof Error ? `${e.error.name}: ${e.error.message}` : String(e.error) }
          : {}),
        // The program's most loaded contact and its density (issue 19): the programming summary reads it back.
        ...(kind === 'applied' || kind === 'stopped' || kind === 'sync'
          ? {
              generator: context.generator,
              notices: context.notices.slice(-3),
              chargeDensity: chargeDensityReport(dataOf(context)),
            }
          : {}),
        ...(kind === 'impedance' ? { impedance: context.impedance } : {}),
        ...(kind === 'acknowledge' || kind === 'sync' || kind === 'fault' ? { mismatch: context.mismatch } : {}),
        // A reconnection's findings (a change made while the link was down, a request settled) are kept too.
        ...(kind === 'link'
          ? {
              status: context.linkStatus,
              identity: context.identity,
              binding: context.binding,
              generator: context.generator,
              notices: context.notices.slice(-3),
            }
          : {}),
      });
    },
  },
}).createMachine({
  id: 'session',
  context: ({ input }) => initialContext(input),
  invoke: { src: 'linkEvents', input: linkInput },
  initial: 'disconnected',
  on: {
    STOP: { target: '.stopping', actions: ['requestStop', { type: 'audit', params: 'stop' }] },
    LINK_STATUS: [
      {
        guard: 'linkDown',
        target: '.linkLost',
        actions: ['unconfirmed', 'holdStop', 'noteStatus', { type: 'audit', params: 'link' }],
      },
      { actions: 'noteStatus' },
    ],
    LINK_HANDSHAKE: {
      guard: 'newConnection',
      target: '.afterHandshake',
      actions: ['noteHandshake', 'noteBattery', { type: 'audit', params: 'link' }],
    },
    LINK_ERROR: { actions: { type: 'audit', params: 'fault' } },
    // A generator event (battery, stopped, …) while a request is in flight is shown, never dropped (H15);
    // the stable states also re-read on it.
    LINK_EVENT: { actions: 'noteGeneratorEvent' },
    REBIND: {
      actions: assign(({ context }) =>
        withNotices(context, [
          notice('info', 'generator', 'rebind', null, 'nothing to re-bind: this generator is the bound one'),
        ]),
      ),
    },
    // In every state: clears what is shown, sends nothing to the generator.
    ACKNOWLEDGE_MISMATCH: {
      actions: [{ type: 'audit', params: 'acknowledge' }, assign(({ context }) => acknowledgeStep(context))],
    },
    ...Object.fromEntries(INTENT_TYPES.map((t) => [t, { actions: 'busy' as const }])),
  },
  states: {
    disconnected: {
      tags: ['settled'],
      // Nothing to stop yet: the STOP is remembered and sent first once connected.
      on: {
        CONNECT: 'connecting',
        STOP: { actions: ['requestStop', { type: 'audit', params: 'stop' }] },
        OUTPUT_OFF: { actions: ['holdOutputOff', { type: 'audit', params: 'decision' }] },
      },
    },
    connecting: {
      invoke: {
        src: 'connectLink',
        input: linkInput,
        onDone: {
          target: 'afterHandshake',
          actions: [
            assign(({ context, event }) => handshakeStep(context, event.output, false, 'connect')),
            'noteBattery',
            { type: 'audit', params: 'link' },
          ],
        },
        onError: {
          target: 'disconnected',
          actions: FAULT,
        },
      },
      on: { LINK_STATUS: { actions: 'noteStatus' }, LINK_HANDSHAKE: {} },
    },
    afterHandshake: {
      always: [{ guard: 'stopPending', target: 'stopping' }, { target: 'syncing' }],
    },
    syncing: {
      invoke: {
        src: 'readGenerator',
        input: linkInput,
        onDone: {
          target: 'route',
          actions: [
            assign(({ context, event }) => syncStep(context, event.output)),
            'noteBattery',
            { type: 'audit', params: 'sync' },
          ],
        },
        onError: { target: 'linkLost', actions: FAULT },
      },
    },
    route: {
      always: [
        { guard: 'pendingImpedance', target: 'impedance' },
        { guard: 'pendingImpedanceCheck', target: 'impedanceCheck' },
        { guard: 'pendingOps', target: 'applying' },
        { guard: 'rampPending', target: 'ramping' },
        { guard: { type: 'nextIs', params: 'search' }, target: 'search' },
        { guard: { type: 'nextIs', params: 'tuning' }, target: 'tuning' },
        { guard: { type: 'nextIs', params: 'therapy' }, target: 'therapy' },
        { guard: { type: 'nextIs', params: 'blocked' }, target: 'blocked' },
        { target: 'ready' },
      ],
    },
    applying: {
      invoke: {
        src: 'runOps',
        input: ({ context }) => ({ link: context.link, ops: context.pending?.ops ?? [] }),
        onDone: {
          target: 'route',
          actions: [
            assign(({ context, event }) => appliedStep(context, event.output)),
            'noteBattery',
            { type: 'audit', params: 'applied' },
          ],
        },
        onError: [
          { guard: 'errorIsLinkDown', target: 'linkLost', actions: FAULT },
          { target: 'syncing', actions: FAULT },
        ],
      },
    },
    // H4: amplitude rising one step at a time at a bounded rate. STOP (global) leaves at once and
    // aborts the pause; any intent ends the ramp and is decided; telemetry that differs re-reads.
    ramping: {
      invoke: {
        src: 'rampStep',
        input: ({ context }) => ({
          link: context.link,
          ramp: context.ramp!,
          nowUa: context.generator?.amplitudeUa ?? 0,
          sleep: context.sleep,
        }),
        onDone: {
          target: 'route',
          actions: [
            assign(({ context, event }) => rampedStep(context, event.output)),
            'noteBattery',
            { type: 'audit', params: 'applied' },
          ],
        },
        onError: [
          { guard: 'errorIsLinkDown', target: 'linkLost', actions: FAULT },
          { target: 'syncing', actions: FAULT },
        ],
      },
      on: {
        ...Object.fromEntries(
          INTENT_TYPES.map((t) => [
            t,
            {
              target: 'route',
              actions: ['endRamp' as const, 'decide' as const, { type: 'audit' as const, params: 'decision' }],
            },
          ]),
        ),
        LINK_TELEMETRY: {
          guard: 'rampTelemetryDiffers',
          target: 'syncing',
          actions: ['endRamp', { type: 'syncBecause', params: 'telemetry' }],
        },
        LINK_EVENT: { target: 'syncing', actions: ['endRamp', 'noteGeneratorEvent', 'syncForEvent'] },
      },
    },
    impedance: {
      invoke: {
        src: 'measureImpedance',
        input: linkInput,
        onDone: {
          target: 'route',
          actions: [
            assign(({ context, event }) => afterImpedanceStep(context, event.output)),
            { type: 'audit', params: 'decision' },
          ],
        },
        onError: [
          { guard: 'errorIsLinkDown', target: 'linkLost', actions: FAULT },
          { target: 'syncing', actions: FAULT },
        ],
      },
    },
    impedanceCheck: {
      invoke: {
        src: 'measureImpedance',
        input: linkInput,
        onDone: {
          target: 'route',
          actions: [
            assign(({ context, event }) => impedanceCheckStep(context, event.output)),
            { type: 'audit', params: 'impedance' },
          ],
        },
        onError: [
          { guard: 'errorIsLinkDown', target: 'linkLost', actions: FAULT },
          { target: 'syncing', actions: FAULT },
        ],
      },
    },
    stopping: {
      invoke: {
        src: 'stopOutput',
        input: linkInput,
        onDone: {
          target: 'route',
          actions: [
            assign(({ context, event }) => stoppedStep(context, event.output)),
            'noteBattery',
            { type: 'audit', params: 'stopped' },
          ],
        },
        onError: [
          // The link is still up (the reply was refused or garbled): re-read and report what the generator does.
          {
            guard: 'stopReplyOnly',
            target: 'syncing',
            actions: [
              assign(({ context, event }) => ({
                ...stopFailedStep(context, event.error),
                stopUnconfirmed: true,
                syncReason: 'error' as const,
              })),
              { type: 'audit', params: 'fault' },
            ],
          },
          {
            guard: 'wasConnected',
            target: 'linkLost',
            actions: [
              assign(({ context, event }) => stopFailedStep(context, event.error)),
              { type: 'audit', params: 'fault' },
            ],
          },
          {
            target: 'disconnected',
            actions: [
              assign(({ context, event }) => stopFailedStep(context, event.error)),
              { type: 'audit', params: 'fault' },
            ],
          },
        ],
      },
    },
    linkLost: {
      tags: ['settled'],
      on: {
        CONNECT: 'connecting',
        OUTPUT_OFF: { actions: ['holdOutputOff', 'holdStop', { type: 'audit', params: 'decision' }] },
      },
    },
    ready: stable('ready'),
    search: stable('search'),
    tuning: stable('tuning'),
    therapy: stable('therapy'),
    blocked: {
      ...stable('blocked'),
      on: {
        ...stable('blocked').on,
        REBIND: { target: 'syncing', actions: ['rebind', { type: 'audit', params: 'rebind' }] },
      },
    },
  },
});

/** A state where a person's intents are decided, telemetry is watched and the generator can be re-read. */
function stable(phase: Phase) {
  return {
    tags: ['settled'],
    entry: { type: 'enterPhase' as const, params: phase },
    on: {
      ...Object.fromEntries(
        INTENT_TYPES.map((t) => [
          t,
          { target: 'route', actions: ['decide' as const, { type: 'audit' as const, params: 'decision' }] },
        ]),
      ),
      REFRESH: { target: 'syncing', actions: { type: 'syncBecause' as const, params: 'refresh' as const } },
      LINK_TELEMETRY: [
        {
          guard: 'telemetryDiffers' as const,
          target: 'syncing',
          actions: { type: 'syncBecause' as const, params: 'telemetry' as const },
        },
        { actions: ['noteTelemetry' as const, 'noteBattery' as const, 'auditBattery' as const] },
      ],
      LINK_EVENT: { target: 'syncing', actions: ['noteGeneratorEvent' as const, 'syncForEvent' as const] },
    },
  };
}

export type SessionMachine = typeof sessionMachine;
