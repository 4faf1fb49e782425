import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type https from 'node:https';
import { DiaryStoreError, type StoredEntry } from '../diary-store.js';
import { type TrialDates, outsideTrial } from '../trial-boundaries.js';
import { entryFromBody } from './entry-body.js';
import { looksLikeToken, newToken, tokenHash } from './invite-token.js';
import { messagesFor } from './messages/index.js';
import { diaryPageHtml, plainPageHtml } from './page-html.js';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_CSS } from './page-style.js';
import type { AccessStatus, Invite, WebDiaryStore } from './web-diary-store.js';

export interface RateLimits {
  /** Requests per minute from one address, on every route. */
  perAddress: number;
  /** API requests per minute with one session cookie. */
  perSession: number;
  /** Enrolment attempts (link visits) per minute from one address. */
  enrolPerAddress: number;
}

export const DEFAULT_LIMITS: RateLimits = { perAddress: 300, perSession: 60, enrolPerAddress: 10 };
/** Entries recorded more than this after the time they describe are late (H16, as `--late-hours`). */
const LATE_MS = 24 * 3600_000;

export interface DiaryServerOptions {
  store: WebDiaryStore;
  /** TLS key and certificate; without them the server speaks plain HTTP (loopback, or --insecure-http). */
  https?: https.ServerOptions | undefined;
  limits?: Partial<RateLimits> | undefined;
  /** One line per notable event (refused links, rate limits); never a URL or patient data. */
  log?: ((line: string) => void) | undefined;
  now?: (() => Date) | undefined;
}

/**
 * `scs diary serve`: the patient's diary page and its small JSON API, on Fastify 5 with
 * @fastify/helmet (CSP and the other headers), @fastify/rate-limit (per address and per session) and
 * @fastify/cookie. A maintained framework parses HTTP, not us. Every write is committed (WAL,
 * synchronous=FULL) before its 2xx answer, so nothing answered 2xx is lost by any kind of stop.
 * Logs carry no URL, token or patient data: the enrolment path holds a secret.
 */
