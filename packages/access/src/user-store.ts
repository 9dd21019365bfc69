/**
 * People: passwords, TOTP, sessions, lockouts and the administration of
 * users (STANDARDS §4–§5).
 *
 * - Login takes the password and, once an authenticator is enrolled, the
 *   TOTP code: the session then has amr ['pwd', 'otp'] and mfaAt. Before
 *   enrolment the session has amr ['pwd'] and the gateway lets it only enrol.
 * - Attempts are limited per subject and factor in PostgreSQL (auth-attempts.ts):
 *   the password factor's subject is a keyed hash of the lower-cased login
 *   name, so unknown names are counted and locked exactly like real ones; the
 *   TOTP factor's subject is the principal id. Each verification runs in one
 *   transaction holding the advisory lock of its subject and factor: lock
 *   check, verification, failure record and replay step update happen there.
 *   A process-local queue per subject keeps waiting verifications from
 *   holding pooled connections.
 * - Enumeration: an unknown name, a wrong password, and a known name with a
 *   right password but a missing or wrong code all answer INVALID_CREDENTIALS
 *   after the same scrypt work (the dummy hash for unknown names), and each
 *   counts as a password failure (cleared only when both factors pass), so
 *   the fifth locks whether the password was right or not. A TOTP lock locks
 *   the password subject too. A locked
 *   subject answers ACCOUNT_LOCKED *before* any verification — and since
 *   unknown names lock after five failures just like real ones, the lock says
 *   nothing about existence, while checking the password during a lock would
 *   hand out free guesses. TOTP_REPLAYED (a code used twice) needs the right
 *   password first, so it reveals nothing a guesser could not already know.
 * - Audit: every authentication event goes through the AuditSink, never a
 *   password, code, token or secret (unknown names appear only as a keyed
 *   hash: a password typed into the name field is not recorded). No
 *   transaction waits for the audit sink (both use the pool: waiting would
 *   let a burst of logins exhaust it): a change commits, its event is
 *   appended, and if the append fails the change is undone (the session
 *   revoked, the enrolment rolled back…) and AUDIT_UNAVAILABLE is thrown.
 *   resetMfa appends first and then acts.
 * - Every time comes from the injected clock; the database's now() decides nothing.
 */
import { createHmac, hkdfSync, randomUUID } from 'node:crypto';
import type { Alert, AlertSink } from '@warden/alerts';
import type { AuditEvent, AuditSink } from '@warden/audit';
import { type Clock, type ErrorCode, type Principal, systemClock, type WardenError, wardenError, inTransaction } from '@warden/core';
import { generateSessionToken, openSecret, sealSecret, sessionTokenHash } from '@warden/crypto';
import {
  generatePassword,
  generateTotpSecret,
  hashPassword,
  passwordProblems,
  totpQrSvg,
  totpUri,
  verifyPassword,
  verifyTotp,
} from '@warden/mfa';
import type pg from 'pg';
import {
  clearFailures,
  type Factor,
  LOCK_MS,
  lockedUntil,
  lockSubject,
  minutesUntil,
  recordFailure,
  serialiseAttempts,
} from './auth-attempts.js';
import { type Actor, auditActor, type EventActor, principalActor } from './audit-actor.js';
import type { CompiledPolicies } from './policy-types.js';
import { checkPrincipal } from './principal-store.js';

export const IDLE_TIMEOUT_MS = 30 * 60_000;
/** For principals holding a role of an administrative duty (system, security, audit). */
export const ADMIN_IDLE_TIMEOUT_MS = 15 * 60_000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60_000;
const ADMIN_DUTIES: ReadonlySet<string> = new Set(['system', 'security', 'audit']);
/** A session's amr once its TOTP step is passed. */
const MFA_AMR: readonly string[] = ['pwd', 'otp'];

export interface Session {
  /** `wds_` + 43 base64url characters: returned once, only its SHA-256 is stored. */
  token: string;
  principal: Principal;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
  /** false: the session may only enrol an authenticator (and log out). */
  mfaEnrolled: boolean;
}

/** What an active session resolves to; `expired` for a token that was valid once (idle, absolute, revoked, disabled). */
export type SessionCheck =
  | { principal: Principal; idleExpiresAt: Date; absoluteExpiresAt: Date; mfaEnrolled: boolean }
  | { expired: true }
  | undefined;

export interface UserSummary {
  id: string;
  name: string;
  roles: string[];
  disabled: boolean;
  createdAt: Date;
  mfaEnrolled: boolean;
  /** The end of a lock in force on the password or TOTP factor. */
  lockedUntil?: Date;
}

