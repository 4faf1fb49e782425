import { fromCallback, fromPromise, type EventObject } from 'xstate';
import type { GeneratorState, ImpedanceReading } from '../../protocol/index.js';
import type { GeneratorLink, Handshake } from '../link/generator-link.js';
import type { LinkMachineEvent } from './session-context.js';
import type { LinkOp } from './session-types.js';
import { checkOffBeforeRest, type OpsBase } from './off-check.js';
import { nextRampUa, type Ramp } from './ramp.js';
import { therapyProgramOf } from './therapy-fields.js';

/** The link as xstate actors: one callback actor for what the generator says, promises for requests. */

export const linkEvents = fromCallback<EventObject, { link: GeneratorLink }>(({ sendBack, input }) =>
  input.link.subscribe((e) => {
    let event: LinkMachineEvent;
    switch (e.type) {
      case 'status':
        event = { type: 'LINK_STATUS', status: e.status, ...(e.reason !== undefined ? { reason: e.reason } : {}) };
        break;
      case 'handshake':
        event = { type: 'LINK_HANDSHAKE', handshake: e.handshake, resetDetected: e.resetDetected };
        break;
      case 'telemetry':
        event = { type: 'LINK_TELEMETRY', state: e.state };
        break;
      case 'generator-event':
        event = { type: 'LINK_EVENT', event: e.event };
        break;
      case 'error':
        event = { type: 'LINK_ERROR', error: e.error };
        break;
    }
    sendBack(event);
  }),
);

export const connectLink = fromPromise<Handshake, { link: GeneratorLink }>(({ input }) => input.link.connect());

export const readGenerator = fromPromise<GeneratorState, { link: GeneratorLink }>(({ input }) =>
  input.link.readState(),
);

export const stopOutput = fromPromise<GeneratorState, { link: GeneratorLink }>(({ input }) => input.link.stop());

export const measureImpedance = fromPromise<ImpedanceReading[], { link: GeneratorLink }>(({ input }) =>
  input.link.measureImpedance(),
);

export class CancelledError extends Error {
  override name = 'CancelledError';
}

/**
 * Runs operations in order and resolves with the last read-back. Stops between operations once the
 * state is left (STOP, link loss), so nothing queued behind a STOP reaches the generator; and after our
 * own `output off` whose ACK shows a change made elsewhere (bb4-F10, off-check.ts), so nothing computed
 * from the old program overwrites it.
 */
export const runOps = fromPromise<GeneratorState, { link: GeneratorLink; ops: LinkOp[]; base?: OpsBase | null }>(
  async ({ input, signal }) => {
    let state: GeneratorState | null = null;
    let base = input.base ?? null;
    for (const [i, op] of input.ops.entries()) {
      if (signal.aborted) throw new CancelledError('cancelled');
      // H11: whatever built the program, only the allow-listed therapy fields reach the link.
      if (op.op === 'setProgram') state = await input.link.setProgram(therapyProgramOf(op.program));
      else if (op.op === 'setOutput') state = await input.link.setOutput(op.on, op.mode);
      else state = await input.link.readState();
      base = checkOffBeforeRest(base, op.op === 'setOutput' && !op.on, i < input.ops.length - 1, state);
    }
    return state ?? (await input.link.readState());
  },
);

/** H4: one ramp step: the pause first (STOP aborts it), then amplitude one step up. */
export const rampStep = fromPromise<
  GeneratorState,
  { link: GeneratorLink; ramp: Ramp; nowUa: number; sleep: (ms: number, signal: AbortSignal) => Promise<void> }
>(async ({ input, signal }) => {
  await input.sleep(input.ramp.pauseMs, signal);
  if (signal.aborted) throw new CancelledError('cancelled');
  return input.link.setProgram(
    therapyProgramOf({ ...input.ramp.program, amplitudeUa: nextRampUa(input.ramp, input.nowUa) }),
  );
});
