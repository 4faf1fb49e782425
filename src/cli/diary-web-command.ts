import { parseCommandLine } from '../shared/parse-command-line.js';
import fs from 'node:fs';
import net from 'node:net';
import { UserError, UsageError } from '../errors/user-error.js';
import type { CommandIo } from './command.js';
import { STORE_FLAGS, storeOptions } from './store-flags.js';
import { instantFlag } from '../diary/diary-cli-options.js';
import { DiaryStore } from '../diary/diary-store.js';
import { formatInstant, instantFromDate, parseInstant } from '../diary/instant.js';
import { patientOf } from './diary-context.js';
import { buildDiaryServer } from '../diary/web/diary-server.js';
import { inviteCardHtml, terminalQr } from '../diary/web/invite-card.js';
import { DEFAULT_GRACE_MS, enrolLink, newToken, tokenHash } from '../diary/web/invite-token.js';
import { LANGS, messagesFor } from '../diary/web/messages/index.js';
import { type InviteLang, WebDiaryStore } from '../diary/web/web-diary-store.js';

/**
 * `scs diary invite` and `scs diary serve`: the patient's own diary on their phone. The invite prints
 * a one-time link (and QR code) whose token is stored only as a hash; the server listens on loopback
 * unless given TLS files (or --insecure-http, with a warning) and stops cleanly on SIGINT/SIGTERM.
 */
export const WEB_HELP = `
Patient diary on the web:
  invite    --patient ID [--lang en|zh-CN] [--expires TIME] [--url BASE] [--out card.html] [--json]
            print a one-time enrolment link and its QR code (inviting again revokes the old link)
  invite    --revoke --patient ID                                  end the patient's link at once
  serve     [--host 127.0.0.1] [--port 8443] [--tls-cert FILE --tls-key FILE] [--insecure-http]
            [--rate-per-address 300] [--rate-per-session 60] [--rate-enrol-per-address 10]   (per minute)
            serve the diary page until SIGINT/SIGTERM (loopback only without TLS or --insecure-http)
`;

export const DEFAULT_PORT = 8443;

const INVITE_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  ...STORE_FLAGS,
  patient: { type: 'string' },
  lang: { type: 'string' },
  expires: { type: 'string' },
  url: { type: 'string' },
  out: { type: 'string' },
  revoke: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

const SERVE_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  ...STORE_FLAGS,
  host: { type: 'string' },
  port: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'insecure-http': { type: 'boolean' },
  'rate-per-address': { type: 'string' },
  'rate-per-session': { type: 'string' },
  'rate-enrol-per-address': { type: 'string' },
} as const;

export async function inviteCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values: v } = parseCommandLine(argv, { options: INVITE_OPTIONS }, 'scs diary invite');
  if (v.help) {
    io.stdout.write(WEB_HELP);
    return 0;
  }
  // Exit codes as README "Trial diary" states: a wrong value is bad input (1), a usage mistake 2.
  const patient = patientOf({ patient: v.patient as string | undefined });
  const lang = (v.lang ?? 'en') as string;
  if (!(LANGS as readonly string[]).includes(lang))
    throw new UserError(`--lang '${lang}' is not one of ${LANGS.join(', ')}`);
  const nowMs = Date.now();
  if (v.revoke) {
    if (v.lang !== undefined || v.expires !== undefined || v.out !== undefined || v.url !== undefined)
      throw new UsageError('--revoke takes only --patient (and --data-dir)');
    const store = await WebDiaryStore.on(await DiaryStore.open(storeOptions(v, io, true)));
    try {
      const n = await store.revokeInvites(patient, nowMs);
      io.stdout.write(
        v.json
          ? JSON.stringify({ patient, revoked: n }) + '\n'
          : n
            ? `revoked the diary link of ${patient}; the phone can no longer read or write the diary\n`
            : `${patient} had no open diary link\n`,
      );
      return 0;
    } finally {
      await store.diary.close();
    }
  }
  const expiresFlag = expiresInstant(v.expires as string | undefined);
  if (v.out !== undefined && fs.existsSync(v.out as string))
    throw new UserError(
      `${v.out} already exists; the card is never written over an existing file. Choose another --out.`,
    );
  const base = baseUrl((v.url as string | undefined) ?? io.env.SCS_DIARY_URL);
  const store = await WebDiaryStore.on(await DiaryStore.open(storeOptions(v, io, true)));
  try {
    const p = await store.diary.getPatient(patient);
    if (!p)
      throw new UserError(
        `no diary for patient ${patient}; set the trial first: scs diary trial --patient ${patient} --start TIME --end TIME`,
      );
    let expires = expiresFlag;
    if (!expires) {
      if (!p.trialEnd)
        throw new UsageError(
          `the trial end of ${patient} is not set, so the link has no default expiry: give --expires TIME or run 'scs diary trial --patient ${patient} --end TIME'`,
        );
      expires = parseInstant(formatInstant(p.trialEnd.ms + DEFAULT_GRACE_MS, p.trialEnd.offsetMinutes));
    }
    if (expires.ms <= nowMs)
      throw new UserError(`the link would expire at ${expires.text}, which is already past; give a later --expires`);
    const token = newToken();
    await store.createInvite(patient, tokenHash(token), lang as InviteLang, expires.ms, nowMs);
    const link = enrolLink(base, token);
    if (v.out !== undefined) {
      try {
        fs.writeFileSync(v.out as string, await inviteCardHtml(messagesFor(lang as InviteLang), link, expires.text), {
          mode: 0o600,
          flag: 'wx',
        });
      } catch (e) {
        throw new UserError(
          `cannot write ${v.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; the link above is valid, run invite again to make a new card`,
        );
      }
    }
    if (v.json) {
      io.stdout.write(JSON.stringify({ patient, lang, link, expires: expires.text, card: v.out ?? null }) + '\n');
    } else {
      io.stdout.write(`Diary link for ${patient} (${lang}), valid once, until ${expires.text}:\n\n  ${link}\n\n`);
      io.stdout.write(await terminalQr(link));
      io.stdout.write(
        `\nGive it only to the patient. Any earlier link of ${patient} no longer works. End it with: scs diary invite --revoke --patient ${patient}\n`,
      );
      if (v.out !== undefined) io.stdout.write(`Printable card: ${v.out}\n`);
    }
    return 0;
  } finally {
    await store.diary.close();
  }
}