export interface UserStore {
  create(input: { name: string; roles: string[]; password?: string }, actor: Actor): Promise<{ principal: Principal; password?: string }>;
  setRoles(name: string, roles: string[], actor: Actor): Promise<Principal>;
  /** Clears the user's authenticator and revokes their sessions; the actor is another person (never `cli`) who may manage principals. */
  resetMfa(name: string, actor: Actor): Promise<void>;
  changePassword(session: Principal, oldPw: string, newPw: string): Promise<void>;
  login(input: { name: string; password: string; code?: string; sourceIp?: string }): Promise<Session>;
  /** A new pending secret (returned here and never again) until confirmTotp. */
  enrolTotp(session: Principal): Promise<{ secret: string; uri: string; qrSvg: string }>;
  /** Completes enrolment with a code of the pending secret; the session gets MFA. */
  confirmTotp(session: Principal, code: string): Promise<Principal>;
  /** Step-up: a fresh mfaAt for the session. */
  verifyMfa(session: Principal, code: string, sourceIp?: string): Promise<Principal>;
  /** The principal of an active session (last use updated), or undefined for anything else. */
  authenticateSession(token: string, sourceIp?: string): Promise<Principal | undefined>;
  /** The same, telling a once-valid but expired or revoked session apart (SESSION_EXPIRED at the gateway). */
  checkSession(token: string, sourceIp?: string): Promise<SessionCheck>;
  logout(session: Principal): Promise<void>;
  list(): Promise<UserSummary[]>;
}

export interface UserStoreOptions {
  clock?: Clock;
  audit: AuditSink;
  alerts: AlertSink;
  /** 32 bytes: seals TOTP secrets (AAD = principal id) and keys the login-name hash. */
  secretKey: Buffer;
}

interface UserRow {
  id: string;
  name: string;
  roles: string[];
  password_hash: string | null;
  totp_secret: Buffer | null;
  totp_pending_secret: Buffer | null;
}

const USER = 'SELECT id, name, roles, password_hash, totp_secret, totp_pending_secret FROM warden.principals';
const SESSION_ID = /^[0-9a-f]{64}$/;
type TotpColumn = 'totp_secret' | 'totp_pending_secret';
/** A failed TOTP verification; `until`: a lock in force (set by this failure when `lockedNow`). */
type TotpFailure = { ok: false; reason: 'invalid' | 'replay' | 'locked' | 'missing'; until?: Date; lockedNow?: boolean };
type TotpOutcome = { ok: true; step: number } | TotpFailure;

