import type { Notice } from './notice.js';

/**
 * Every notice the session raises is handed out exactly once, whenever and however it was raised
 * (a decision, a re-read after an outside change, a generator reset, telemetry, a battery warning):
 * the outbox watches each snapshot's notice history and keeps what is new until it is taken.
 * It compares by identity, so it needs nothing from the code that raises a notice.
 */

export interface NoticeOutbox {
  /** Feed the session's notice history after every snapshot. */
  observe(history: readonly Notice[]): void;
  /** The notices raised since the last take, oldest first; the outbox is empty afterwards. */
  take(): Notice[];
  /** How many notices are waiting. */
  readonly size: number;
}

/**
 * The notices in `next` that were not in `previous`. The history only grows at its end (and may drop
 * its oldest entries), so `next` starts with a suffix of `previous` and the rest is new.
 */
export function newNotices(previous: readonly Notice[], next: readonly Notice[]): Notice[] {
  if (previous === next) return [];
  for (let start = 0; start <= previous.length; start++) {
    const kept = previous.length - start;
    if (kept > next.length) continue;
    let same = true;
    for (let i = 0; i < kept && same; i++) same = previous[start + i] === next[i];
    if (same) return next.slice(kept);
  }
  return [...next];
}

export function createNoticeOutbox(): NoticeOutbox {
  let last: readonly Notice[] = [];
  let waiting: Notice[] = [];
  return {
    observe(history) {
      const added = newNotices(last, history);
      last = history;
      if (added.length) waiting = [...waiting, ...added];
    },
    take() {
      const out = waiting;
      waiting = [];
      return out;
    },
    get size() {
      return waiting.length;
    },
  };
}
