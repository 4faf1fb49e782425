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
import { machineEffects, machinePatches as patch } from './machine-actions.js';
import { machineGuards } from './machine-guards.js';
import { afterImpedanceStep, appliedStep, impedanceCheckStep, rampedStep, syncStep } from './machine-steps.js';
import { handshakeStep } from './connection-steps.js';
import { stoppedStep } from './stop-steps.js';
import { stopEventStep } from './event-news.js';
import { initialContext, type SessionContext, type SessionEvent, type SessionInput } from './session-context.js';
import { DECIDE, FAULT, STOP_FAULT, errorOf, onEveryIntent, onRequestError, stable } from './machine-transitions.js';
import { CUT_BY } from './ramp-cut.js';
import { opsBase } from './off-check.js';
import { followed } from './program-thresholds.js';
import type { Phase } from './session-types.js';

const linkInput = ({ context }: { context: SessionContext }) => ({ link: context.link });

/**
 * The stimulation session: disconnected → connecting → ready (output off) → impedance check →
 * threshold search → tuning (window measured, test stimulation) → therapy (committed).
 * STOP is accepted everywhere and goes to the generator before anything else; link loss and generator
 * resets lead to a re-read, never to output turned on. The rules live in the pure deciders and steps
 * (machine-steps.ts), the conditions in machine-guards.ts, the audit records in audit-records.ts.
 */
