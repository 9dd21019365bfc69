/**
 * Authentication: `Authorization: Bearer <API key | session token>` resolves to a principal
 * before any route that needs one runs: `wdn_…` API keys (services) through the
 * principal store, `wds_…` session tokens (people) through the user store. A bad
 * or missing credential gets 401 UNAUTHENTICATED and nothing else — the same
 * answer whatever was wrong with it; a session token that was valid once (idle
 * or absolute expiry, logout, reset, disabled user) gets 401 SESSION_EXPIRED, so
 * the client knows to log in again. Failures of both kinds are counted per
 * source address: past the budget, 429 before any lookup, so guessing costs the
 * guesser, not the database. An `anonymous` route also takes requests without
 * any Authorization header (req.principal stays undefined; the route decides).
 *
 * Without an Authorization header, a service may authenticate with an mTLS
 * client certificate issued by Warden's internal CA: the TLS server asks for one
 * without requiring it, and a certificate that chains to the client CA, is
 * within its validity and whose fingerprint is bound to an enabled service
 * principal authenticates that principal (amr ['mtls']). Any other presented
 * certificate (unknown, revoked, another CA's, expired) gets 401
 * CERTIFICATE_REVOKED and counts as a failure. A header always wins over a
 * certificate; people never authenticate with one.
 */
import type { TLSSocket } from 'node:tls';
import { randomUUID } from 'node:crypto';
import type { PrincipalStore, UserStore } from '@warden/access';
import type { AuditSink } from '@warden/audit';
import type { Clock, Principal } from '@warden/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fingerprintCertificate } from '@warden/crypto';
import fp from 'fastify-plugin';
import { loggableError, sendError } from '../http-errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyInstance {
    /** Counts a failed authentication (a bad key, password or code) against a source address. */
    authFailed(ip: string): void;
  }
  interface FastifyContextConfig {
    /** Routes that answer without a principal (health, metrics). */
    public?: boolean;
    /** Routes that take a request without credentials and decide themselves what it may do (login on /graphql). */
    anonymous?: boolean;
  }
}

export interface AuthOptions {
  principals: PrincipalStore;
  /** Failed authentications are security events: audited (the refusal stands if the log is down). */
  audit?: AuditSink;
  /** Human sessions (`Bearer wds_…`); without it only API keys authenticate. */
  users?: UserStore;
  clock: Clock;
  /** Failed authentications per source address per minute before 429. */
  maxFailuresPerMinute: number;
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string' || h.length > 512) return undefined;
  const m = /^Bearer ([A-Za-z0-9_-]+)$/.exec(h);
  return m?.[1];
}

/**
 * The client certificate the TLS peer presented: undefined when none (or no TLS), `{}` when it does
 * not chain to the client CA or is outside its validity at `now`, else its fingerprint.
 */
function presentedCertificate(req: FastifyRequest, now: number): { fingerprint?: string } | undefined {
  const socket = req.raw.socket as Partial<TLSSocket> | undefined;
  if (typeof socket?.getPeerCertificate !== 'function') return undefined;
  const cert = socket.getPeerCertificate();
  if (!cert?.raw) return undefined;
  if (socket.authorized !== true || !(Date.parse(cert.valid_from) <= now && now < Date.parse(cert.valid_to))) return {};
  return { fingerprint: fingerprintCertificate(cert.raw) };
}

async function authPlugin(app: FastifyInstance, opts: AuthOptions): Promise<void> {
  const failures = new Map<string, { count: number; resetAt: number }>();
  const failed = (ip: string, now: number) => {
    if (failures.size > 10_000) for (const [a, f] of failures) if (f.resetAt <= now) failures.delete(a);
    const seen = failures.get(ip);
    const current = seen && seen.resetAt > now ? seen : { count: 0, resetAt: now + 60_000 };
    current.count += 1;
    failures.set(ip, current);
  };
  app.decorate('authFailed', (ip: string) => failed(ip, opts.clock.now().getTime()));
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (req, reply) => {
    if (req.routeOptions.config?.public || !req.routeOptions.url) return;
    const now = opts.clock.now().getTime();
    const seen = failures.get(req.ip);
    if (seen && seen.resetAt > now && seen.count >= opts.maxFailuresPerMinute) {
      const seconds = Math.ceil((seen.resetAt - now) / 1000);
      reply.header('retry-after', String(seconds));
      return sendError(reply, 'RATE_LIMITED', { seconds });
    }
    const header = req.headers.authorization !== undefined;
    const cert = header ? undefined : presentedCertificate(req, now);
    if (req.routeOptions.config?.anonymous && !header && !cert) return;
    const key = bearer(req);
    let principal: Principal | undefined;
    let expired = false;
    if (cert) {
      const p = cert.fingerprint ? await opts.principals.authenticateCertificate(cert.fingerprint, new Date(now)) : undefined;
      if (p?.kind === 'service') principal = p;
    } else if (key?.startsWith('wds_')) {
      const session = await opts.users?.checkSession(key, req.ip);
      if (session && 'principal' in session) principal = session.principal;
      else expired = session?.expired === true;
    } else if (key) principal = await opts.principals.authenticateApiKey(key);
    if (!principal) {
      failed(req.ip, now);
      const code = expired ? 'SESSION_EXPIRED' : cert ? 'CERTIFICATE_REVOKED' : 'UNAUTHENTICATED';
      await opts.audit
        ?.append({
          eventId: randomUUID(),
          ts: new Date(now),
          actorName: '(unauthenticated)',
          roles: [],
          auth: [cert ? 'mtls' : key?.startsWith('wds_') ? 'session' : key ? 'key' : 'none'],
          sourceIp: req.ip,
          requestId: req.id,
          action: 'auth.fail',
          fields: [],
          counts: {},
          rows: 0,
          outcome: 'DENIED',
          reasonCode: code,
          // The key id (public half) of a presented API key, never its secret; a session or certificate by nothing.
          detail: key?.startsWith('wdn_') ? { keyId: key.slice(4, 16) } : undefined,
        })
        .catch((e: unknown) =>
          req.log.error({ err: loggableError(e), requestId: req.id }, 'audit write failed for a failed authentication'),
        );
      reply.header('www-authenticate', 'Bearer realm="warden"');
      return sendError(reply, code);
    }
    req.principal = principal;
  });
}

export default fp(authPlugin, { name: '@warden/auth' });
