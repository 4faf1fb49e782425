import type { GeneratorState } from '../../protocol/index.js';
import type { CompanionSession } from './companion-session.js';
import { DisconnectedError, type Handshake } from './generator-link.js';
import { ResetFoundError } from './loss-reasons.js';
import { ackedState, checkHello } from './reply-checks.js';
import type { RequestChannel } from './request-channel.js';

/**
 * One connection's opening (PROTOCOL.md §10): CAN discards whatever partial line an earlier
 * connection left in the generator's receive buffer; any STOP pressed while disconnected goes at once,
 * before HELLO (STOP needs no session and must not wait for a HELLO that may never succeed); HELLO
 * opens a session (version check, session id, and whether the generator stopped an earlier
 * companion's test output); then STATE, the state every later write is computed from.
 */
export async function openSession(
  channel: RequestChannel,
  session: CompanionSession,
  releaseHeldStops: (channel: RequestChannel) => Promise<void>,
): Promise<Handshake> {
  channel.flushPartialLine();
  await releaseHeldStops(channel);
  const hello = checkHello(await channel.send(session.hello()));
  session.opened(hello.session);
  const reply = await channel.send(session.plain('STATE'));
  const state: GeneratorState = ackedState(reply, 'STATE');
  if (!channel.isOpen) throw new DisconnectedError('connection lost during the handshake');
  session.answered(reply.seq);
  session.noteRead(state, reply.seq);
  return { identity: hello.identity, limits: hello.limits, state, endedTest: hello.endedTest };
}

/**
 * A new session on a live connection: HELLO with the same cid, so the generator keeps the output running
 * (it stops test output only for another companion); before the sequence numbers run out, or to compare
 * the boot id after a read nothing of ours explains (boot-check.ts). No STATE: the revision basis stays
 * the one the companion last read itself (a HELLO changes no state). Another boot is a ResetFoundError.
 */
export async function renewSession(
  channel: RequestChannel,
  session: CompanionSession,
  bootId?: string,
  when = 'before the session renewal',
): Promise<void> {
  const hello = checkHello(await channel.send(session.hello()));
  if (bootId !== undefined && hello.identity.bootId !== bootId)
    throw new ResetFoundError(`generator restarted (boot ${bootId} -> ${hello.identity.bootId}) ${when}`);
  session.opened(hello.session);
}