export async function buildDiaryServer(options: DiaryServerOptions): Promise<FastifyInstance> {
  const { store } = options;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const log = options.log ?? (() => {});
  const now = options.now ?? (() => new Date());
  const secure = options.https !== undefined;
  // __Host- makes the browser refuse the cookie unless it is Secure, host-only and Path=/.
  const cookieName = secure ? '__Host-scs-diary' : 'scs-diary';

  const app = (options.https
    ? Fastify({ https: options.https, logger: false })
    : Fastify({ logger: false })) as unknown as FastifyInstance;
  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: secure ? { maxAge: 15552000, includeSubDomains: false } : false,
    crossOriginEmbedderPolicy: true,
  });
  await app.register(fastifyRateLimit, {
    global: true,
    max: limits.perAddress,
    timeWindow: 60_000,
    keyGenerator: (req) => req.ip,
    onExceeded: (req) => log(`rate limit: ${req.ip} exceeded ${limits.perAddress} requests/min`),
  });
  const perSession = app.rateLimit({
    max: limits.perSession,
    timeWindow: 60_000,
    groupId: 'session',
    keyGenerator: (req) => sessionKey(req) ?? `ip:${req.ip}`,
    onExceeded: () => log(`rate limit: a session exceeded ${limits.perSession} requests/min`),
  });

  app.addHook('onSend', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
  });
  app.setErrorHandler((error: Error & { statusCode?: number }, _req, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) log(`error: ${error.name}: ${error.message.split('\n')[0]}`);
    void reply
      .code(status)
      .type('application/json')
      .send({ error: status === 500 ? 'internal error' : error.message });
  });
  app.setNotFoundHandler((_req, reply) => void reply.code(404).type('text/plain').send('not found'));

  function sessionKey(req: FastifyRequest): string | undefined {
    const value = req.cookies[cookieName];
    return value && looksLikeToken(value) ? tokenHash(value) : undefined;
  }

  /** The invite behind the request's cookie, or the status that says why there is none. */
  async function access(req: FastifyRequest): Promise<{ status: AccessStatus | 'none'; invite?: Invite }> {
    const key = sessionKey(req);
    if (!key) return { status: 'none' };
    return store.session(key, now().getTime());
  }

  const html = (reply: FastifyReply, code: number, body: string) =>
    reply.code(code).type('text/html; charset=utf-8').send(body);

  app.get('/assets/diary.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(PAGE_SCRIPT));
  app.get('/assets/diary.css', async (_req, reply) => reply.type('text/css; charset=utf-8').send(PAGE_CSS));

  app.get<{ Params: { token: string } }>(
    '/enrol/:token',
    {
      config: {
        rateLimit: {
          max: limits.enrolPerAddress,
          timeWindow: 60_000,
          keyGenerator: (req) => req.ip,
          onExceeded: (req) =>
            log(`rate limit: ${req.ip} exceeded ${limits.enrolPerAddress} link visits/min (possible token guessing)`),
        },
      },
    },
    async (req, reply) => {
      const token = req.params.token;
      const hash = looksLikeToken(token) ? tokenHash(token) : null;
      const current = await access(req);
      const found = hash ? await store.invite(hash) : undefined;
      // The same phone opening its link again just lands on its diary.
      if (
        found &&
        current.status === 'ok' &&
        current.invite &&
        current.invite.createdMs === found.createdMs &&
        current.invite.patientId === found.patientId
      ) {
        return reply.code(303).header('location', '/').send();
      }
      const session = newToken();
      const result = hash
        ? await store.enrol(hash, tokenHash(session), now().getTime())
        : { status: 'unknown' as const };
      if (result.status !== 'ok') {
        if (result.status === 'unknown') log(`refused an unknown diary link from ${req.ip}`);
        else log(`refused a ${result.status} diary link from ${req.ip}`);
        const m = messagesFor(result.invite?.lang ?? 'en');
        return html(
          reply,
          result.status === 'unknown' ? 404 : 410,
          plainPageHtml(m, result.status === 'used' ? m.linkUsedBody : m.linkEndedBody),
        );
      }
      reply.setCookie(cookieName, session, {
        httpOnly: true,
        sameSite: 'strict',
        secure,
        path: '/',
        expires: new Date(result.invite!.expiresMs),
      });
      // 303 to "/": the token leaves the address bar and the history.
      return reply.code(303).header('location', '/').send();
    },
  );

  app.get('/', async (req, reply) => {
    const a = await access(req);
    if (a.status === 'ok') return html(reply, 200, diaryPageHtml(messagesFor(a.invite!.lang)));
    const m = messagesFor(a.invite?.lang ?? 'en');
    if (a.status === 'none' || a.status === 'unknown') return html(reply, 401, plainPageHtml(m, m.noSessionBody));
    return html(reply, 410, plainPageHtml(m, m.linkEndedBody));
  });

  async function apiAccess(req: FastifyRequest, reply: FastifyReply): Promise<Invite | undefined> {
    const a = await access(req);
    if (a.status === 'ok') return a.invite;
    if (a.status === 'none' || a.status === 'unknown')
      void reply.code(401).send({ error: 'no diary session; open the link from your clinic' });
    else
      void reply.code(410).send({
        error: `this diary link has been ${a.status === 'revoked' ? 'revoked' : 'expired'}; call your clinic`,
      });
    return undefined;
  }

  async function trialDates(patientId: string): Promise<TrialDates> {
    const patient = await store.diary.getPatient(patientId);
    return { start: patient?.trialStart ?? null, end: patient?.trialEnd ?? null };
  }

  app.get('/api/entries', { onRequest: perSession }, async (req, reply) => {
    const invite = await apiAccess(req, reply);
    if (!invite) return reply;
    const uuids = await store.clientUuids(invite.patientId);
    const dates = await trialDates(invite.patientId);
    const entries = (await store.diary.current(invite.patientId)).filter((e) => e.source === 'web');
    return { entries: entries.map((e) => entryView(e, uuids.get(e.id) ?? null, dates)) };
  });

  app.post('/api/entries', { onRequest: perSession, bodyLimit: 16 * 1024 }, async (req, reply) => {
    const invite = await apiAccess(req, reply);
    if (!invite) return reply;
    // Besides SameSite=Strict: a browser always names the origin of a cross-site POST; refuse those.
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `${secure ? 'https' : 'http'}://${req.headers.host}`) {
      return reply.code(403).send({ error: 'cross-origin request refused' });
    }
    const received = now();
    const patient = await store.diary.getPatient(invite.patientId);
    const parsed = entryFromBody(req.body, received.getTime(), patient?.trialStart ?? null);
    if (!parsed.ok) return reply.code(400).send({ error: parsed.problems.join('; '), problems: parsed.problems });
    try {
      // Outside the trial dates: stored and flagged, never refused (the phone cannot be asked for
      // --outside-trial; the evaluation leaves the entry out and names it). The answer says so.
      const { entry, duplicate } = await store.addOnce(invite.patientId, parsed.id, parsed.entry);
      const view = entryView(entry, parsed.id, await trialDates(invite.patientId));
      const notice = view.outsideTrial ? { notice: messagesFor(invite.lang).outsideTrialNotice } : {};
      return reply.code(duplicate ? 200 : 201).send({ entry: view, duplicate, ...notice });
    } catch (err) {
      if (err instanceof DiaryStoreError) return reply.code(409).send({ error: err.message });
      throw err;
    }
  });

  return app;
}

/**
 * What the phone sees of an entry (no patient id: the phone knows whose diary it is). `outsideTrial`:
 * the trial dates, as they are now, leave it out of the verdict.
 */
function entryView(e: StoredEntry, uuid: string | null, dates: TrialDates) {
  return {
    id: uuid,
    timestamp: e.at.text,
    recorded: e.recordedAt.text,
    nrs: e.nrs,
    pdi: e.pdi,
    pdiDomains: e.pdiDomains,
    activity: e.activity,
    note: e.note,
    late: e.recordedAt.ms - e.at.ms > LATE_MS,
    outsideTrial: outsideTrial(e, dates) !== null,
  };
}
