/**
 * Access requests → approvals → grants, break-glass and its review tasks in
 * the control plane (warden.access_requests, approvals, grants, review_tasks).
 * The decisions are the pure ones of approvals.ts; this file loads, writes and
 * audits. Every state change runs in one transaction that appends its audit
 * event(s) before COMMIT: a failed append rolls the change back and its error
 * propagates (fail closed). Refusals are audited as DENIED. All times come
 * from the injected clock and reach SQL as parameters.
 */
import { randomUUID } from 'node:crypto';
import type { AlertSink } from '@warden/alerts';
import type { AuditEvent, AuditSink } from '@warden/audit';
import {
  type Clock,
  type Grant,
  inTransaction,
  type Label,
  type Principal,
  systemClock,
  type WardenError,
  wardenError,
} from '@warden/core';
import type pg from 'pg';
import { resolvePatterns } from './access-patterns.js';
import { principalActor } from './audit-actor.js';
import {
  type AccessMode,
  type BreakGlassInput,
  cancelRefusal,
  checkRequest,
  decideApproval,
  decideBreakGlass,
  denyRefusal,
  effectiveState,
  type Refusal,
  type RequestInput,
  type RequestState,
  type RequestView,
  revokeRefusal,
  reviewCloseRefusal,
} from './approvals.js';
import type { CompiledPolicies, GrantLevel } from './policy-types.js';

export interface Approval {
  approverId: string;
  approverName: string;
  at: Date;
  /** The approver's MFA proof: when it was verified, and in which session. */
  mfaAt: Date;
  sessionId: string;
  bulk: boolean;
  note?: string;
}

export interface AccessRequest {
  id: string;
  requesterId: string;
  requesterName: string;
  patterns: string[];
  /** The highest level the patterns matched when the request was made. */
  level: GrantLevel;
  purpose: string;
  mode: AccessMode;
  rowCap: number;
  durationHours: number;
  /** Bulk (many records in clear at once) was asked for. */
  bulk: boolean;
  /** A pending request nobody decided within its level's longest grant reads EXPIRED. */
  state: RequestState;
  /** Distinct approvers needed in all. */
  approvalsNeeded: number;
  approvals: Approval[];
  createdAt: Date;
  decidedAt?: Date;
  /** Why it was denied. */
  reason?: string;
  /** The grant it became, once approved. */
  grantId?: string;
}

/** A grant as stored: the Grant of @warden/core and a little more for listings. */
export interface GrantRecord extends Grant {
  principalName: string;
  level: GrantLevel;
  createdAt: Date;
  revokedAt?: Date;
  revokedBy?: string;
  revokeReason?: string;
  /** Break-glass: the holder's reason. */
  reason?: string;
  rowCap: number;
}

export interface ReviewTask {
  id: string;
  grantId: string;
  kind: 'breakglass';
  state: 'OPEN' | 'CLOSED';
  /** Who broke the glass, and why. */
  holderId: string;
  holderName: string;
  reason: string;
  openedAt: Date;
  closedById?: string;
  closedBy?: string;
  closedAt?: Date;
  note?: string;
}

export interface AccessStore {
  request(requester: Principal, input: RequestInput): Promise<AccessRequest>;
  /** Records one approval; the last one needed creates the grant in the same transaction. */
  approve(approver: Principal, requestId: string, input?: { bulk?: boolean; note?: string }): Promise<AccessRequest>;
  deny(approver: Principal, requestId: string, reason: string): Promise<AccessRequest>;
  cancel(requester: Principal, requestId: string): Promise<AccessRequest>;
  revoke(officer: Principal, grantId: string, reason: string): Promise<GrantRecord>;
  /** A self-grant: raises a critical alert and opens a review task before it returns. */
  breakGlass(principal: Principal, input: BreakGlassInput): Promise<GrantRecord>;
  closeReview(officer: Principal, taskId: string, note: string): Promise<ReviewTask>;
  myRequests(p: Principal): Promise<AccessRequest[]>;
  /** Pending requests this officer may approve now (not their own, not approved by them yet). */
  pendingFor(officer: Principal): Promise<AccessRequest[]>;
  grants(filter: { principalId?: string; live?: boolean }): Promise<GrantRecord[]>;
  openReviews(): Promise<ReviewTask[]>;
  /** Live (unrevoked, unexpired) grants of a principal, for the read path. */
  liveGrants(principalId: string, now: Date): Promise<GrantRecord[]>;
  /** Any grant by id of this principal (expired/revoked too), for explicit use. */
  grantOf(principalId: string, grantId: string): Promise<GrantRecord | undefined>;
  /** Counts one use and `rows` rows served in clear under the grant; atomic, refused past the row cap. */
  recordUse(grantId: string, rows: number): Promise<GrantRecord>;
}

