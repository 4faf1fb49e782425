import type { GeneratorState } from '../../protocol/index.js';
import { nextRampUa } from './ramp.js';
import type { SessionContext } from './session-context.js';

/**
 * Telemetry that disagrees with the last read-back in anything but battery and faults means the
 * generator changed without us (another controller, watchdog, battery): re-read and show it.
 */
export function telemetryDiffers(
  ctx: Pick<SessionContext, 'generator' | 'expectedRev'>,
  state: GeneratorState,
): boolean {
  const g = ctx.generator;
  if (!g) return true;
  return (
    (ctx.expectedRev !== null && state.programRev !== ctx.expectedRev) ||
    state.output !== g.output ||
    state.mode !== g.mode ||
    state.rateHz !== g.rateHz ||
    state.pulseWidthUs !== g.pulseWidthUs ||
    state.amplitudeUa !== g.amplitudeUa ||
    state.contacts !== g.contacts
  );
}

/**
 * H4 with H17: telemetry that shows the ramp's own step in flight (the next step, rev one up, its ACK
 * late, duplicated or overtaken by the telemetry) is the companion's own change, not one made elsewhere:
 * the step's reply is awaited, the ramp goes on.
 */
export function ownRampStep(
  ctx: Pick<SessionContext, 'generator' | 'expectedRev' | 'ramp'>,
  state: GeneratorState,
): boolean {
  const { ramp, generator: g, expectedRev } = ctx;
  if (!ramp || !g || expectedRev === null) return false;
  return (
    state.programRev === expectedRev + 1 &&
    state.output === g.output &&
    state.mode === g.mode &&
    state.rateHz === ramp.program.rateHz &&
    state.pulseWidthUs === ramp.program.pulseWidthUs &&
    state.contacts === ramp.program.contacts &&
    state.amplitudeUa === nextRampUa(ramp, g.amplitudeUa)
  );
}
