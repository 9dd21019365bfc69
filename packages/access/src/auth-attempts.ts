/**
 * Attempt limits in PostgreSQL: five failed verifications of one factor for
 * one subject within 15 minutes lock that subject and factor for 30 minutes.
 * Every function runs inside the caller's verifying transaction, after
 * `serialiseAttempts` took the transaction-level advisory lock of the subject
 * and factor — so concurrent verifications (aliases, batches, other gateway
 * processes) check, verify and count one after another and never get a sixth
 * guess. Times are the caller's clock, never the database's now().
 */
import type pg from 'pg';

export type Factor = 'password' | 'totp';

export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60_000;
export const LOCK_MS = 30 * 60_000;

/** Waits until no other transaction verifies this subject and factor; held until commit or rollback. */
export async function serialiseAttempts(c: pg.PoolClient, factor: Factor, subject: string): Promise<void> {
  await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`warden-auth:${factor}:${subject}`]);
}

/** The end of a lock in force at `now`, if any. */
export async function lockedUntil(c: pg.PoolClient, factor: Factor, subject: string, now: Date): Promise<Date | undefined> {
  const { rows } = await c.query<{ until: Date }>('SELECT until FROM warden.lockouts WHERE subject = $1 AND factor = $2 AND until > $3', [
    subject,
    factor,
    now,
  ]);
  return rows[0]?.until;
}

/** Counts a failure; when it is the fifth within the window, locks and returns the lock's end. */
export async function recordFailure(c: pg.PoolClient, factor: Factor, subject: string, now: Date): Promise<Date | undefined> {
  const windowStart = new Date(now.getTime() - FAILURE_WINDOW_MS);
  // Failures older than the window never count again.
  await c.query('DELETE FROM warden.auth_failures WHERE subject = $1 AND factor = $2 AND at <= $3', [subject, factor, windowStart]);
  await c.query('INSERT INTO warden.auth_failures (subject, factor, at) VALUES ($1, $2, $3)', [subject, factor, now]);
  const { rows } = await c.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM warden.auth_failures WHERE subject = $1 AND factor = $2 AND at > $3 AND at <= $4',
    [subject, factor, windowStart, now],
  );
  if ((rows[0]?.n ?? 0) < MAX_FAILURES) return undefined;
  const until = new Date(now.getTime() + LOCK_MS);
  await c.query(
    `INSERT INTO warden.lockouts (subject, factor, locked_at, until) VALUES ($1, $2, $3, $4)
     ON CONFLICT (subject, factor) DO UPDATE SET locked_at = EXCLUDED.locked_at, until = EXCLUDED.until`,
    [subject, factor, now, until],
  );
  // The lock starts a fresh count: after it ends the subject has five attempts again.
  await c.query('DELETE FROM warden.auth_failures WHERE subject = $1 AND factor = $2', [subject, factor]);
  return until;
}

/**
 * Locks `subject` and `factor` until `until` (or keeps a longer lock in force) and starts a fresh
 * count. When a person's TOTP factor locks, their password locks with it: login then refuses
 * before any verification, and its answer never tells whether the password was right.
 */
export async function lockSubject(c: pg.PoolClient, factor: Factor, subject: string, now: Date, until: Date): Promise<void> {
  await c.query(
    `INSERT INTO warden.lockouts (subject, factor, locked_at, until) VALUES ($1, $2, $3, $4)
     ON CONFLICT (subject, factor) DO UPDATE SET locked_at = EXCLUDED.locked_at,
       until = CASE WHEN lockouts.until > EXCLUDED.until THEN lockouts.until ELSE EXCLUDED.until END`,
    [subject, factor, now, until],
  );
  await c.query('DELETE FROM warden.auth_failures WHERE subject = $1 AND factor = $2', [subject, factor]);
}

/** A successful verification clears the count. */
export async function clearFailures(c: pg.PoolClient, factor: Factor, subject: string): Promise<void> {
  await c.query('DELETE FROM warden.auth_failures WHERE subject = $1 AND factor = $2', [subject, factor]);
}

/** Minutes (rounded up) until a lock ends, for ACCOUNT_LOCKED. */
export function minutesUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
}
