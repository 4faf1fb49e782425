import type { GeneratorModel } from '../../firmware-sim/generator-model.js';
import { PROTOCOL_VERSION, type Request } from '../../protocol/index.js';

/** A companion instance id for tests that drive the model directly. */
export const TEST_CID = 'c0ffee00';

type Unstamped =
  | { type: 'SET'; seq: number; rateHz: number; pulseWidthUs: number; amplitudeUa: number; contacts: string }
  | { type: 'OUTPUT'; seq: number; on: boolean; mode: 'test' | 'therapy' };

export interface ModelSession {
  sess: string;
  /** The request with this session's id and the model's current revision (what a companion that just read STATE sends). */
  stamp(request: Unstamped): Request;
}

/** Opens a protocol-v2 session on `model` (HELLO with `cid`) and returns its id and a stamper. */
export function openModelSession(model: GeneratorModel, seq = 1, nowMs = 0, cid = TEST_CID): ModelSession {
  const reply = model.handle({ type: 'HELLO', seq, proto: PROTOCOL_VERSION, cid }, nowMs);
  if (reply.type !== 'ACK' || reply.of !== 'HELLO' || reply.session === undefined)
    throw new Error(`HELLO refused: ${JSON.stringify(reply)}`);
  const sess = reply.session;
  return { sess, stamp: (request) => ({ ...request, sess, rev: model.state.programRev }) as Request };
}
