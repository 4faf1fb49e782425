import { useEffect, useState } from 'react';

/** The clock, ticking every `periodMs` only while something on screen counts towards `until`. */
export function useNow(now: () => number, until: number | null, periodMs: number): number {
  const [value, setValue] = useState(now);
  useEffect(() => {
    setValue(now());
    if (until === null) return;
    const timer = setInterval(() => {
      const t = now();
      setValue(t);
      if (t >= until) clearInterval(timer);
    }, periodMs);
    return () => clearInterval(timer);
  }, [now, until, periodMs]);
  return value;
}