export function createUserStore(pool: pg.Pool, policies: CompiledPolicies, opts: UserStoreOptions): UserStore {
  const clock = opts.clock ?? systemClock;
  if (!Buffer.isBuffer(opts.secretKey) || opts.secretKey.length !== 32) {
    throw wardenError('CONFIG_INVALID', { reason: 'the TOTP secret key must be 32 bytes' });
  }
  const secretKey = opts.secretKey;
  const nameKey = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'warden/login-name', 32));
  /** The password factor's subject: a keyed hash of the lower-cased name, known or not. */
  const nameSubject = (name: string) => createHmac('sha256', nameKey).update(name.toLowerCase(), 'utf8').digest('hex');

  // One verification per subject at a time in this process: the others wait here, not on a pooled connection.
  const queues = new Map<string, Promise<unknown>>();
  async function serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = queues.get(key) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const tail = run.catch(() => {});
    queues.set(key, tail);
    try {
      return await run;
    } finally {
      if (queues.get(key) === tail) queues.delete(key);
    }
  }

  const tx = <T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => inTransaction(pool, fn);

  function event(
    actor: EventActor,
    action: string,
    outcome: AuditEvent['outcome'],
    extra: { reasonCode?: string; subject?: string; detail?: Record<string, unknown>; sourceIp?: string; sessionId?: string } = {},
  ): AuditEvent {
    return {
      eventId: randomUUID(),
      ts: clock.now(),
      ...actor,
      action,
      fields: [],
      counts: {},
      rows: 0,
      outcome,
      ...extra,
    };
  }

  const userActor = (row: UserRow, auth: string[] = [], sessionId?: string): EventActor => ({
    actorId: row.id,
    actorName: row.name,
    roles: row.roles,
    auth,
    sessionId,
  });

  /** Appends the events and raises the alerts; resolves only when all are stored. */
  async function record(events: AuditEvent[], alerts: Alert[] = []): Promise<void> {
    try {
      await Promise.all([...events.map((e) => opts.audit.append(e)), ...alerts.map((a) => opts.alerts.raise(a))]);
    } catch (e) {
      throw wardenError('AUDIT_UNAVAILABLE', {}, e);
    }
  }

  /** Records then throws `error`; a failed record throws AUDIT_UNAVAILABLE instead. */
  async function deny(error: WardenError, events: AuditEvent[], alerts: Alert[] = []): Promise<never> {
    await record(events, alerts);
    throw error;
  }

  /** Records; if that fails, undoes the committed change (best effort) and throws AUDIT_UNAVAILABLE. */
  async function recordOrUndo(events: AuditEvent[], undo: () => Promise<unknown>): Promise<void> {
    try {
      await record(events);
    } catch (e) {
      await undo().catch(() => {});
      throw e;
    }
  }

  const lockoutAlert = (factor: Factor, until: Date, now: Date, who: { principalId?: string; subject?: string }): Alert => ({
    kind: 'auth.lockout',
    severity: 'warning',
    ...who,
    detail: { factor, until: until.toISOString(), minutes: LOCK_MS / 60_000 },
    ts: now,
  });

  const idleMsFor = (roles: readonly string[]) =>
    roles.some((r) => ADMIN_DUTIES.has(policies.roles.get(r)?.duty ?? '')) ? ADMIN_IDLE_TIMEOUT_MS : IDLE_TIMEOUT_MS;

  async function userByName(c: pg.PoolClient | pg.Pool, name: string): Promise<UserRow | undefined> {
    const { rows } = await c.query<UserRow>(`${USER} WHERE name = $1 AND kind = 'user' AND NOT disabled`, [name]);
    return rows[0];
  }

  async function userById(c: pg.PoolClient, id: string): Promise<UserRow> {
    const { rows } = await c.query<UserRow>(`${USER} WHERE id = $1 AND kind = 'user' AND NOT disabled FOR UPDATE`, [id]);
    if (!rows[0]) throw wardenError('SESSION_EXPIRED');
    return rows[0];
  }

  /** The session row of a session principal, locked; SESSION_EXPIRED unless it is active at `now`. */
  async function activeSession(c: pg.PoolClient, session: Principal, now: Date): Promise<Buffer> {
    if (session?.kind !== 'user' || typeof session.sessionId !== 'string' || !SESSION_ID.test(session.sessionId)) {
      throw wardenError('UNAUTHENTICATED');
    }
    const hash = Buffer.from(session.sessionId, 'hex');
    const { rows } = await c.query<{ active: boolean }>(
      `SELECT revoked_at IS NULL AND absolute_expires_at > $2 AND last_seen_at + make_interval(secs => idle_timeout_seconds) > $2 AS active
         FROM warden.sessions WHERE token_hash = $1 AND principal_id = $3 FOR UPDATE`,
      [hash, now, session.id],
    );
    if (!rows[0]?.active) throw wardenError('SESSION_EXPIRED');
    return hash;
  }

  /** The session has passed its TOTP step: amr ['pwd', 'otp'], MFA proven now. */
  async function markMfa(c: pg.PoolClient, hash: Buffer, now: Date): Promise<void> {
    await c.query('UPDATE warden.sessions SET amr = $3, mfa_at = $2 WHERE token_hash = $1', [hash, now, MFA_AMR]);
  }

  async function openSession(c: pg.PoolClient, row: UserRow, amr: string[], mfaAt: Date | undefined, now: Date) {
    const { token, hash } = generateSessionToken();
    const idleMs = idleMsFor(row.roles);
    const absoluteExpiresAt = new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS);
    await c.query(
      `INSERT INTO warden.sessions (token_hash, principal_id, amr, mfa_at, created_at, last_seen_at, idle_timeout_seconds, absolute_expires_at)
       VALUES ($1, $2, $3, $4, $5, $5, $6, $7)`,
      [hash, row.id, amr, mfaAt ?? null, now, idleMs / 1000, absoluteExpiresAt],
    );
    const principal: Principal = { id: row.id, name: row.name, kind: 'user', roles: row.roles, amr, sessionId: hash.toString('hex') };
    if (mfaAt) principal.mfaAt = mfaAt;
    return { token, hash, principal, idleExpiresAt: new Date(now.getTime() + idleMs), absoluteExpiresAt };
  }

  /**
   * Verifies a TOTP code of the principal's enrolled (or pending) secret, serialised with every other
   * TOTP verification of the principal: lock check, verification, failure count and the replay step
   * all in the caller's transaction.
   */
  async function checkTotp(c: pg.PoolClient, principalId: string, column: TotpColumn, code: string, now: Date): Promise<TotpOutcome> {
    await serialiseAttempts(c, 'totp', principalId);
    const { rows } = await c.query<{ name: string; sealed: Buffer | null; last: string | null }>(
      `SELECT name, ${column} AS sealed, totp_last_step AS last FROM warden.principals WHERE id = $1`,
      [principalId],
    );
    // A TOTP lock locks the password too (never the other way round: a password lock says nothing of the code).
    const lockPassword = async (until: Date) => {
      if (rows[0]) await lockSubject(c, 'password', nameSubject(rows[0].name), now, until);
    };
    const locked = await lockedUntil(c, 'totp', principalId, now);
    if (locked) {
      await lockPassword(locked);
      return { ok: false, reason: 'locked', until: locked };
    }
    const sealed = rows[0]?.sealed;
    if (!sealed) return { ok: false, reason: 'missing' };
    const secret = openSecret(secretKey, sealed, principalId).toString('utf8');
    const last = rows[0]?.last;
    const result = await verifyTotp(secret, typeof code === 'string' ? code : '', {
      now,
      lastStep: last == null ? undefined : Number(last),
    });
    if (result.ok) {
      await c.query('UPDATE warden.principals SET totp_last_step = $2 WHERE id = $1', [principalId, result.step]);
      await clearFailures(c, 'totp', principalId);
      return result;
    }
    const until = await recordFailure(c, 'totp', principalId, now);
    if (until) await lockPassword(until);
    return { ok: false, reason: result.reason, until, lockedNow: until !== undefined };
  }

  /**
   * The denial of a failed TOTP verification: `invalidCode` for a wrong code (INVALID_CREDENTIALS at
   * login, TOTP_INVALID elsewhere); a replay is alerted; a lock set by this failure is audited and alerted.
   */
  function totpDenial(
    outcome: TotpFailure,
    ctx: { action: string; actor: EventActor; principalId: string; invalidCode: ErrorCode; sourceIp?: string; now: Date },
  ): Promise<never> {
    const { action, actor, principalId, sourceIp, now } = ctx;
    const detail = { factor: 'totp' };
    const locked = (until: Date) => wardenError('ACCOUNT_LOCKED', { minutes: minutesUntil(until, now) });
    const error =
      outcome.reason === 'replay'
        ? wardenError('TOTP_REPLAYED')
        : outcome.until
          ? locked(outcome.until)
          : wardenError(outcome.reason === 'missing' ? 'MFA_NOT_ENROLLED' : ctx.invalidCode);
    const events = [event(actor, action, 'DENIED', { reasonCode: error.code, detail, sourceIp })];
    const alerts: Alert[] = [];
    if (outcome.reason === 'replay') {
      alerts.push({ kind: 'totp.replay', severity: 'warning', principalId, subject: actor.actorName, detail: { action }, ts: now });
    }
    if (outcome.lockedNow && outcome.until) {
      events.push(event(actor, 'auth.lockout', 'DENIED', { reasonCode: 'ACCOUNT_LOCKED', subject: actor.actorName, detail, sourceIp }));
      alerts.push(lockoutAlert('totp', outcome.until, now, { principalId, subject: actor.actorName }));
    }
    return deny(error, events, alerts);
  }

  /** Admin actions: the OS operator, or a person holding `manage Principal` in a session with MFA. */
  async function authorise(actor: Actor, action: string, what: string, subject: string): Promise<void> {
    if ('cli' in actor) {
      if (typeof actor.cli !== 'string' || !actor.cli) throw wardenError('UNAUTHENTICATED');
      return;
    }
    const p = actor.principal;
    let error: WardenError | undefined;
    if (p?.kind !== 'user' || !policies.abilityFor(p.roles).can('manage', 'Principal')) error = wardenError('FORBIDDEN', { action: what });
    else if (!p.amr.includes('otp') || !p.mfaAt) error = wardenError('MFA_REQUIRED', { minutes: ABSOLUTE_TIMEOUT_MS / 60_000 });
    if (error) await deny(error, [event(auditActor(actor), action, 'DENIED', { reasonCode: error.code, subject })]);
  }

  function refuseSelf(actor: Actor, targetName: string, action: string, what: string): Promise<void> {
    if ('principal' in actor && actor.principal.name === targetName) {
      const error = wardenError('FORBIDDEN', { action: what });
      return deny(error, [event(auditActor(actor), action, 'DENIED', { reasonCode: 'FORBIDDEN', subject: targetName })]);
    }
    return Promise.resolve();
  }

  const sessionPrincipal = (p: Principal, amr: string[], mfaAt: Date): Principal => ({ ...p, amr, mfaAt });

  async function revokeSession(hash: Buffer, now: Date): Promise<void> {
    await pool.query('UPDATE warden.sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL', [hash, now]);
  }

  const store: UserStore = {
    async create(input, actor) {
      const name = input?.name;
      await authorise(actor, 'user.create', 'create users', String(name));
      checkPrincipal(policies, name, input.roles ?? []);
      const generated = input.password === undefined ? generatePassword(name) : undefined;
      const password = input.password ?? (generated as string);
      const problems = passwordProblems(password, { name });
      if (problems.length) throw wardenError('PASSWORD_REJECTED', { reason: problems.join('; ') });
      const hash = await hashPassword(password);
      const id = randomUUID();
      const now = clock.now();
      try {
        await pool.query(
          `INSERT INTO warden.principals (id, name, kind, roles, password_hash, created_at) VALUES ($1, $2, 'user', $3, $4, $5)`,
          [id, name, input.roles, hash, now],
        );
      } catch (e) {
        if ((e as { code?: string }).code === '23505') throw wardenError('PRINCIPAL_EXISTS', { name });
        throw e;
      }
      await recordOrUndo([event(auditActor(actor), 'user.create', 'ALLOWED', { subject: name, detail: { roles: input.roles } })], () =>
        pool.query('DELETE FROM warden.principals WHERE id = $1', [id]),
      );
      const principal: Principal = { id, name, kind: 'user', roles: [...input.roles], amr: [] };
      return generated === undefined ? { principal } : { principal, password: generated };
    },

    async setRoles(name, roles, actor) {
      await authorise(actor, 'user.roles', 'change roles', String(name));
      checkPrincipal(policies, name, roles ?? []);
      await refuseSelf(actor, name, 'user.roles', 'change their own roles');
      const before = await tx(async (c) => {
        const { rows } = await c.query<{ id: string; roles: string[] }>(
          `SELECT id, roles FROM warden.principals WHERE name = $1 AND kind = 'user' FOR UPDATE`,
          [name],
        );
        if (!rows[0]) throw wardenError('NOT_FOUND');
        await c.query('UPDATE warden.principals SET roles = $2 WHERE id = $1', [rows[0].id, roles]);
        return rows[0];
      });
      await recordOrUndo(
        [event(auditActor(actor), 'user.roles', 'ALLOWED', { subject: name, detail: { from: before.roles, to: roles } })],
        () => pool.query('UPDATE warden.principals SET roles = $2 WHERE id = $1 AND roles = $3', [before.id, before.roles, roles]),
      );
      return { id: before.id, name, kind: 'user', roles: [...roles], amr: [] };
    },

    async resetMfa(name, actor) {
      // Another administrator proving both factors resets MFA: never the unproven OS operator (the CLI names --admin).
      if (actor && 'cli' in actor) {
        await deny(wardenError('FORBIDDEN', { action: 'reset MFA' }), [
          event(auditActor(actor), 'auth.mfa.reset', 'DENIED', { reasonCode: 'FORBIDDEN', subject: String(name) }),
        ]);
      }
      await authorise(actor, 'auth.mfa.reset', 'reset MFA', String(name));
      await refuseSelf(actor, name, 'auth.mfa.reset', 'reset their own MFA');
      const target = await userByName(pool, name);
      if (!target) throw wardenError('NOT_FOUND');
      // Appended first: if the audit log cannot be written, nothing is reset.
      const allowed = event(auditActor(actor), 'auth.mfa.reset', 'ALLOWED', { subject: name, detail: { principalId: target.id } });
      await record([allowed]);
      const now = clock.now();
      try {
        await tx(async (c) => {
          // After any TOTP verification in flight (a login about to open a session) commits, so its session is revoked below.
          await serialiseAttempts(c, 'totp', target.id);
          await c.query(
            `UPDATE warden.principals SET totp_secret = NULL, totp_pending_secret = NULL, totp_enrolled_at = NULL, totp_last_step = NULL
              WHERE id = $1`,
            [target.id],
          );
          await c.query('UPDATE warden.sessions SET revoked_at = $2 WHERE principal_id = $1 AND revoked_at IS NULL', [target.id, now]);
          await c.query(`DELETE FROM warden.lockouts WHERE subject = $1 AND factor = 'totp'`, [target.id]);
          await clearFailures(c, 'totp', target.id);
        });
      } catch (e) {
        await record([event(auditActor(actor), 'auth.mfa.reset', 'FAILED', { subject: name })]).catch(() => {});
        throw e;
      }
    },

    async changePassword(session, oldPw, newPw) {
      const now = clock.now();
      const problems = passwordProblems(newPw, { name: session?.name ?? '' });
      if (newPw === oldPw) problems.push('the new password must differ from the old one');
      if (problems.length) throw wardenError('PASSWORD_REJECTED', { reason: problems.join('; ') });
      const newHash = await hashPassword(newPw);
      const subject = nameSubject(session?.name ?? '');
      const actor = principalActor(session);
      return serial(`password:${subject}`, async () => {
        const out = await tx(async (c) => {
          const hash = await activeSession(c, session, now);
          await serialiseAttempts(c, 'password', subject);
          const locked = await lockedUntil(c, 'password', subject, now);
          if (locked) return { kind: 'locked' as const, until: locked };
          const row = await userById(c, session.id);
          if (!(await verifyPassword(typeof oldPw === 'string' ? oldPw : '', row.password_hash ?? undefined))) {
            return { kind: 'wrong' as const, until: await recordFailure(c, 'password', subject, now) };
          }
          await clearFailures(c, 'password', subject);
          await c.query('UPDATE warden.principals SET password_hash = $2 WHERE id = $1', [row.id, newHash]);
          // Every other session of the user ends: whoever knew the old password is out.
          await c.query('UPDATE warden.sessions SET revoked_at = $3 WHERE principal_id = $1 AND token_hash <> $2 AND revoked_at IS NULL', [
            row.id,
            hash,
            now,
          ]);
          return { kind: 'ok' as const, oldHash: row.password_hash };
        });
        const detail = { factor: 'password' };
        if (out.kind === 'locked') {
          return deny(wardenError('ACCOUNT_LOCKED', { minutes: minutesUntil(out.until, now) }), [
            event(actor, 'user.password', 'DENIED', { reasonCode: 'ACCOUNT_LOCKED', detail }),
          ]);
        }
        if (out.kind === 'wrong') {
          const denied = event(actor, 'user.password', 'DENIED', { reasonCode: 'INVALID_CREDENTIALS', detail });
          if (!out.until) return deny(wardenError('INVALID_CREDENTIALS'), [denied]);
          return deny(
            wardenError('ACCOUNT_LOCKED', { minutes: minutesUntil(out.until, now) }),
            [denied, event(actor, 'auth.lockout', 'DENIED', { reasonCode: 'ACCOUNT_LOCKED', subject: session.name, detail })],
            [lockoutAlert('password', out.until, now, { principalId: session.id, subject: session.name })],
          );
        }
        await recordOrUndo([event(actor, 'user.password', 'ALLOWED', { subject: session.name })], () =>
          pool.query('UPDATE warden.principals SET password_hash = $2 WHERE id = $1 AND password_hash = $3', [
            session.id,
            out.oldHash,
            newHash,
          ]),
        );
      });
    },

    async login(input) {
      const now = clock.now();
      const name = typeof input?.name === 'string' ? input.name.toLowerCase() : '';
      // Longer than any acceptable password: verified as the empty one (still the full scrypt work).
      const password = typeof input?.password === 'string' && input.password.length <= 1024 ? input.password : '';
      const code = typeof input?.code === 'string' && input.code !== '' ? input.code : undefined;
      const sourceIp = input?.sourceIp;
      const subject = nameSubject(name);
      return serial(`password:${subject}`, async () => {
        const out = await tx(async (c) => {
          await serialiseAttempts(c, 'password', subject);
          const locked = await lockedUntil(c, 'password', subject, now);
          if (locked) return { kind: 'locked' as const, until: locked };
          const row = name.length <= 63 ? await userByName(c, name) : undefined;
          // Unknown names verify against the dummy hash: the same work, the same answer.
          const passwordOk = await verifyPassword(password, row?.password_hash ?? undefined);
          if (!row || !passwordOk) return { kind: 'password' as const, row, until: await recordFailure(c, 'password', subject, now) };
          if (!row.totp_secret) {
            await clearFailures(c, 'password', subject);
            return { kind: 'ok' as const, row, session: await openSession(c, row, ['pwd'], undefined, now) };
          }
          // Until both factors pass, a right password is a failed attempt like a wrong one: the count and
          // the answer (INVALID_CREDENTIALS, ACCOUNT_LOCKED at the fifth) never tell them apart.
          if (code === undefined) return { kind: 'no-code' as const, row, until: await recordFailure(c, 'password', subject, now) };
          const totp = await checkTotp(c, row.id, 'totp_secret', code, now);
          if (!totp.ok) {
            // A TOTP lock (new or in force) has locked the password subject too (checkTotp).
            if (totp.until) return { kind: 'totp' as const, row, totp };
            const until = await recordFailure(c, 'password', subject, now);
            return until ? { kind: 'no-code' as const, row, until, totp } : { kind: 'totp' as const, row, totp };
          }
          await clearFailures(c, 'password', subject);
          return { kind: 'ok' as const, row, session: await openSession(c, row, [...MFA_AMR], now, now) };
        });

        const unknown: EventActor = { actorName: '(unknown)', roles: [], auth: ['pwd'] };
        const nameHash = subject.slice(0, 16);
        /** INVALID_CREDENTIALS, or ACCOUNT_LOCKED (audited and alerted) when this failure locked the name. */
        const passwordDenial = (
          actor: EventActor,
          detail: Record<string, unknown>,
          until: Date | undefined,
          who: { principalId?: string; subject?: string },
          alerts: Alert[] = [],
        ): Promise<never> => {
          const denied = event(actor, 'auth.login', 'DENIED', { reasonCode: 'INVALID_CREDENTIALS', detail, sourceIp });
          if (!until) return deny(wardenError('INVALID_CREDENTIALS'), [denied], alerts);
          const lockDetail = { ...detail, factor: 'password' };
          return deny(
            wardenError('ACCOUNT_LOCKED', { minutes: minutesUntil(until, now) }),
            [
              denied,
              event(actor, 'auth.lockout', 'DENIED', {
                reasonCode: 'ACCOUNT_LOCKED',
                subject: who.principalId ? who.subject : undefined,
                detail: lockDetail,
                sourceIp,
              }),
            ],
            [...alerts, lockoutAlert('password', until, now, who)],
          );
        };
        switch (out.kind) {
          case 'ok': {
            const s = out.session;
            await recordOrUndo(
              [event(userActor(out.row, s.principal.amr, s.principal.sessionId), 'auth.login', 'ALLOWED', { sourceIp })],
              () => revokeSession(s.hash, now),
            );
            return {
              token: s.token,
              principal: s.principal,
              idleExpiresAt: s.idleExpiresAt,
              absoluteExpiresAt: s.absoluteExpiresAt,
              mfaEnrolled: out.row.totp_secret !== null,
            };
          }
          case 'locked':
            return deny(wardenError('ACCOUNT_LOCKED', { minutes: minutesUntil(out.until, now) }), [
              event(unknown, 'auth.login', 'DENIED', { reasonCode: 'ACCOUNT_LOCKED', detail: { factor: 'password', nameHash }, sourceIp }),
            ]);
          case 'password': {
            const actor = out.row ? userActor(out.row, ['pwd']) : unknown;
            const detail = out.row ? { factor: 'password' } : { factor: 'password', nameHash };
            return passwordDenial(
              actor,
              detail,
              out.until,
              out.row ? { principalId: out.row.id, subject: out.row.name } : { subject: nameHash },
            );
          }
          case 'no-code': {
            // The right password with a missing or wrong code: answered exactly like a wrong password.
            const detail = out.totp ? { factor: 'totp', code: out.totp.reason } : { factor: 'totp', code: 'missing' };
            const alerts: Alert[] = [];
            if (out.totp?.reason === 'replay') {
              alerts.push({
                kind: 'totp.replay',
                severity: 'warning',
                principalId: out.row.id,
                subject: out.row.name,
                detail: { action: 'auth.login' },
                ts: now,
              });
            }
            return passwordDenial(
              userActor(out.row, ['pwd']),
              detail,
              out.until,
              { principalId: out.row.id, subject: out.row.name },
              alerts,
            );
          }
          case 'totp':
            return totpDenial(out.totp as TotpFailure, {
              action: 'auth.login',
              actor: userActor(out.row, ['pwd']),
              principalId: out.row.id,
              invalidCode: 'INVALID_CREDENTIALS',
              sourceIp,
              now,
            });
        }
      });
    },

    async enrolTotp(session) {
      const now = clock.now();
      const secret = generateTotpSecret();
      const out = await tx(async (c) => {
        await activeSession(c, session, now);
        const row = await userById(c, session.id);
        if (row.totp_secret) return { row, sealed: undefined };
        const sealed = sealSecret(secretKey, secret, row.id);
        await c.query('UPDATE warden.principals SET totp_pending_secret = $2 WHERE id = $1', [row.id, sealed]);
        return { row, sealed };
      });
      const actor = principalActor(session);
      if (!out.sealed) {
        return deny(wardenError('MFA_ALREADY_ENROLLED'), [
          event(actor, 'auth.mfa.enrol', 'DENIED', { reasonCode: 'MFA_ALREADY_ENROLLED' }),
        ]);
      }
      await recordOrUndo([event(actor, 'auth.mfa.enrol', 'ALLOWED')], () =>
        pool.query('UPDATE warden.principals SET totp_pending_secret = NULL WHERE id = $1 AND totp_pending_secret = $2', [
          session.id,
          out.sealed,
        ]),
      );
      const uri = totpUri({ account: out.row.name, secret });
      return { secret, uri, qrSvg: await totpQrSvg(uri) };
    },

    async confirmTotp(session, code) {
      const now = clock.now();
      const actor = principalActor(session);
      return serial(`totp:${session?.id}`, async () => {
        const out = await tx(async (c) => {
          const hash = await activeSession(c, session, now);
          const row = await userById(c, session.id);
          if (row.totp_secret) return { kind: 'enrolled' as const };
          const totp = await checkTotp(c, row.id, 'totp_pending_secret', code, now);
          if (!totp.ok) return { kind: 'totp' as const, totp };
          await c.query(
            `UPDATE warden.principals SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_enrolled_at = $2
              WHERE id = $1`,
            [row.id, now],
          );
          await markMfa(c, hash, now);
          // Every other session of the user ends: one opened with the password alone must not outlive enrolment.
          await c.query('UPDATE warden.sessions SET revoked_at = $3 WHERE principal_id = $1 AND token_hash <> $2 AND revoked_at IS NULL', [
            row.id,
            hash,
            now,
          ]);
          return { kind: 'ok' as const, hash };
        });
        if (out.kind === 'enrolled') {
          return deny(wardenError('MFA_ALREADY_ENROLLED'), [
            event(actor, 'auth.mfa.confirm', 'DENIED', { reasonCode: 'MFA_ALREADY_ENROLLED' }),
          ]);
        }
        if (out.kind === 'totp') {
          return totpDenial(out.totp as TotpFailure, {
            action: 'auth.mfa.confirm',
            actor,
            principalId: session.id,
            invalidCode: 'TOTP_INVALID',
            now,
          });
        }
        const amr = [...MFA_AMR];
        await recordOrUndo([event({ ...actor, auth: amr }, 'auth.mfa.confirm', 'ALLOWED')], async () => {
          await pool.query(
            `UPDATE warden.principals SET totp_pending_secret = totp_secret, totp_secret = NULL, totp_enrolled_at = NULL WHERE id = $1`,
            [session.id],
          );
          await revokeSession(out.hash, now);
        });
        return sessionPrincipal(session, amr, now);
      });
    },

    async verifyMfa(session, code, sourceIp) {
      const now = clock.now();
      const actor = principalActor(session);
      return serial(`totp:${session?.id}`, async () => {
        const out = await tx(async (c) => {
          const hash = await activeSession(c, session, now);
          const totp = await checkTotp(c, session.id, 'totp_secret', code, now);
          if (!totp.ok) return { kind: 'totp' as const, totp };
          await markMfa(c, hash, now);
          return { kind: 'ok' as const, hash };
        });
        if (out.kind === 'totp') {
          return totpDenial(out.totp as TotpFailure, {
            action: 'auth.mfa.verify',
            actor,
            principalId: session.id,
            invalidCode: 'TOTP_INVALID',
            sourceIp,
            now,
          });
        }
        const amr = [...MFA_AMR];
        // Without its audit event the step-up does not count: the session ends.
        await recordOrUndo([event({ ...actor, auth: amr }, 'auth.mfa.verify', 'ALLOWED', { sourceIp })], () =>
          revokeSession(out.hash, now),
        );
        return sessionPrincipal(session, amr, now);
      });
    },

    async authenticateSession(token, sourceIp) {
      const check = await store.checkSession(token, sourceIp);
      return check && 'principal' in check ? check.principal : undefined;
    },

    async checkSession(token, _sourceIp) {
      const hash = sessionTokenHash(token);
      if (!hash) return undefined;
      const now = clock.now();
      const { rows } = await pool.query<{
        principal_id: string;
        amr: string[];
        mfa_at: Date | null;
        last_seen_at: Date;
        idle_timeout_seconds: number;
        absolute_expires_at: Date;
        revoked_at: Date | null;
        name: string;
        roles: string[];
        disabled: boolean;
        kind: string;
        enrolled: boolean;
      }>(
        `SELECT s.principal_id, s.amr, s.mfa_at, s.last_seen_at, s.idle_timeout_seconds, s.absolute_expires_at, s.revoked_at,
                p.name, p.roles, p.disabled, p.kind, p.totp_secret IS NOT NULL AS enrolled
           FROM warden.sessions s JOIN warden.principals p ON p.id = s.principal_id
          WHERE s.token_hash = $1`,
        [hash],
      );
      const r = rows[0];
      if (!r) return undefined;
      // The shorter of the timeout the session began with and the one of the roles held now.
      const idleMs = Math.min(r.idle_timeout_seconds * 1000, idleMsFor(r.roles));
      const t = now.getTime();
      if (
        r.revoked_at ||
        r.disabled ||
        r.kind !== 'user' ||
        t >= r.absolute_expires_at.getTime() ||
        t >= r.last_seen_at.getTime() + idleMs
      ) {
        return { expired: true };
      }
      await pool.query('UPDATE warden.sessions SET last_seen_at = $2 WHERE token_hash = $1 AND last_seen_at < $2', [hash, now]);
      const principal: Principal = {
        id: r.principal_id,
        name: r.name,
        kind: 'user',
        roles: r.roles,
        amr: r.amr,
        sessionId: hash.toString('hex'),
      };
      if (r.mfa_at) principal.mfaAt = r.mfa_at;
      return { principal, idleExpiresAt: new Date(t + idleMs), absoluteExpiresAt: r.absolute_expires_at, mfaEnrolled: r.enrolled };
    },

    async logout(session) {
      if (session?.kind !== 'user' || typeof session.sessionId !== 'string' || !SESSION_ID.test(session.sessionId)) {
        throw wardenError('UNAUTHENTICATED');
      }
      const now = clock.now();
      const res = await pool.query(
        'UPDATE warden.sessions SET revoked_at = $3 WHERE token_hash = $1 AND principal_id = $2 AND revoked_at IS NULL',
        [Buffer.from(session.sessionId, 'hex'), session.id, now],
      );
      // Revoked before it is recorded: ending a session is never held back by the audit log.
      await record([event(principalActor(session), 'auth.logout', 'ALLOWED', { detail: { revoked: res.rowCount ?? 0 } })]);
    },

    async list() {
      const now = clock.now();
      const [users, locks] = await Promise.all([
        pool.query<{ id: string; name: string; roles: string[]; disabled: boolean; created_at: Date; enrolled: boolean }>(
          `SELECT id, name, roles, disabled, created_at, totp_secret IS NOT NULL AS enrolled
             FROM warden.principals WHERE kind = 'user' ORDER BY name`,
        ),
        pool.query<{ subject: string; until: Date }>('SELECT subject, until FROM warden.lockouts WHERE until > $1', [now]),
      ]);
      const lockOf = new Map(locks.rows.map((l) => [l.subject, l.until]));
      return users.rows.map((u) => {
        const until = [lockOf.get(nameSubject(u.name)), lockOf.get(u.id)]
          .filter((d) => d !== undefined)
          .sort((a, b) => b.getTime() - a.getTime())[0];
        const summary: UserSummary = {
          id: u.id,
          name: u.name,
          roles: u.roles,
          disabled: u.disabled,
          createdAt: u.created_at,
          mfaEnrolled: u.enrolled,
        };
        if (until) summary.lockedUntil = until;
        return summary;
      });
    },
  };
  return store;
}