export interface AccessStoreOptions {
  clock?: Clock;
  audit: AuditSink;
  alerts: AlertSink;
  labels: { get(urn: string): Label | undefined; all(): Iterable<Label> };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface RequestRow {
  id: string;
  requester_id: string;
  requester_name: string;
  patterns: string[];
  level: GrantLevel;
  purpose: string;
  mode: AccessMode;
  row_cap: number;
  duration_hours: number;
  bulk_requested: boolean;
  state: RequestState;
  created_at: Date;
  decided_at: Date | null;
  reason: string | null;
  grant_id: string | null;
  approvals: {
    approver_id: string;
    approver_name: string;
    at: string;
    mfa_at: string;
    session_id: string;
    bulk_approved: boolean;
    note: string | null;
    /** The approver as the principal is now. */
    approver_roles: string[];
    approver_disabled: boolean;
  }[];
}

const REQUEST_SELECT = `
  SELECT r.id, r.requester_id, p.name AS requester_name, r.patterns, r.level, r.purpose, r.mode, r.row_cap, r.duration_hours,
         r.bulk_requested, r.state, r.created_at, r.decided_at, r.reason, g.id AS grant_id,
         COALESCE((SELECT json_agg(json_build_object('approver_id', a.approver_id, 'approver_name', ap.name, 'at', a.at, 'mfa_at', a.mfa_at,
                                                     'session_id', a.session_id, 'bulk_approved', a.bulk_approved, 'note', a.note,
                                                     'approver_roles', ap.roles, 'approver_disabled', ap.disabled) ORDER BY a.at)
                     FROM warden.approvals a JOIN warden.principals ap ON ap.id = a.approver_id WHERE a.request_id = r.id), '[]') AS approvals
    FROM warden.access_requests r
    JOIN warden.principals p ON p.id = r.requester_id
    LEFT JOIN warden.grants g ON g.request_id = r.id`;

interface GrantRow {
  id: string;
  principal_id: string;
  principal_name: string;
  request_id: string | null;
  patterns: string[];
  level: GrantLevel;
  mode: AccessMode;
  bulk: boolean;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  row_cap: number;
  rows_used: number;
  uses: number;
  break_glass: boolean;
  reason: string | null;
  created_at: Date;
}

const GRANT_COLUMNS = `g.id, g.principal_id, gp.name AS principal_name, g.request_id, g.patterns, g.level, g.mode, g.bulk, g.expires_at,
  g.revoked_at, g.revoked_by, g.revoke_reason, g.row_cap, g.rows_used, g.uses, g.break_glass, g.reason, g.created_at`;
const GRANT_SELECT = `SELECT ${GRANT_COLUMNS} FROM warden.grants g JOIN warden.principals gp ON gp.id = g.principal_id`;

interface ReviewRow {
  id: string;
  grant_id: string;
  kind: 'breakglass';
  state: 'OPEN' | 'CLOSED';
  holder_id: string;
  holder_name: string;
  reason: string;
  opened_at: Date;
  closed_by: string | null;
  closed_by_name: string | null;
  closed_at: Date | null;
  note: string | null;
}

const REVIEW_SELECT = `
  SELECT t.id, t.grant_id, t.kind, t.state, g.principal_id AS holder_id, hp.name AS holder_name, g.reason, t.opened_at,
         t.closed_by, cp.name AS closed_by_name, t.closed_at, t.note
    FROM warden.review_tasks t
    JOIN warden.grants g ON g.id = t.grant_id
    JOIN warden.principals hp ON hp.id = g.principal_id
    LEFT JOIN warden.principals cp ON cp.id = t.closed_by`;

function toGrant(r: GrantRow): GrantRecord {
  return {
    id: r.id,
    principalId: r.principal_id,
    principalName: r.principal_name,
    requestId: r.request_id ?? undefined,
    patterns: r.patterns,
    level: r.level,
    mode: r.mode,
    bulk: r.bulk,
    expiresAt: r.expires_at,
    revoked: r.revoked_at !== null,
    revokedAt: r.revoked_at ?? undefined,
    revokedBy: r.revoked_by ?? undefined,
    revokeReason: r.revoke_reason ?? undefined,
    rowCap: r.row_cap,
    rowsUsed: r.rows_used,
    uses: r.uses,
    breakGlass: r.break_glass,
    reason: r.reason ?? undefined,
    createdAt: r.created_at,
  };
}

function toReview(r: ReviewRow): ReviewTask {
  return {
    id: r.id,
    grantId: r.grant_id,
    kind: r.kind,
    state: r.state,
    holderId: r.holder_id,
    holderName: r.holder_name,
    reason: r.reason,
    openedAt: r.opened_at,
    closedById: r.closed_by ?? undefined,
    closedBy: r.closed_by_name ?? undefined,
    closedAt: r.closed_at ?? undefined,
    note: r.note ?? undefined,
  };
}

function view(r: RequestRow): RequestView {
  return {
    requesterId: r.requester_id,
    level: r.level,
    state: r.state,
    mode: r.mode,
    rowCap: r.row_cap,
    durationHours: r.duration_hours,
    bulkRequested: r.bulk_requested,
    createdAt: r.created_at,
    approvals: r.approvals.map((a) => ({
      approverId: a.approver_id,
      bulkApproved: a.bulk_approved,
      approverRoles: a.approver_roles,
      approverEnabled: !a.approver_disabled,
    })),
  };
}

/** At most n holders at a time; the others wait in order. */
function semaphore(n: number): { acquire(): Promise<void>; release(): void } {
  let free = n;
  const waiting: (() => void)[] = [];
  return {
    async acquire() {
      if (free > 0) free -= 1;
      else await new Promise<void>((resolve) => waiting.push(resolve));
    },
    release() {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    },
  };
}

/** A refusal thrown by this store (audited as DENIED), as opposed to a failure underneath it. */
class Refused extends Error {
  constructor(
    readonly error: WardenError,
    /** What the DENIED audit event says about the refused action: subject, grant, level, detail. */
    readonly about: Partial<AuditEvent> = {},
  ) {
    super(error.message);
  }
}

export function createAccessStore(pool: pg.Pool, policies: CompiledPolicies, opts: AccessStoreOptions): AccessStore {
  const clock = opts.clock ?? systemClock;
  const { audit, alerts, labels } = opts;
  // A change holds a pooled connection while its audit event is appended, and the audit sink may need
  // one of the same pool: never let changes take every connection (they would wait on each other).
  const slots = semaphore(Math.max(1, Math.min(4, (pool.options.max ?? 10) - 1)));

  const toRequest = (r: RequestRow, now: Date): AccessRequest => ({
    id: r.id,
    requesterId: r.requester_id,
    requesterName: r.requester_name,
    patterns: r.patterns,
    level: r.level,
    purpose: r.purpose,
    mode: r.mode,
    rowCap: r.row_cap,
    durationHours: r.duration_hours,
    bulk: r.bulk_requested,
    state: effectiveState(policies, view(r), now),
    approvalsNeeded: policies.approvals.levels[r.level].approvals,
    approvals: r.approvals.map((a) => ({
      approverId: a.approver_id,
      approverName: a.approver_name,
      at: new Date(a.at),
      mfaAt: new Date(a.mfa_at),
      sessionId: a.session_id,
      bulk: a.bulk_approved,
      note: a.note ?? undefined,
    })),
    createdAt: r.created_at,
    decidedAt: r.decided_at ?? undefined,
    reason: r.reason ?? undefined,
    grantId: r.grant_id ?? undefined,
  });

  const event = (actor: Principal, action: string, ts: Date, e: Partial<AuditEvent> = {}): AuditEvent => ({
    eventId: randomUUID(),
    ts,
    ...principalActor(actor),
    action,
    fields: [],
    counts: {},
    rows: 0,
    outcome: 'ALLOWED',
    ...e,
  });

  const refuse = (r: Refusal, about?: Partial<AuditEvent>): never => {
    throw new Refused(wardenError(r.code, r.params), about);
  };

  /**
   * Runs one state change: BEGIN, the change (which returns its result and
   * audit events), the events appended in order, COMMIT. A refusal rolls back
   * and is audited as DENIED; any other failure, the audit append's included,
   * rolls back and propagates as it is.
   */
  async function change<T>(
    actor: Principal,
    action: string,
    fn: (c: pg.PoolClient, now: Date) => Promise<{ result: T; events: AuditEvent[]; after?: () => Promise<void> }>,
  ): Promise<T> {
    let refused: Refused;
    let now!: Date;
    await slots.acquire();
    try {
      now = clock.now();
      return await inTransaction(pool, async (c: pg.PoolClient) => {
        const { result, events, after } = await fn(c, now);
        for (const e of events) await audit.append(e);
        await after?.();
        return result;
      });
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      refused = e;
    } finally {
      slots.release();
    }
    await audit.append(
      event(actor, action, now, {
        outcome: 'DENIED',
        reasonCode: refused.error.code,
        ...refused.about,
        detail: {
          ...refused.about.detail,
          ...(refused.error.code === 'INVALID_ARGUMENT' ? { argument: refused.error.params.argument } : {}),
        },
      }),
    );
    throw refused.error;
  }

  async function loadRequest(q: pg.PoolClient | pg.Pool, id: string): Promise<RequestRow | undefined> {
    const { rows } = await q.query<RequestRow>(`${REQUEST_SELECT} WHERE r.id = $1`, [id]);
    return rows[0];
  }

  /** Locks the request for this transaction and loads it, or refuses REQUEST_NOT_FOUND. */
  async function lockRequest(c: pg.PoolClient, id: string): Promise<RequestRow> {
    if (typeof id !== 'string' || !UUID.test(id)) return refuse({ code: 'REQUEST_NOT_FOUND', params: { id: String(id) } });
    await c.query('SELECT 1 FROM warden.access_requests WHERE id = $1 FOR UPDATE', [id]);
    const row = await loadRequest(c, id);
    return row ?? refuse({ code: 'REQUEST_NOT_FOUND', params: { id } }, { subject: id });
  }

  async function loadGrant(q: pg.PoolClient | pg.Pool, id: string): Promise<GrantRecord | undefined> {
    const { rows } = await q.query<GrantRow>(`${GRANT_SELECT} WHERE g.id = $1`, [id]);
    return rows[0] && toGrant(rows[0]);
  }

  /** The request as it is now in this transaction (it exists: the caller locked or inserted it). */
  async function reload(c: pg.PoolClient, id: string, now: Date): Promise<AccessRequest> {
    return toRequest((await loadRequest(c, id)) as RequestRow, now);
  }

  /**
   * Ends a pending request — denied by an approver or cancelled by its
   * requester: lock it, ask approvals.ts, set the end state, audit.
   */
  function end(
    actor: Principal,
    action: 'access.deny' | 'access.cancel',
    requestId: string,
    refusalOf: (row: RequestRow, now: Date) => Refusal | undefined,
    to: { state: 'DENIED' | 'CANCELLED'; reason: string | null },
  ): Promise<AccessRequest> {
    return change(actor, action, async (c, now) => {
      const row = await lockRequest(c, requestId);
      const refusal = refusalOf(row, now);
      if (refusal) return refuse(refusal, { subject: requestId, highestLevel: row.level, detail: { level: row.level } });
      await c.query(
        'UPDATE warden.access_requests SET state = $4, decided_at = $2, decided_by = $3, reason = COALESCE($5, reason) WHERE id = $1',
        [requestId, now, actor.id, to.state, to.reason],
      );
      const e = event(actor, action, now, {
        subject: requestId,
        purpose: row.purpose,
        highestLevel: row.level,
        detail: { level: row.level, approvals: row.approvals.length },
      });
      return { result: await reload(c, requestId, now), events: [e] };
    });
  }

  const requestDetail = (r: Pick<AccessRequest, 'level' | 'patterns' | 'mode' | 'rowCap' | 'durationHours' | 'bulk'>) => ({
    level: r.level,
    patterns: r.patterns,
    mode: r.mode,
    rowCap: r.rowCap,
    durationHours: r.durationHours,
    bulk: r.bulk,
  });

  return {
    async request(requester, input) {
      return change(requester, 'access.request', async (c, now) => {
        const patterns = resolvePatterns(input?.patterns ?? [], labels.all());
        const checked = checkRequest(policies, requester, input, patterns);
        if (!checked.ok) return refuse(checked);
        const id = randomUUID();
        await c.query(
          `INSERT INTO warden.access_requests (id, requester_id, patterns, level, purpose, mode, row_cap, duration_hours, bulk_requested, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            id,
            requester.id,
            input.patterns,
            checked.level,
            input.purpose.trim(),
            input.mode,
            input.rowCap,
            input.durationHours,
            input.bulk === true,
            now,
          ],
        );
        const result = await reload(c, id, now);
        const e = event(requester, 'access.request', now, {
          subject: id,
          purpose: result.purpose,
          highestLevel: result.level,
          detail: { ...requestDetail(result), approvalsNeeded: result.approvalsNeeded },
        });
        return { result, events: [e] };
      });
    },

    async approve(approver, requestId, input = {}) {
      return change(approver, 'access.approve', async (c, now) => {
        let row = await lockRequest(c, requestId);
        // Earlier approvers are re-checked at completion: hold their principals
        // (roles, disabled) unchanged until this commits, then read them as they are.
        if (row.approvals.length) {
          await c.query(
            'SELECT 1 FROM warden.principals WHERE id IN (SELECT approver_id FROM warden.approvals WHERE request_id = $1) FOR SHARE',
            [requestId],
          );
          row = (await loadRequest(c, requestId)) as RequestRow;
        }
        const outcome = decideApproval(policies, view(row), approver, input, now);
        const about = { subject: requestId, highestLevel: row.level, detail: { level: row.level, approvals: row.approvals.length } };
        if (outcome.outcome === 'refused') return refuse(outcome, about);
        await c.query(
          `INSERT INTO warden.approvals (request_id, approver_id, mfa_at, session_id, bulk_approved, note, at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [requestId, approver.id, approver.mfaAt, approver.sessionId, outcome.bulkApproved, input.note ?? null, now],
        );
        const common = { subject: requestId, purpose: row.purpose, highestLevel: row.level } as const;
        const events = [
          event(approver, 'access.approve', now, {
            ...common,
            detail: {
              level: row.level,
              approvals: outcome.approvals,
              needed: outcome.needed,
              bulk: outcome.bulkApproved,
              mfaAt: approver.mfaAt,
            },
          }),
        ];
        if (outcome.outcome === 'complete') {
          const grantId = randomUUID();
          const g = outcome.grant;
          await c.query(`UPDATE warden.access_requests SET state = 'APPROVED', decided_at = $2 WHERE id = $1`, [requestId, now]);
          await c.query(
            `INSERT INTO warden.grants (id, principal_id, request_id, patterns, level, mode, bulk, expires_at, row_cap, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
            [grantId, row.requester_id, requestId, row.patterns, row.level, g.mode, g.bulk, g.expiresAt, g.rowCap, now],
          );
          events.push(
            event(approver, 'access.grant', now, {
              ...common,
              grantId,
              detail: {
                level: row.level,
                approvals: outcome.approvals,
                holder: row.requester_id,
                patterns: row.patterns,
                mode: g.mode,
                bulk: g.bulk,
                rowCap: g.rowCap,
                expiresAt: g.expiresAt.toISOString(),
              },
            }),
          );
        }
        return { result: await reload(c, requestId, now), events };
      });
    },

    async deny(approver, requestId, reason) {
      return end(approver, 'access.deny', requestId, (row, now) => denyRefusal(policies, view(row), approver, reason, now), {
        state: 'DENIED',
        reason: typeof reason === 'string' ? reason.trim() : null,
      });
    },

    async cancel(requester, requestId) {
      return end(requester, 'access.cancel', requestId, (row, now) => cancelRefusal(policies, view(row), requester, now), {
        state: 'CANCELLED',
        reason: null,
      });
    },

    async revoke(officer, grantId, reason) {
      return change(officer, 'access.revoke', async (c, now) => {
        const valid = typeof grantId === 'string' && UUID.test(grantId);
        if (valid) await c.query('SELECT 1 FROM warden.grants WHERE id = $1 FOR UPDATE', [grantId]);
        const grant = valid ? await loadGrant(c, grantId) : undefined;
        const refusal = revokeRefusal(policies, officer, grant, String(grantId), reason, now);
        if (refusal || !grant)
          return refuse(
            refusal as Refusal,
            grant ? { subject: grantId, grantId, highestLevel: grant.level, detail: { level: grant.level } } : {},
          );
        const revoked: GrantRecord = { ...grant, revoked: true, revokedAt: now, revokedBy: officer.id, revokeReason: reason.trim() };
        await c.query('UPDATE warden.grants SET revoked_at = $2, revoked_by = $3, revoke_reason = $4 WHERE id = $1', [
          grantId,
          now,
          officer.id,
          revoked.revokeReason,
        ]);
        const e = event(officer, 'access.revoke', now, {
          subject: grantId,
          grantId,
          highestLevel: grant.level,
          detail: {
            level: grant.level,
            holder: grant.principalId,
            breakGlass: grant.breakGlass,
            uses: grant.uses,
            rowsUsed: grant.rowsUsed,
          },
        });
        return { result: revoked, events: [e] };
      });
    },

    async breakGlass(principal, input) {
      return change(principal, 'access.breakglass', async (c, now) => {
        const patterns = resolvePatterns(input?.patterns ?? [], labels.all());
        const decided = decideBreakGlass(policies, principal, input, patterns, now);
        if (!decided.ok) return refuse(decided);
        const { terms, level } = decided;
        const grantId = randomUUID();
        const taskId = randomUUID();
        const reason = input.reason.trim();
        await c.query(
          `INSERT INTO warden.grants (id, principal_id, patterns, level, mode, bulk, expires_at, row_cap, break_glass, reason, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true, $9, $10)`,
          [grantId, principal.id, input.patterns, level, terms.mode, terms.bulk, terms.expiresAt, terms.rowCap, reason, now],
        );
        await c.query(`INSERT INTO warden.review_tasks (id, grant_id, kind, opened_at) VALUES ($1, $2, 'breakglass', $3)`, [
          taskId,
          grantId,
          now,
        ]);
        const detail = {
          level,
          patterns: input.patterns,
          mode: terms.mode,
          minutes: input.minutes,
          bulk: terms.bulk,
          rowCap: terms.rowCap,
          expiresAt: terms.expiresAt.toISOString(),
          reviewTaskId: taskId,
        };
        const e = event(principal, 'access.breakglass', now, { subject: grantId, grantId, purpose: reason, highestLevel: level, detail });
        // The alert is part of the change: no break-glass grant without its critical alert.
        const after = () =>
          alerts.raise({ kind: 'access.breakglass', severity: 'critical', principalId: principal.id, subject: grantId, detail, ts: now });
        return { result: (await loadGrant(c, grantId)) as GrantRecord, events: [e], after };
      });
    },

    async closeReview(officer, taskId, note) {
      return change(officer, 'access.review.close', async (c, now) => {
        const valid = typeof taskId === 'string' && UUID.test(taskId);
        if (valid) await c.query('SELECT 1 FROM warden.review_tasks WHERE id = $1 FOR UPDATE', [taskId]);
        const row = valid ? (await c.query<ReviewRow>(`${REVIEW_SELECT} WHERE t.id = $1`, [taskId])).rows[0] : undefined;
        const refusal = reviewCloseRefusal(
          policies,
          officer,
          row && { holderId: row.holder_id, state: row.state },
          String(taskId),
          note,
          now,
        );
        if (refusal || !row) return refuse(refusal as Refusal, row ? { subject: taskId, grantId: row.grant_id } : {});
        const closed: ReviewRow = {
          ...row,
          state: 'CLOSED',
          closed_by: officer.id,
          closed_by_name: officer.name,
          closed_at: now,
          note: note.trim(),
        };
        await c.query(`UPDATE warden.review_tasks SET state = 'CLOSED', closed_by = $2, closed_at = $3, note = $4 WHERE id = $1`, [
          taskId,
          officer.id,
          now,
          closed.note,
        ]);
        const e = event(officer, 'access.review.close', now, {
          subject: taskId,
          grantId: row.grant_id,
          detail: { kind: row.kind, holder: row.holder_id, openedAt: row.opened_at.toISOString() },
        });
        return { result: toReview(closed), events: [e] };
      });
    },

    async myRequests(p) {
      const now = clock.now();
      const { rows } = await pool.query<RequestRow>(`${REQUEST_SELECT} WHERE r.requester_id = $1 ORDER BY r.created_at DESC, r.id`, [p.id]);
      return rows.map((r) => toRequest(r, now));
    },

    async pendingFor(officer) {
      if (!policies.abilityFor(officer.roles).can('approve', 'Access')) throw wardenError('FORBIDDEN', { action: 'approve Access' });
      const now = clock.now();
      const { rows } = await pool.query<RequestRow>(
        `${REQUEST_SELECT} WHERE r.state = 'PENDING' AND r.requester_id <> $1 ORDER BY r.created_at, r.id`,
        [officer.id],
      );
      return rows
        .filter(
          (r) =>
            officer.roles.some((role) => policies.approvals.levels[r.level].approverRoles.includes(role)) &&
            !r.approvals.some((a) => a.approver_id === officer.id),
        )
        .map((r) => toRequest(r, now))
        .filter((r) => r.state === 'PENDING');
    },

    async grants({ principalId, live }) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (principalId !== undefined) {
        if (!UUID.test(principalId)) return [];
        params.push(principalId);
        where.push(`g.principal_id = $${params.length}`);
      }
      if (live !== undefined) {
        params.push(clock.now());
        const isLive = `(g.revoked_at IS NULL AND g.expires_at > $${params.length})`;
        where.push(live ? isLive : `NOT ${isLive}`);
      }
      const { rows } = await pool.query<GrantRow>(
        `${GRANT_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY g.created_at DESC, g.id`,
        params,
      );
      return rows.map(toGrant);
    },

    async openReviews() {
      const { rows } = await pool.query<ReviewRow>(`${REVIEW_SELECT} WHERE t.state = 'OPEN' ORDER BY t.opened_at, t.id`);
      return rows.map(toReview);
    },

    async liveGrants(principalId, now) {
      if (!UUID.test(principalId)) return [];
      const { rows } = await pool.query<GrantRow>(
        `${GRANT_SELECT} WHERE g.principal_id = $1 AND g.revoked_at IS NULL AND g.expires_at > $2 ORDER BY g.id`,
        [principalId, now],
      );
      return rows.map(toGrant);
    },

    async grantOf(principalId, grantId) {
      if (!UUID.test(principalId) || !UUID.test(grantId)) return undefined;
      const grant = await loadGrant(pool, grantId);
      return grant?.principalId === principalId ? grant : undefined;
    },

    async recordUse(grantId, rows) {
      if (!Number.isInteger(rows) || rows < 0)
        throw wardenError('INVALID_ARGUMENT', { argument: 'rows', reason: 'must be a whole number of at least 0' });
      if (!UUID.test(grantId)) throw wardenError('GRANT_NOT_FOUND', { id: grantId });
      const now = clock.now();
      // One statement: concurrent uses serialise on the row, and none passes the cap.
      const res = await pool.query<GrantRow>(
        `WITH used AS (
           UPDATE warden.grants g SET uses = g.uses + 1, rows_used = g.rows_used + $2
            WHERE g.id = $1 AND g.revoked_at IS NULL AND g.expires_at > $3 AND g.rows_used + $2 <= g.row_cap
           RETURNING g.*)
         SELECT ${GRANT_COLUMNS} FROM used g JOIN warden.principals gp ON gp.id = g.principal_id`,
        [grantId, rows, now],
      );
      if (res.rows[0]) return toGrant(res.rows[0]);
      const grant = await loadGrant(pool, grantId);
      if (!grant) throw wardenError('GRANT_NOT_FOUND', { id: grantId });
      if (grant.revoked) throw wardenError('GRANT_REVOKED');
      if (grant.expiresAt.getTime() <= now.getTime()) throw wardenError('GRANT_EXPIRED', { expiresAt: grant.expiresAt.toISOString() });
      throw wardenError('GRANT_EXHAUSTED', { cap: `row cap of ${grant.rowCap} rows` });
    },
  };
}
