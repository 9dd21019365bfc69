/**
 * mTLS client certificates of service principals. Warden's internal CA issues
 * a certificate whose common name is the principal's name; what binds it to the
 * principal is its fingerprint (SHA-256 of the DER) in warden.client_certificates,
 * so a certificate authenticates only while that row is unrevoked, the principal
 * is an enabled service principal and the certificate is within its validity.
 * The private key is handed out once and never stored.
 *
 * Revocation: a revocation in this process takes effect at once (the cache is
 * cleared); one made elsewhere (the CLI while the server runs) within
 * CERT_CACHE_MS (5 s), the longest a resolved certificate is cached.
 *
 * Issuance and revocation are audited (auth.cert.issue, auth.cert.revoke)
 * before the change commits: if the audit log cannot be written, nothing
 * changes and no certificate is handed out.
 */
import { randomUUID, X509Certificate } from 'node:crypto';
import type { AuditEvent, AuditSink } from '@warden/audit';
import { type Clock, type Principal, type WardenError, wardenError, inTransaction } from '@warden/core';
import { type InternalCa, issueClientCertificate } from '@warden/crypto';
import type pg from 'pg';
import type { CompiledPolicies } from './policy-types.js';
import { type Actor, auditActor } from './audit-actor.js';

export interface IssuedPrincipalCertificate {
  certPem: string;
  /** The private key (PKCS#8 PEM), returned exactly once. */
  keyPem: string;
  /** SHA-256 of the certificate's DER bytes, lowercase hex. */
  fingerprint: string;
  notAfter: Date;
}

export interface ClientCertificateStore {
  /**
   * Issues a client certificate for the service principal `name` (CN = name) from `ca` and binds
   * it. `days`: 1–825, default 365. `actor`: who asks (default: the OS operator `unknown`); a
   * principal must be a person holding `manage Principal` with MFA.
   */
  issueCertificate(name: string, ca: InternalCa, opts?: { days?: number; actor?: Actor }): Promise<IssuedPrincipalCertificate>;
  /**
   * The principal (amr ['mtls']) a presented certificate's fingerprint is bound to, or undefined
   * when it is unknown, revoked, outside its validity at `now`, or its principal is disabled or a person.
   */
  authenticateCertificate(fingerprint: string, now: Date): Promise<Principal | undefined>;
  /**
   * Revokes one certificate (`target` a fingerprint: 64 hex digits, colons allowed) or every live
   * certificate of a principal (`target` its name — names are at most 63 characters, so never a
   * fingerprint). Returns how many were revoked; NOT_FOUND when the target has no certificate.
   */
  revokeCertificate(target: string, opts?: { actor?: Actor }): Promise<number>;
}

export const DEFAULT_CERT_DAYS = 365;
export const MAX_CERT_DAYS = 825;
/** The longest a resolved certificate is cached: the bound on revocation by another process. */
export const CERT_CACHE_MS = 5_000;

const FINGERPRINT = /^[0-9a-f]{64}$/;

/** A fingerprint in the stored form (lowercase hex, no colons), or undefined if `s` is not one. */
export function normaliseFingerprint(s: string): string | undefined {
  if (typeof s !== 'string' || s.length > 95) return undefined;
  const hex = s.replace(/:/g, '').toLowerCase();
  return FINGERPRINT.test(hex) ? hex : undefined;
}

