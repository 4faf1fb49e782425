import type { WireClock } from '../../src/link/paced-wire.js';

/** A WireClock moved by hand: `advance` runs every timer that falls due, in time order. */
export interface ManualWireClock extends WireClock {
  advance(ms: number): void;
}

export function manualWireClock(): ManualWireClock {
  let now = 0;
  let timers: { at: number; wake: () => void }[] = [];
  return {
    now: () => now,
    after(ms, wake) {
      const timer = { at: now + ms, wake };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = Math.max(now, due.at);
        due.wake();
      }
      now = end;
    },
  };
}
