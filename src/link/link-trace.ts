/** One trace line's text; built only when tracing is on (call sites use `trace?.(…)`). */
export type Trace = ((message: string) => void) | undefined;

/** Whether `name` (e.g. `scs:link`) is enabled by a `debug`-style list: `scs:*,-scs:ui`, `*`, spaces or commas. */
export function debugEnabled(list: string | undefined, name: string): boolean {
  if (!list) return false;
  const patterns = list.split(/[\s,]+/).filter(Boolean);
  const matches = (pattern: string) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(name);
  if (patterns.some((p) => p.startsWith('-') && matches(p.slice(1)))) return false;
  return patterns.some((p) => !p.startsWith('-') && matches(p));
}

/**
 * The link's trace, for an engineer watching the wire without a pty tap (as serialport's
 * `debug('serialport/stream')`): every line sent and received, every retransmission, timeout,
 * status change and reconnect decision, one timestamped line each on stderr (never stdout, which
 * carries `--json`). On with `DEBUG=scs:link` (or `scs:*`, `debug`'s syntax) or `SCS_DEBUG=link`;
 * off by default, and then `undefined`, so a call site costs one check.
 */
export function linkTrace(
  env: NodeJS.ProcessEnv = process.env,
  write: (text: string) => void = (text) => void process.stderr.write(text),
): Trace {
  const on =
    debugEnabled(env.DEBUG, 'scs:link') ||
    (env.SCS_DEBUG ?? '').split(/[\s,]+/).some((w) => w === 'link' || w === '*' || w === 'all');
  if (!on) return undefined;
  return (message) => write(`${new Date().toISOString()} scs:link ${message}\n`);
}
