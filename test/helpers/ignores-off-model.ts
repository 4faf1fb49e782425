import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import type { Reply, Request } from '../../protocol/index.js';

/**
 * A faulty generator for tests: it answers `OUTPUT on=0` with its unchanged state (output still on)
 * instead of turning output off (PROTOCOL.md §4.4 says on=0 always does). STOP still works.
 */
export class IgnoresOff extends GeneratorModel {
  override handle(request: Request, nowMs: number): Reply {
    if (request.type !== 'OUTPUT' || request.on) return super.handle(request, nowMs);
    const read = super.handle({ type: 'STATE', seq: request.seq } as Request, nowMs);
    return read.type === 'ACK' && read.of === 'STATE' ? { ...read, of: 'OUTPUT' } : read;
  }
}
