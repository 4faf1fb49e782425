import type { GeneratorState, Reply } from '../../protocol/index.js';
import type { CompanionSession } from './companion-session.js';
import { DisconnectedError, LinkTimeoutError, OutputMismatchError } from './generator-link.js';
import { LOSS_REASON } from './loss-reasons.js';
import { ackedStop } from './reply-checks.js';
import type { RequestChannel } from './request-channel.js';
import type { RequestQueue } from './request-queue.js';

/** What the link does with the states a STOP leads to. */
export interface StopStates {
  /** A STATE ACK: adopted as the link's latest read (and the basis of the next write). */
  read(reply: Reply): GeneratorState;
  /** The state the STOP leaves, at once when confirmed (before any re-read can land). */
  shown(state: GeneratorState): void;
  /**
   * Reads STATE after the STOP, for the view only, ahead of every later request (so the next write is
   * computed from it), and shows what it found; its failure changes nothing that was confirmed.
   */
  reread(): void;
}

/**
 * STOP beside whatever is outstanding, retransmitted up to `retries` times. **Confirmed means the generator's
 * short ACK says `out=off`** (its own statement, PROTOCOL.md §4.5): nothing more is waited for. The full
 * state it returns is derived from the last read (and our own SET it may have overtaken) when the ACK's
 * revision accounts for it exactly; otherwise it is the last read with output off. With a SET overtaken
 * or nothing derived, a STATE read follows for the view only (an outside change shows there, H17).
 * An ACK that does not say off is checked against a STATE read and refused.
 */
export async function confirmStop(
  channel: RequestChannel,
  session: CompanionSession,
  retries: number,
  states: StopStates,
): Promise<GeneratorState> {
  const stopping = channel.send(session.stopRequest(), retries);
  // Read after sending: a write the STOP cut before it left whole never ran and is not overtaken (§4.5).
  const overtaken = channel.unansweredWrites();
  // Whatever the STOP's fate, the writes it overtook are never retransmitted after it (F-L6).
  const reply = await stopping.finally(() => channel.abandonWrites());
  const confirmed = ackedStop(reply);
  session.answered(confirmed.seq);
  const derived = confirmed.output === 'off' ? session.afterStop(confirmed, overtaken) : undefined;
  const shown = derived ?? (confirmed.output === 'off' ? session.stoppedView(confirmed) : undefined);
  if (shown) {
    states.shown(shown);
    if (derived && overtaken.length === 0) return derived;
    states.reread();
    return shown;
  }
  const applied = states.read(await channel.send(session.plain('STATE'), retries));
  states.shown(applied);
  if (confirmed.output !== 'off' || applied.output !== 'off') throw new OutputMismatchError({ on: false }, applied);
  return applied;
}

/**
 * A STOP that failed: when no reply came after every retransmission (§3.3, §7), the generator counts as
 * not answering (bb4-F12). On the live connection the link is lost (`lose`: reconnection, and no
 * heartbeat feeds the watchdog) and the STOP is held, sent first on every reconnection until confirmed
 * (§10 step 2); a connection still opening is given up the same way. Any other failure is passed on.
 */
export async function unansweredStop(
  error: unknown,
  channel: RequestChannel,
  live: boolean,
  held: HeldStops,
  lose: (reason: string) => void,
): Promise<GeneratorState> {
  if (!(error instanceof LinkTimeoutError)) throw error;
  if (live) {
    lose(LOSS_REASON.stopUnanswered);
    return held.hold();
  }
  await channel.close(LOSS_REASON.stopUnanswered);
  throw new DisconnectedError(`STOP not confirmed: ${LOSS_REASON.stopUnanswered}`);
}

/**
 * The link's StopStates: STATE ACKs adopted by `read`; the re-read goes first in `queue` (so the next
 * write is computed from it) and what it found is shown with `view` (the session re-reads on a difference).
 */
export function stopStates(
  queue: RequestQueue,
  session: CompanionSession,
  read: (reply: Reply) => GeneratorState,
  shown: (state: GeneratorState) => void,
  view: (state: GeneratorState) => void,
): StopStates {
  return {
    read,
    shown,
    reread: () => void queue.first((seq) => session.plain('STATE', seq), read).then(view, () => undefined),
  };
}

interface HeldStop {
  resolve(state: GeneratorState): void;
  reject(error: Error): void;
}

/**
 * STOPs pressed while the link is down (PROTOCOL.md §10 step 2): held, sent before HELLO on every
 * connection attempt, and kept held until one attempt gets a STOP confirmed.
 */
export class HeldStops {
  private held: HeldStop[] = [];
  private dropped = false;

  /**
   * STOP at once on `channel` when there is one: the live connection, or one whose handshake is under
   * way (`opening`: STOP needs no session, so a STOP pressed mid-handshake does not wait for it, and if
   * that connection fails it is held for the next). Without a connection it is held.
   */
  send(
    channel: RequestChannel | undefined,
    opening: boolean,
    sendStop: (channel: RequestChannel) => Promise<GeneratorState>,
  ): Promise<GeneratorState> {
    if (!channel) return this.hold();
    const sent = sendStop(channel);
    return opening
      ? sent.catch((error: Error) => (error instanceof DisconnectedError ? this.hold() : Promise.reject(error)))
      : sent;
  }

  /** A STOP that resolves when a later connection confirms it. */
  hold(): Promise<GeneratorState> {
    if (this.dropped) return Promise.reject(new DisconnectedError('the link was closed'));
    return new Promise((resolve, reject) => this.held.push({ resolve, reject }));
  }

  /** Sends one STOP for all held ones (if any); on failure they stay held for the next attempt. */
  async release(sendStop: () => Promise<GeneratorState>): Promise<void> {
    if (this.held.length === 0) return;
    const held = this.held.splice(0);
    try {
      const state = await sendStop();
      for (const h of held) h.resolve(state);
    } catch (error) {
      // Still held: every reconnection attempt sends it first until one is confirmed (§10).
      this.held.unshift(...held);
      throw error;
    }
  }

  /** The link closed: nothing will ever be sent. */
  drop(error: () => Error): void {
    this.dropped = true;
    for (const h of this.held.splice(0)) h.reject(error());
  }
}
