import { INTENT_TYPES, type IntentType, type Phase } from './session-types.js';

/**
 * Transitions that several states of the session machine share (session-machine.ts): what a failed
 * request does, what every intent does, and the stable states in which intents are decided.
 */

/** The error a failed request carries: the parameter of the guards and updates that read it. */
export const errorOf = ({ event }: { event: { error: unknown } }) => event.error;
/** What every failed step does: record the failure (notices, mismatch) and audit it. */
export const FAULT = [
  { type: 'recordFailure', params: errorOf },
  { type: 'audit', params: 'fault' },
] as const;
/** A request failed: a lost link is a link loss; anything else (a refusal, a mismatch) re-reads the generator. */
export const onRequestError = [
  { guard: { type: 'errorIsLinkDown', params: errorOf }, target: 'linkLost', actions: FAULT },
  { target: 'syncing', actions: FAULT },
] as const;
/** A STOP that was not confirmed: said so, sent first when the link returns, and audited. */
export const STOP_FAULT = [
  { type: 'stopFailed', params: errorOf },
  { type: 'audit', params: 'fault' },
] as const;
/** A person's intent decided and audited with the operations it asks for. */
export const DECIDE = ['decide', { type: 'audit', params: 'decision' }] as const;

/** The same transition for every intent a person can send. */
export const onEveryIntent = <const T>(transition: T) =>
  Object.fromEntries(INTENT_TYPES.map((type) => [type, transition])) as Record<IntentType, T>;

/** A state where a person's intents are decided, telemetry is watched and the generator can be re-read. */
export function stable(phase: Phase) {
  return {
    tags: ['settled'],
    entry: { type: 'enterPhase', params: phase },
    on: {
      ...onEveryIntent({ target: 'route', actions: DECIDE }),
      REFRESH: { target: 'syncing', actions: { type: 'syncBecause', params: 'refresh' } },
      LINK_TELEMETRY: [
        { guard: 'telemetryDiffers', target: 'syncing', actions: { type: 'syncBecause', params: 'telemetry' } },
        { actions: ['noteTelemetry', 'noteBattery', 'auditBattery'] },
      ],
      LINK_EVENT: { target: 'syncing', actions: ['noteGeneratorEvent', 'syncForEvent'] },
    },
  } as const;
}
