import type { GeneratorState } from '../../protocol/index.js';
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