export function createClientCertificateStore(
  pool: pg.Pool,
  policies: CompiledPolicies,
  opts: { clock: Clock; cacheMs?: number; audit?: AuditSink },
): ClientCertificateStore {
  const clock = opts.clock;
  const cacheMs = Math.min(opts.cacheMs ?? CERT_CACHE_MS, CERT_CACHE_MS);
  // fingerprint -> its bound principal and validity, for at most CERT_CACHE_MS. Misses are not
  // cached: the gateway counts them as failed authentications per address.
  const cache = new Map<string, { principal: Principal; notBefore: number; notAfter: number; until: number }>();

  // One issuance or revocation at a time in this process: each holds one pooled connection while the
  // audit sink needs another, so they must never take the whole pool.
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn, fn);
    queue = run.catch(() => {});
    return run;
  }

  function event(
    actor: Actor,
    action: 'auth.cert.issue' | 'auth.cert.revoke',
    outcome: AuditEvent['outcome'],
    extra: { reasonCode?: string; subject?: string; detail?: Record<string, unknown> },
  ): AuditEvent {
    return { eventId: randomUUID(), ts: clock.now(), ...auditActor(actor), action, fields: [], counts: {}, rows: 0, outcome, ...extra };
  }

  async function append(e: AuditEvent): Promise<void> {
    if (!opts.audit) throw wardenError('AUDIT_UNAVAILABLE');
    try {
      await opts.audit.append(e);
    } catch (cause) {
      throw wardenError('AUDIT_UNAVAILABLE', {}, cause);
    }
  }

  /** Records the refusal, then throws `error` (AUDIT_UNAVAILABLE if the refusal cannot be recorded). */
  async function deny(error: WardenError, e: AuditEvent): Promise<never> {
    await append(e);
    throw error;
  }

  /** The OS operator, or a person holding `manage Principal` in a session with MFA. */
  async function authorise(actor: Actor, action: 'auth.cert.issue' | 'auth.cert.revoke', subject: string): Promise<void> {
    if ('cli' in actor) {
      if (typeof actor.cli !== 'string' || !actor.cli) throw wardenError('UNAUTHENTICATED');
      return;
    }
    const p = actor.principal;
    let error: WardenError | undefined;
    if (p?.kind !== 'user' || !policies.abilityFor(p.roles).can('manage', 'Principal')) error = wardenError('FORBIDDEN', { action });
    else if (!p.amr.includes('otp') || !p.mfaAt) error = wardenError('MFA_REQUIRED', { minutes: 720 });
    if (error) await deny(error, event(actor, action, 'DENIED', { reasonCode: error.code, subject }));
  }

  const tx = <T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => inTransaction(pool, fn);

  const defaultActor: Actor = { cli: 'unknown' };

  return {
    issueCertificate(name, ca, { days = DEFAULT_CERT_DAYS, actor = defaultActor } = {}) {
      return serial(async () => {
        await authorise(actor, 'auth.cert.issue', name);
        if (!Number.isInteger(days) || days < 1 || days > MAX_CERT_DAYS) {
          throw wardenError('INVALID_ARGUMENT', { argument: 'days', reason: `a whole number from 1 to ${MAX_CERT_DAYS}` });
        }
        const { rows } = await pool.query<{ id: string; kind: string; disabled: boolean }>(
          'SELECT id, kind, disabled FROM warden.principals WHERE name = $1',
          [name],
        );
        const p = rows[0];
        let refusal: WardenError | undefined;
        if (!p) refusal = wardenError('NOT_FOUND');
        else if (p.kind !== 'service') {
          refusal = wardenError('INVALID_ARGUMENT', {
            argument: 'name',
            reason: `${name} is a person; only service principals use certificates`,
          });
        } else if (p.disabled) refusal = wardenError('INVALID_ARGUMENT', { argument: 'name', reason: `${name} is disabled` });
        if (!p || refusal) {
          const error = refusal ?? wardenError('NOT_FOUND');
          return deny(error, event(actor, 'auth.cert.issue', 'DENIED', { reasonCode: error.code, subject: name }));
        }
        const issued = issueClientCertificate(ca, { commonName: name, days, now: clock.now() });
        const x509 = new X509Certificate(issued.certPem);
        const notBefore = new Date(x509.validFrom);
        const notAfter = new Date(x509.validTo);
        await tx(async (c) => {
          await c.query(
            `INSERT INTO warden.client_certificates (fingerprint, principal_id, serial, subject_cn, not_before, not_after, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [issued.fingerprint, p.id, x509.serialNumber.toLowerCase(), name, notBefore, notAfter, clock.now()],
          );
          await append(
            event(actor, 'auth.cert.issue', 'ALLOWED', {
              subject: name,
              detail: { fingerprint: issued.fingerprint, serial: x509.serialNumber.toLowerCase(), notAfter: notAfter.toISOString(), days },
            }),
          );
        });
        return { certPem: issued.certPem, keyPem: issued.keyPem, fingerprint: issued.fingerprint, notAfter };
      });
    },

    async authenticateCertificate(fingerprint, now) {
      const fp = normaliseFingerprint(fingerprint);
      if (!fp) return undefined;
      const at = now.getTime();
      const valid = (e: { notBefore: number; notAfter: number }) => e.notBefore <= at && at < e.notAfter;
      const hit = cache.get(fp);
      if (hit && hit.until > clock.now().getTime()) return valid(hit) ? hit.principal : undefined;
      const { rows } = await pool.query<{ id: string; name: string; roles: string[]; not_before: Date; not_after: Date }>(
        `SELECT p.id, p.name, p.roles, c.not_before, c.not_after
           FROM warden.client_certificates c JOIN warden.principals p ON p.id = c.principal_id
          WHERE c.fingerprint = $1 AND c.revoked_at IS NULL AND NOT p.disabled AND p.kind = 'service'`,
        [fp],
      );
      const r = rows[0];
      if (!r) {
        cache.delete(fp);
        return undefined;
      }
      if (cache.size > 10_000) cache.clear();
      const entry = {
        principal: { id: r.id, name: r.name, kind: 'service' as const, roles: r.roles, amr: ['mtls'] },
        notBefore: r.not_before.getTime(),
        notAfter: r.not_after.getTime(),
        until: clock.now().getTime() + cacheMs,
      };
      cache.set(fp, entry);
      return valid(entry) ? entry.principal : undefined;
    },

    revokeCertificate(target, { actor = defaultActor } = {}) {
      return serial(async () => {
        const fp = normaliseFingerprint(target);
        await authorise(actor, 'auth.cert.revoke', fp ?? target);
        const revoked = await tx(async (c) => {
          const { rows } = await c.query<{ fingerprint: string; name: string; revoked: boolean }>(
            `SELECT c.fingerprint, p.name, c.revoked_at IS NOT NULL AS revoked
               FROM warden.client_certificates c JOIN warden.principals p ON p.id = c.principal_id
              WHERE ${fp ? 'c.fingerprint = $1' : 'p.name = $1'}
              FOR UPDATE OF c`,
            [fp ?? target],
          );
          if (!rows.length) return undefined;
          const live = rows.filter((r) => !r.revoked).map((r) => r.fingerprint);
          if (!live.length) return [];
          const by = auditActor(actor).actorName;
          await c.query('UPDATE warden.client_certificates SET revoked_at = $2, revoked_by = $3 WHERE fingerprint = ANY($1::text[])', [
            live,
            clock.now(),
            by,
          ]);
          await append(
            event(actor, 'auth.cert.revoke', 'ALLOWED', {
              subject: rows[0]?.name,
              detail: { fingerprints: live, count: live.length },
            }),
          );
          return live;
        });
        if (!revoked) {
          const error = wardenError('NOT_FOUND');
          return deny(error, event(actor, 'auth.cert.revoke', 'DENIED', { reasonCode: error.code, subject: fp ?? target }));
        }
        cache.clear();
        return revoked.length;
      });
    },
  };
}
