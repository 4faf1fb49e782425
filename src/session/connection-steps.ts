import type { Identity } from '../../protocol/index.js';
import type { Handshake } from '../link/generator-link.js';
import { externalMismatch, reviewMismatch } from './mismatch.js';
import { notice, type Notice } from './notice.js';
import type { SyncReason } from './reconcile.js';
import { reconnectNotices } from './reconnect-check.js';
import { withNotices, type ResetSeen, type SessionContext } from './session-context.js';
import { dataOf } from './session-data.js';
import { unrequestedStop } from './unrequested-stop.js';

/**
 * The connection's context steps: handshake, binding (H13), reset seen, explicit re-bind. Plain
 * functions (context in, partial context out), like machine-steps.ts.
 */
type Patch = Partial<SessionContext>;

/** H13: the generator on the link is the one the session is bound to (or none is known yet). */
export function isBound(ctx: Pick<SessionContext, 'binding' | 'identity'>): boolean {
  if (!ctx.identity) return true;
  return !ctx.binding || (ctx.binding.serial === ctx.identity.serial && ctx.binding.proto === ctx.identity.proto);
}

/** A (re)connection: adopt identity and limits, bind on first sight (H13), choose why we re-read. */
export function handshakeStep(
  ctx: SessionContext,
  handshake: Handshake,
  resetDetected: boolean,
  reason: SyncReason,
): Patch {
  const identity = handshake.identity;
  const binding = ctx.binding ?? { serial: identity.serial, proto: identity.proto };
  // A reconnection to the same boot (not the session's first connection): the state found is checked
  // against what our own last read or write left, and a request the link went down under is settled.
  const reconnected =
    !resetDetected && ctx.expectedRev !== null && (reason !== 'connect' || sameBoot(ctx.identity, identity));
  const check = reconnected
    ? reconnectNotices(dataOf(ctx), ctx.expectedRev!, handshake.state, ctx.unconfirmed ?? null)
    : null;
  // bb5-N6 (PROTOCOL §4.9): output found off on the reconnection, rev moved, with no request or STOP of
  // ours to explain it (the watchdog's stop whose EVT was lost) is told as found, once (unrequested-stop.ts);
  // a stop whose EVT did come is told by the re-read it waits for (event-news.ts).
  const explained = !!ctx.unconfirmed || ctx.stopPending || !!ctx.stopHeld || !!ctx.stopEvent;
  const stopFound =
    reconnected && !check?.externalChange && !explained ? unrequestedStop(ctx, handshake.state, 'link-restored') : null;
  const added: Notice[] = [];
  const patch: Patch = {
    ...(stopFound ? { toldEvents: stopFound.told } : {}),
    ...(resetDetected ? { reset: resetSeen(ctx, identity.bootId) } : {}),
    identity,
    limits: handshake.limits,
    binding,
    linkStatus: 'connected',
    needsHandshake: false,
    generator: handshake.state,
    syncReason: resetDetected ? 'reset' : reason,
    ...(ctx.unconfirmed ? { unconfirmed: null } : {}),
    // Checked and reported here: the next re-read compares with what was found.
    ...(reconnected
      ? { expectedRev: handshake.state.programRev }
      : resetDetected || reason === 'connect'
        ? { expectedRev: null }
        : {}),
    // Changed while the link was down: compared with what was last seen before the handshake replaces it.
    mismatch:
      reconnected && handshake.state.programRev !== ctx.expectedRev && check?.externalChange !== false
        ? externalMismatch(ctx.mismatch, ctx.generator, handshake.state, ctx.clock())
        : reviewMismatch(ctx.mismatch, handshake.state),
  };
  if (handshake.endedTest) {
    // Protocol v2: a new companion never inherits test stimulation; say what was found and done.
    added.push(
      notice(
        'warn',
        'output',
        'on',
        'off',
        'The generator was delivering uncommitted test stimulation from an earlier session; it stopped it when this companion connected.',
      ),
    );
  }
  if (binding.serial !== identity.serial || binding.proto !== identity.proto) {
    added.push(
      notice(
        'reject',
        'generator',
        `${binding.serial} v${binding.proto}`,
        `${identity.serial} v${identity.proto}`,
        'a different generator or protocol version than the session is bound to: programming is blocked until you re-bind explicitly',
      ),
    );
  }
  // What the reconnection found is shown and audited, not part of the last intent's answer.
  const found = withNotices({ ...ctx, outcome: null }, [
    ...(check?.notices ?? []),
    ...(stopFound ? [stopFound.tell] : []),
  ]).notices;
  return { ...patch, ...withNotices({ ...ctx, notices: found }, added) };
}

/** The same generator, protocol and boot as before: a reconnection, not a new connection. */
const sameBoot = (a: Identity | null, b: Identity) =>
  a !== null && a.serial === b.serial && a.proto === b.proto && a.bootId === b.bootId;

/** A reset of boot `boot` seen now: the first sight keeps what the generator held before it. */
export function resetSeen(ctx: Pick<SessionContext, 'reset' | 'generator'>, boot: string): ResetSeen {
  return ctx.reset?.boot === boot ? ctx.reset : { boot, lost: ctx.generator, reported: false };
}

/** H13: an explicit re-bind to the generator on the link: what was measured on the other one is discarded. */
export function rebindStep(ctx: SessionContext): Patch {
  if (!ctx.identity) return {};
  const told = notice(
    'warn',
    'generator',
    ctx.binding ? `${ctx.binding.serial} v${ctx.binding.proto}` : null,
    `${ctx.identity.serial} v${ctx.identity.proto}`,
    're-bound to this generator; thresholds discarded',
  );
  // Readings of another generator's contacts say nothing about this one's.
  return {
    binding: { serial: ctx.identity.serial, proto: ctx.identity.proto },
    thresholds: [],
    estimate: null,
    patientWindow: null,
    impedance: null,
    syncReason: 'rebind',
    ...withNotices(ctx, [told]),
  };
}