export const sessionMachine = setup({
  types: { context: {} as SessionContext, events: {} as SessionEvent, input: {} as SessionInput },
  actors: { linkEvents, connectLink, readGenerator, stopOutput, measureImpedance, runOps, rampStep },
  guards: machineGuards,
  actions: {
    ...machineEffects,
    decide: assign(patch.decide),
    busy: assign(patch.busy),
    noteStatus: assign(patch.noteStatus),
    noteHandshake: assign(patch.noteHandshake),
    noteTelemetry: assign(patch.noteTelemetry),
    noteGeneratorEvent: assign(patch.noteGeneratorEvent),
    syncForEvent: assign(patch.syncForEvent),
    rebindNotNeeded: assign(patch.rebindNotNeeded),
    recordFailure: assign(patch.recordFailure),
    stopFailed: assign(patch.stopFailed),
    stopReplyLost: assign(patch.stopReplyLost),
    enterPhase: assign((_, phase: Phase) => ({ phase })),
    syncBecause: assign((_, reason: SessionContext['syncReason']) => ({ syncReason: reason })),
    noteBattery: assign(patch.noteBattery),
    requestStop: assign(patch.requestStop),
    heldStopDone: assign(patch.heldStopDone),
    noteLinkLost: assign(patch.noteLinkLost),
    noteLinkBack: assign(patch.noteLinkBack),
    unconfirmed: assign(patch.unconfirmed),
    holdOutputOff: assign(patch.holdOutputOff),
    rebind: assign(patch.rebind),
    acknowledge: assign(patch.acknowledge),
    endRamp: assign({ ramp: null }),
    cutRamp: assign(patch.cutRamp),
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
        actions: ['unconfirmed', 'holdStop', 'noteLinkLost', 'noteStatus', { type: 'audit', params: 'link' }],
      },
      { actions: 'noteStatus' },
    ],
    LINK_HANDSHAKE: {
      guard: 'newConnection',
      target: '.afterHandshake',
      actions: ['noteHandshake', 'noteLinkBack', 'noteBattery', { type: 'audit', params: 'link' }],
    },
    LINK_ERROR: { actions: { type: 'audit', params: 'fault' } },
    // A generator event (battery, stopped, …) while a request is in flight is shown, never dropped (H15);
    // the stable states also re-read on it.
    LINK_EVENT: { actions: 'noteGeneratorEvent' },
    REBIND: { actions: 'rebindNotNeeded' },
    // In every state: clears what is shown, sends nothing to the generator.
    ACKNOWLEDGE_MISMATCH: {
      actions: [{ type: 'audit', params: 'acknowledge' }, 'acknowledge'],
    },
    ...onEveryIntent({ actions: 'busy' }),
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
            'noteLinkBack',
            'noteBattery',
            { type: 'audit', params: 'link' },
          ],
        },
        onError: { target: 'disconnected', actions: FAULT },
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
            assign(({ context, event }) => {
              const told = stopEventStep(context, event.output);
              return followed(context, { ...told, ...syncStep({ ...context, ...told }, event.output) });
            }),
            'noteBattery',
            { type: 'audit', params: 'sync' },
          ],
        },
        onError: { target: 'linkLost', actions: FAULT },
      },
    },
    route: {
      always: [
        { guard: 'pendingMeasurement', target: 'impedance' },
        { guard: 'pendingOps', target: 'applying' },
        // A stop event waits for the re-read that says whether the state agrees (event-news.ts).
        { guard: 'stopEventUnread', target: 'syncing', actions: { type: 'syncBecause', params: 'event' } },
        // A held STOP went before the re-read of a reset: the re-read still tells what the reset did.
        { guard: 'resetUnreported', target: 'syncing' },
        // A program-changed event came while a request ran: the re-read tells it (event-news.ts).
        {
          guard: 'programEventUnread',
          target: 'syncing',
          actions: [
            { type: 'cutRamp', params: CUT_BY.event },
            { type: 'syncBecause', params: 'event' },
          ],
        },
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
        input: ({ context }) => ({ link: context.link, ops: context.pending?.ops ?? [], base: opsBase(context) }),
        onDone: {
          target: 'route',
          actions: [
            assign(({ context, event }) => followed(context, appliedStep(context, event.output))),
            'noteBattery',
            { type: 'audit', params: 'applied' },
          ],
        },
        onError: onRequestError,
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
        onError: onRequestError,
      },
      on: {
        ...onEveryIntent({ target: 'route', actions: ['endRamp', ...DECIDE] }),
        LINK_TELEMETRY: {
          guard: 'rampTelemetryDiffers',
          target: 'syncing',
          actions: [
            { type: 'cutRamp', params: CUT_BY.telemetry },
            { type: 'syncBecause', params: 'telemetry' },
          ],
        },
        LINK_EVENT: [
          // A copy of an event already told is no surprise: the ramp goes on.
          { guard: 'repeatEvent' },
          {
            target: 'syncing',
            actions: [{ type: 'cutRamp', params: CUT_BY.event }, 'noteGeneratorEvent', 'syncForEvent'],
          },
        ],
      },
    },
    // An impedance measurement with output off: before a search (which it may refuse) or on its own.
    impedance: {
      invoke: {
        src: 'measureImpedance',
        input: linkInput,
        onDone: [
          {
            guard: { type: 'pendingIs', params: 'impedanceCheck' },
            target: 'route',
            actions: [
              assign(({ context, event }) => impedanceCheckStep(context, event.output)),
              { type: 'audit', params: 'impedance' },
            ],
          },
          {
            target: 'route',
            actions: [
              assign(({ context, event }) => afterImpedanceStep(context, event.output)),
              { type: 'audit', params: 'decision' },
            ],
          },
        ],
        onError: onRequestError,
      },
    },
    stopping: {
      invoke: {
        src: 'stopOutput',
        input: linkInput,
        onDone: {
          target: 'route',
          actions: [
            assign(({ context, event }) => followed(context, stoppedStep(context, event.output))),
            'heldStopDone',
            'noteBattery',
            { type: 'audit', params: 'stopped' },
          ],
        },
        onError: [
          // The link is still up (the reply was refused or garbled): re-read and report what the generator does.
          {
            guard: { type: 'stopReplyOnly', params: errorOf },
            target: 'syncing',
            actions: [
              { type: 'stopReplyLost', params: errorOf },
              { type: 'audit', params: 'fault' },
            ],
          },
          { guard: 'wasConnected', target: 'linkLost', actions: STOP_FAULT },
          { target: 'disconnected', actions: STOP_FAULT },
        ],
      },
    },
    linkLost: {
      tags: ['settled'],
      on: {
        CONNECT: 'connecting',
        // Held, answered at once (never blocking a script line), sent first when the link returns.
        STOP: { actions: ['requestStop', 'holdStop', { type: 'audit', params: 'stop' }] },
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

export type SessionMachine = typeof sessionMachine;