/** `--expires` as an ISO instant with offset, or a date (the end of that day at this host's offset). */
function expiresInstant(value: string | undefined) {
  if (value === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const offset = instantFromDate(new Date(`${value}T12:00:00Z`)).text.slice(-6);
    return instantFlag('--expires', `${value}T23:59:59${offset}`);
  }
  return instantFlag('--expires', value);
}

function baseUrl(value: string | undefined): string {
  const base = value ?? `http://127.0.0.1:${DEFAULT_PORT}`;
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new UserError(
      `--url '${base}' is not a URL; give the address patients reach the server at, e.g. https://192.168.1.20:8443`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UserError(`--url '${base}' must start with https:// or http://`);
  return url.origin;
}

/** `--rate-per-address N` / `--rate-per-session N`: requests per minute (defaults in diary-server.ts). */
function rateFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1)
    throw new UserError(`${flag} '${value}' is not a whole number of requests per minute ≥ 1`);
  return Number(value);
}

/** Loopback addresses: the only ones served without TLS unless --insecure-http is given. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return host === '::1';
}

export async function serveCommand(
  argv: string[],
  io: CommandIo,
  signals: NodeJS.EventEmitter = process,
): Promise<number> {
  const { values: v } = parseCommandLine(argv, { options: SERVE_OPTIONS }, 'scs diary serve');
  if (v.help) {
    io.stdout.write(WEB_HELP);
    return 0;
  }
  const host = (v.host as string | undefined) ?? '127.0.0.1';
  const portText = (v.port as string | undefined) ?? String(DEFAULT_PORT);
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535)
    throw new UserError(`--port '${portText}' is not a port number 0–65535`);
  const cert = v['tls-cert'] as string | undefined;
  const key = v['tls-key'] as string | undefined;
  if ((cert === undefined) !== (key === undefined))
    throw new UsageError('give both --tls-cert FILE and --tls-key FILE, or neither');
  const tls = cert !== undefined;
  if (!tls && !isLoopback(host) && !v['insecure-http']) {
    throw new UsageError(
      `--host ${host} is not a loopback address: patients' health data would cross the network unencrypted. Give --tls-cert FILE --tls-key FILE, or --insecure-http to accept that risk.`,
    );
  }
  const limits = {
    perAddress: rateFlag('--rate-per-address', v['rate-per-address'] as string | undefined),
    perSession: rateFlag('--rate-per-session', v['rate-per-session'] as string | undefined),
    enrolPerAddress: rateFlag('--rate-enrol-per-address', v['rate-enrol-per-address'] as string | undefined),
  };
  const read = (file: string, what: string) => {
    try {
      return fs.readFileSync(file);
    } catch (e) {
      throw new UserError(
        `cannot read the TLS ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
  };
  const httpsOptions = tls ? { cert: read(cert!, 'certificate'), key: read(key!, 'key') } : undefined;
  const store = await WebDiaryStore.on(await DiaryStore.open(storeOptions(v, io)));
  const log = (line: string) => io.stderr.write(`${new Date().toISOString()} ${line}\n`);
  // Listen for the signals before anything is printed: a signal that arrives with no listener kills
  // the process outright (and a caller may send one as soon as it reads the "serving" line).
  let unlisten = () => {};
  const stopped = new Promise<string>((resolve) => {
    const onInt = () => resolve('SIGINT');
    const onTerm = () => resolve('SIGTERM');
    signals.on('SIGINT', onInt);
    signals.on('SIGTERM', onTerm);
    unlisten = () => {
      signals.off('SIGINT', onInt);
      signals.off('SIGTERM', onTerm);
    };
  });
  let app: Awaited<ReturnType<typeof buildDiaryServer>>;
  try {
    app = await buildDiaryServer({
      store,
      https: httpsOptions,
      log,
      limits: Object.fromEntries(Object.entries(limits).filter(([, n]) => n !== undefined)),
    });
    await app.listen({ host, port: Number(portText) });
  } catch (err) {
    unlisten();
    await store.diary.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL')
      throw new UserError(`cannot listen on ${host}:${portText} (${code}); choose another --host or --port`);
    throw err;
  }
  if (!tls && !isLoopback(host)) {
    io.stderr.write(
      `WARNING: serving patients' health data over plain HTTP on ${host}: anyone on the network can read it and steal the session. Use --tls-cert and --tls-key.\n`,
    );
  }
  const address = app.server.address() as net.AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  io.stdout.write(
    `serving the patient diary at ${tls ? 'https' : 'http'}://${shownHost}:${address.port}/ (Ctrl+C or SIGTERM stops it)\n`,
  );
  const signal = await stopped;
  unlisten();
  // close() lets requests in flight finish; each write was committed before its answer anyway.
  await app.close();
  await store.diary.close();
  io.stdout.write(`stopped on ${signal}; every entry answered was stored\n`);
  return 0;
}
