/**
 * A minimal phone for load and crash runs against `scs diary serve` on 127.0.0.1: follows an
 * enrolment link for its cookie, then posts entries with phone-made UUIDs (node's fetch, keep-alive).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { formatInstant } from '../../src/diary/instant.js';

/** Follows the link without redirecting and returns the session cookie (`name=value`). */
export async function enrolPhone(link: string): Promise<string> {
  const r = await fetch(link, { redirect: 'manual' });
  const cookie = r.headers.get('set-cookie');
  if (r.status !== 303 || !cookie) throw new Error(`enrolment answered ${r.status}`);
  return cookie.split(';')[0]!;
}

export interface PhoneEntry {
  id: string;
  at: string;
  madeAt: string;
  nrs: number;
}

/** An entry describing `msAgo` before now (distinct per call through `msAgo`). */
export function phoneEntry(nrs: number, msAgo: number, nowMs = Date.now()): PhoneEntry {
  return { id: randomUUID(), at: formatInstant(nowMs - msAgo, 60), madeAt: formatInstant(nowMs, 60), nrs };
}

/** Posts one entry; resolves with the status (0 when the connection failed) and the latency in ms. */
export async function postEntry(
  baseUrl: string,
  cookie: string,
  entry: PhoneEntry,
): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  try {
    const r = await fetch(`${baseUrl}/api/entries`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify(entry),
    });
    await r.arrayBuffer();
    return { status: r.status, ms: performance.now() - t0 };
  } catch {
    return { status: 0, ms: performance.now() - t0 };
  }
}

export interface RunningServer {
  child: ChildProcess;
  baseUrl: string;
  stderr: () => string;
  stdout: () => string;
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
}

/** Starts `node ARGS` and waits for its "serving the patient diary at URL/ " line (the anchor prints one too). */
export async function startListening(args: string[]): Promise<RunningServer> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /serving the patient diary at (\S+?)\/ /.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
  return { child, baseUrl, exited, stderr: () => err, stdout: () => out };
}
