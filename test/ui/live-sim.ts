import { onTestFinished } from 'vitest';
import type { GeneratorModel } from '../../firmware-sim/generator-model.js';
import { createInProcessGenerator, type InProcessGenerator } from '../../firmware-sim/in-process.js';
import { inProcessOpener } from '../../src/link/in-process-opener.js';
import type { PortOpener } from '../../src/link/port-opener.js';
import { SerialGeneratorLink } from '../../src/link/serial-generator-link.js';
import type { Intent } from '../../src/session/session-types.js';
import { LiveSession } from '../../src/ui/live-session.js';
import { until } from '../helpers/until.js';

/**
 * The bedside UI's live session on the real link over an in-process simulator running `model`,
 * connected and driven through `intents` (the same ones keys send); both are closed when the test that
 * calls it finishes. `wrap` puts something between the link and the simulator (a line tap).
 */
export async function liveSim(
  model: GeneratorModel,
  intents: readonly Intent[],
  options: { telemetryHz?: number; wrap?: (opener: PortOpener) => PortOpener } = {},
): Promise<{ session: LiveSession; generator: InProcessGenerator }> {
  const generator = createInProcessGenerator({ model, telemetryHz: options.telemetryHz });
  const opener = (options.wrap ?? ((o) => o))(inProcessOpener(generator));
  const session = new LiveSession({
    dwellMs: 0,
    initial: {},
    openLink: () => new SerialGeneratorLink({ opener }),
  });
  onTestFinished(async () => {
    await session.close();
    generator.close();
  });
  await until(() => session.getView().generator !== null, 'connection');
  for (const intent of intents) session.send(intent);
  await session.idle();
  return { session, generator };
}
