/**
 * Principals and their API keys in the control plane. Keys are shown once at
 * creation; only a hash of the secret is stored.
 */
import { randomUUID } from 'node:crypto';
import { generateApiKey, parseApiKey, verifyApiKeySecret } from '@warden/crypto';
import { type Clock, inTransaction, type Principal, type PrincipalKind, systemClock, wardenError } from '@warden/core';
import type pg from 'pg';
import type { AuditSink } from '@warden/audit';
import { type Actor, auditActor } from './audit-actor.js';
import { type ClientCertificateStore, createClientCertificateStore } from './client-certs.js';
import { dutyConflict } from './load-policies.js';
import type { CompiledPolicies } from './policy-types.js';

export interface CreatedPrincipal {
  principal: Principal;
  /** The API key, returned exactly once. */
  apiKey: string;
}

/** Service principals may also authenticate with mTLS client certificates (client-certs.ts). */
export interface PrincipalStore extends ClientCertificateStore {
  /** Audited (principal.create) before it commits when the store has an audit sink. */
  create(input: { name: string; roles: string[]; kind?: PrincipalKind }, actor?: Actor): Promise<CreatedPrincipal>;
  /** Resolves a bearer API key to its principal, or undefined for anything not valid. */
  authenticateApiKey(key: string): Promise<Principal | undefined>;
  list(): Promise<(Principal & { disabled: boolean; createdAt: Date })[]>;
  /** Audited (principal.revoke) before it commits when the store has an audit sink. */
  revokeKeys(name: string, actor?: Actor): Promise<number>;
}

const NAME = /^[a-z0-9][a-z0-9._-]{1,62}$/;

/** Throws UNKNOWN_ROLE, or INVALID_ARGUMENT naming every problem of a principal's name and roles. */
export function checkPrincipal(policies: CompiledPolicies, name: string, roles: readonly string[]): void {
  const problems: string[] = [];
  if (typeof name !== 'string' || !NAME.test(name)) problems.push('name must be 2–63 characters of a-z, 0-9, dot, dash or underscore');
  if (!roles.length) problems.push('at least one role is needed');
  for (const r of roles) if (!policies.roles.has(r)) throw wardenError('UNKNOWN_ROLE', { role: r, known: [...policies.roles.keys()] });
  const conflict = dutyConflict(policies, roles);
  if (conflict) problems.push(`roles combine separate administrative duties (${conflict})`);
  if (problems.length) throw wardenError('INVALID_ARGUMENT', { argument: 'principal', reason: problems.join('; ') });
}

export function createPrincipalStore(
  pool: pg.Pool,
  policies: CompiledPolicies,
  /** audit: where certificate issuance and revocation are recorded (without it they are refused). */
  opts: { cacheMs?: number; clock?: Clock; audit?: AuditSink } = {},
): PrincipalStore {
  const cacheMs = opts.cacheMs ?? 5_000;
  const clock = opts.clock ?? systemClock;
  const now = () => clock.now().getTime();
  // keyId -> resolved principal and the hash it was verified against, for a few seconds. Misses are
  // not cached: guessed key ids never repeat, and the gateway caps failed authentications per address.
  const cache = new Map<string, { hash: string; principal: Principal; until: number }>();

  /** Fail closed: an administrative change the audit log cannot record does not happen. */
  const audited = async (
    actor: Actor,
    action: 'principal.create' | 'principal.revoke',
    subject: string,
    detail: Record<string, unknown>,
  ) => {
    if (!opts.audit) return;
    const event = { eventId: randomUUID(), ts: clock.now(), ...auditActor(actor), action, subject, detail };
    await opts.audit.append({ ...event, fields: [], counts: {}, rows: 0, outcome: 'ALLOWED' }).catch((cause: unknown) => {
      throw wardenError('AUDIT_UNAVAILABLE', {}, cause);
    });
  };
  const operator: Actor = { cli: 'unknown' };

  const certificates = createClientCertificateStore(pool, policies, { clock, cacheMs: opts.cacheMs, audit: opts.audit });

  return {
    ...certificates,

    async create({ name, roles, kind = 'service' }, actor = operator) {
      checkPrincipal(policies, name, roles);
      const id = randomUUID();
      const key = generateApiKey();
      await inTransaction(pool, async (client: pg.PoolClient) => {
        await client.query('INSERT INTO warden.principals (id, name, kind, roles) VALUES ($1, $2, $3, $4)', [id, name, kind, roles]);
        await client.query('INSERT INTO warden.api_keys (key_id, principal_id, secret_hash) VALUES ($1, $2, $3)', [
          key.keyId,
          id,
          key.secretHash,
        ]);
        await audited(actor, 'principal.create', name, { kind, roles, keyId: key.keyId });
      }).catch((e: unknown) => {
        throw (e as { code?: string }).code === '23505' ? wardenError('PRINCIPAL_EXISTS', { name }) : e;
      });
      return { principal: { id, name, kind, roles, amr: ['key'] }, apiKey: key.key };
    },

    async authenticateApiKey(key) {
      const parsed = parseApiKey(key);
      if (!parsed) return undefined;
      const hit = cache.get(parsed.keyId);
      if (hit && hit.until > now()) return verifyApiKeySecret(parsed.secret, hit.hash) ? hit.principal : undefined;
      const { rows } = await pool.query<{ id: string; name: string; kind: PrincipalKind; roles: string[]; secret_hash: string }>(
        `SELECT p.id, p.name, p.kind, p.roles, k.secret_hash
           FROM warden.api_keys k JOIN warden.principals p ON p.id = k.principal_id
          WHERE k.key_id = $1 AND k.revoked_at IS NULL AND NOT p.disabled`,
        [parsed.keyId],
      );
      const r = rows[0];
      if (!r) return undefined;
      if (cache.size > 10_000) cache.clear();
      const principal: Principal = { id: r.id, name: r.name, kind: r.kind, roles: r.roles, amr: ['key'] };
      cache.set(parsed.keyId, { hash: r.secret_hash, principal, until: now() + cacheMs });
      return verifyApiKeySecret(parsed.secret, r.secret_hash) ? principal : undefined;
    },

    async list() {
      const { rows } = await pool.query<{
        id: string;
        name: string;
        kind: PrincipalKind;
        roles: string[];
        disabled: boolean;
        created_at: Date;
      }>('SELECT id, name, kind, roles, disabled, created_at FROM warden.principals ORDER BY name');
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        kind: r.kind,
        roles: r.roles,
        amr: [],
        disabled: r.disabled,
        createdAt: r.created_at,
      }));
    },

    async revokeKeys(name, actor = operator) {
      const revoked = await inTransaction(pool, async (client: pg.PoolClient) => {
        const res = await client.query(
          'UPDATE warden.api_keys k SET revoked_at = $2 FROM warden.principals p WHERE p.id = k.principal_id AND p.name = $1 AND k.revoked_at IS NULL',
          [name, clock.now()],
        );
        await audited(actor, 'principal.revoke', name, { keys: res.rowCount ?? 0 });
        return res.rowCount ?? 0;
      });
      cache.clear();
      return revoked;
    },
  };
}
