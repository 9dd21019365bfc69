/**
 * Access requests → approvals → grants, break-glass and its review on real
 * PostgreSQL, with a fake clock. Every allow has its deny twin; refusals and
 * invalid input change nothing; a failed audit append rolls the change back.
 */
import { type AccessStore, type CompiledPolicies, createAccessStore, createPrincipalStore } from '@warden/access';
import { createPgAlertSink } from '@warden/alerts';
import type { AuditEvent, AuditSink } from '@warden/audit';
import { createLabelStore, type LabelStore, syncCatalog } from '@warden/catalog';
import { fixedClock, isWardenError, type Principal } from '@warden/core';
import { loadWardenPolicies } from '@warden/policies';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabases, type TestDatabases } from '../support/databases.js';
import { outcomeCode } from '../support/outcome.js';

const T0 = '2026-11-02T02:00:00.000Z';
const MIN = 60_000;
const HOUR = 60 * MIN;
const L3 = 'urn:warden:enterprise:public.enterprises.contact_email';
const L4 = 'urn:warden:enterprise:public.enterprises.legal_rep_*';
const L5 = 'urn:warden:enterprise:public.district_indicators.*';
const PURPOSE = 'Due diligence for loan case 2026-117';
const REASON = 'Fraud hotline case 4711: verify the legal representative now';

let dbs: TestDatabases;
let policies: CompiledPolicies;
let labels: LabelStore;
const clock = fixedClock(T0);
const audit = recordingSink();
let store: AccessStore;
const p = {} as Record<'analyst' | 'analyst2' | 'dual' | 'officer1' | 'officer2' | 'officer3' | 'auditor' | 'steward', Principal>;

/** An audit sink that keeps events in memory and can be switched to reject every append. */
function recordingSink(): AuditSink & { events: AuditEvent[]; down: boolean } {
  const sink = {
    events: [] as AuditEvent[],
    down: false,
    async append(e: AuditEvent) {
      if (sink.down) throw new Error('audit store unavailable');
      sink.events.push(e);
    },
    async close() {},
  };
  return sink;
}

beforeAll(async () => {
  dbs = await createTestDatabases();
  policies = await loadWardenPolicies();
  await syncCatalog(dbs.control, dbs.stores, policies.labels);
  labels = await createLabelStore(dbs.control);
  const principals = createPrincipalStore(dbs.control, policies);
  const roles: Record<keyof typeof p, string[]> = {
    analyst: ['analyst'],
    analyst2: ['analyst'],
    dual: ['analyst', 'officer'],
    officer1: ['officer'],
    officer2: ['officer'],
    officer3: ['officer'],
    auditor: ['auditor'],
    steward: ['steward'],
  };
  for (const [name, r] of Object.entries(roles))
    p[name as keyof typeof p] = (await principals.create({ name: `${name}-1`, roles: r, kind: 'user' })).principal;
  store = createAccessStore(dbs.control, policies, { clock, audit, alerts: createPgAlertSink(dbs.control), labels });
});
afterEach(() => {
  clock.set(T0);
  audit.down = false;
});
afterAll(async () => {
  await labels?.close();
  await dbs?.drop();
});

/** The principal in a human session whose MFA was proven `mfaAgoMin` minutes ago. */
function session(who: Principal, mfaAgoMin = 1): Principal {
  return {
    ...who,
    amr: ['pwd', 'otp'],
    mfaAt: new Date(clock.now().getTime() - mfaAgoMin * MIN),
    sessionId: `sess-${who.name}-${clock.now().getTime()}`,
  };
}

const code = outcomeCode;

async function counts(): Promise<Record<string, number>> {
  const { rows } = await dbs.control.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM warden.access_requests)::int AS requests, (SELECT count(*) FROM warden.approvals)::int AS approvals,
            (SELECT count(*) FROM warden.grants)::int AS grants, (SELECT count(*) FROM warden.review_tasks)::int AS reviews,
            (SELECT count(*) FROM warden.alerts)::int AS alerts`,
  );
  return rows[0] as Record<string, number>;
}

const ask = (patterns: string[], over: { mode?: 'read' | 'export'; rowCap?: number; durationHours?: number; bulk?: boolean } = {}) => ({
  patterns,
  purpose: PURPOSE,
  mode: over.mode ?? ('read' as const),
  rowCap: over.rowCap ?? 50,
  durationHours: over.durationHours ?? 24,
  bulk: over.bulk,
});

const actions = (since: number) =>
  audit.events.slice(since).map((e) => `${e.action} ${e.outcome}${e.reasonCode ? ` ${e.reasonCode}` : ''}`);

describe('L3: one officer', () => {
  it('an analyst asks, an officer with 4-minute-old MFA approves, and the grant is live with the approval’s proof recorded', async () => {
    const since = audit.events.length;
    const req = await store.request(session(p.analyst), ask([L3]));
    expect(req).toMatchObject({ level: 'L3', state: 'PENDING', approvalsNeeded: 1, approvals: [], requesterName: 'analyst-1' });
    const officer = session(p.officer1, 4);
    const done = await store.approve(officer, req.id, { note: 'case file checked' });
    expect(done.state).toBe('APPROVED');
    expect(done.approvals).toEqual([
      {
        approverId: p.officer1.id,
        approverName: 'officer1-1',
        at: clock.now(),
        mfaAt: officer.mfaAt,
        sessionId: officer.sessionId,
        bulk: false,
        note: 'case file checked',
      },
    ]);
    const live = await store.liveGrants(p.analyst.id, clock.now());
    const grant = live.find((g) => g.id === done.grantId);
    expect(grant).toMatchObject({
      principalId: p.analyst.id,
      requestId: req.id,
      patterns: [L3],
      mode: 'read',
      bulk: true,
      revoked: false,
      rowCap: 50,
      rowsUsed: 0,
      uses: 0,
      breakGlass: false,
      expiresAt: new Date(clock.now().getTime() + 24 * HOUR),
    });
    const { rows } = await dbs.control.query('SELECT mfa_at, session_id FROM warden.approvals WHERE request_id = $1', [req.id]);
    expect(rows).toEqual([{ mfa_at: officer.mfaAt, session_id: officer.sessionId }]);
    expect(actions(since)).toEqual(['access.request ALLOWED', 'access.approve ALLOWED', 'access.grant ALLOWED']);
    const grantEvent = audit.events.at(-1) as AuditEvent;
    expect(grantEvent).toMatchObject({
      subject: req.id,
      grantId: done.grantId,
      purpose: PURPOSE,
      highestLevel: 'L3',
      actorId: p.officer1.id,
    });
    expect(grantEvent.detail).toMatchObject({ level: 'L3', approvals: 1 });
  });

  it('refuses an officer whose MFA is 6 minutes old, records nothing, and the request stays pending', async () => {
    const req = await store.request(session(p.analyst), ask([L3]));
    const before = await counts();
    const since = audit.events.length;
    const err = await store.approve(session(p.officer1, 6), req.id).catch((e: unknown) => e);
    expect(isWardenError(err) && [err.code, err.params]).toEqual(['MFA_REQUIRED', { minutes: 5 }]);
    expect(await counts()).toEqual(before);
    expect((await store.myRequests(p.analyst)).find((r) => r.id === req.id)?.state).toBe('PENDING');
    expect(actions(since)).toEqual(['access.approve DENIED MFA_REQUIRED']);
    expect(await code(store.approve({ ...session(p.officer1), mfaAt: undefined }, req.id))).toBe('MFA_REQUIRED');
  });
});

describe('L4: one officer, single record unless bulk is approved explicitly', () => {
  it('a request without bulk becomes a single-record grant', async () => {
    const req = await store.request(session(p.analyst), ask([L4]));
    expect(req.level).toBe('L4');
    const done = await store.approve(session(p.officer1), req.id);
    expect((await store.grantOf(p.analyst.id, done.grantId as string))?.bulk).toBe(false);
  });

  it('a bulk request approved without bulk stays single-record', async () => {
    const req = await store.request(session(p.analyst), ask([L4], { bulk: true }));
    const done = await store.approve(session(p.officer1), req.id);
    expect((await store.grantOf(p.analyst.id, done.grantId as string))?.bulk).toBe(false);
  });

  it('a bulk request whose approval explicitly approves bulk becomes a bulk grant', async () => {
    const req = await store.request(session(p.analyst), ask([L4], { bulk: true, mode: 'export' }));
    const done = await store.approve(session(p.officer1), req.id, { bulk: true });
    expect(await store.grantOf(p.analyst.id, done.grantId as string)).toMatchObject({ bulk: true, mode: 'export' });
  });

  it('refuses approving bulk that was not requested, and the request stays pending', async () => {
    const req = await store.request(session(p.analyst), ask([L4]));
    expect(await code(store.approve(session(p.officer1), req.id, { bulk: true }))).toBe('INVALID_ARGUMENT');
    expect((await store.myRequests(p.analyst)).find((r) => r.id === req.id)).toMatchObject({ state: 'PENDING', approvals: [] });
  });
});

describe('L5: two distinct officers', () => {
  it('the first approval is recorded, the same officer cannot approve twice, a second officer completes it', async () => {
    const req = await store.request(session(p.analyst), ask([L5], { rowCap: 20 }));
    expect(req).toMatchObject({ level: 'L5', approvalsNeeded: 2 });
    const first = await store.approve(session(p.officer1), req.id);
    expect(first).toMatchObject({ state: 'PENDING', grantId: undefined });
    expect(first.approvals).toHaveLength(1);
    expect(await store.grants({ principalId: p.analyst.id })).not.toContainEqual(expect.objectContaining({ requestId: req.id }));
    expect(await code(store.approve(session(p.officer1), req.id))).toBe('ALREADY_APPROVED');
    expect((await store.pendingFor(session(p.officer1))).map((r) => r.id)).not.toContain(req.id);
    expect((await store.pendingFor(session(p.officer2))).map((r) => r.id)).toContain(req.id);
    const done = await store.approve(session(p.officer2), req.id);
    expect(done.state).toBe('APPROVED');
    expect(new Set(done.approvals.map((a) => a.approverId))).toEqual(new Set([p.officer1.id, p.officer2.id]));
    expect(await store.grantOf(p.analyst.id, done.grantId as string)).toMatchObject({ rowCap: 20, bulk: false });
    expect(audit.events.at(-1)?.detail).toMatchObject({ level: 'L5', approvals: 2 });
  });

  it('at completion an earlier approver who was disabled or lost the officer role since does not count: the request stays pending', async () => {
    const principals = createPrincipalStore(dbs.control, policies);
    const officer = async (name: string) => (await principals.create({ name, roles: ['officer'], kind: 'user' })).principal;
    const [gone, demoted] = [await officer('officer-gone-1'), await officer('officer-demoted-1')];
    const cases = [
      [gone, 'UPDATE warden.principals SET disabled = true WHERE id = $1'],
      [demoted, "UPDATE warden.principals SET roles = '{analyst}' WHERE id = $1"],
    ] as const;
    for (const [first, lapse] of cases) {
      const req = await store.request(session(p.analyst), ask([L5]));
      await store.approve(session(first), req.id);
      await dbs.control.query(lapse, [first.id]);
      const second = await store.approve(session(p.officer2), req.id);
      expect(second).toMatchObject({ state: 'PENDING', grantId: undefined });
      expect(second.approvals).toHaveLength(2);
      expect(audit.events.at(-1)).toMatchObject({ action: 'access.approve', outcome: 'ALLOWED', detail: { approvals: 1, needed: 2 } });
      const { rows } = await dbs.control.query('SELECT count(*)::int AS n FROM warden.grants WHERE request_id = $1', [req.id]);
      expect(rows[0].n).toBe(0);
      // Another officer still in office completes it.
      const done = await store.approve(session(p.officer3), req.id);
      expect(done.state).toBe('APPROVED');
      expect(audit.events.at(-1)).toMatchObject({ action: 'access.grant', detail: { approvals: 2 } });
    }
  });

  it('two officers approving at the same time still create exactly one grant', async () => {
    const req = await store.request(session(p.analyst), ask([L5]));
    await Promise.all([store.approve(session(p.officer2), req.id), store.approve(session(p.officer3), req.id)]);
    const { rows } = await dbs.control.query('SELECT count(*)::int AS n FROM warden.grants WHERE request_id = $1', [req.id]);
    expect(rows[0].n).toBe(1);
    expect((await store.myRequests(p.analyst)).find((r) => r.id === req.id)?.state).toBe('APPROVED');
  });
});

describe('who may request and approve', () => {
  it('refuses self-approval by a requester who is also an officer; another officer approves', async () => {
    const req = await store.request(session(p.dual), ask([L3]));
    expect(await code(store.approve(session(p.dual), req.id))).toBe('SELF_APPROVAL');
    expect((await store.pendingFor(session(p.dual))).map((r) => r.id)).not.toContain(req.id);
    expect((await store.approve(session(p.officer1), req.id)).state).toBe('APPROVED');
  });

  it('refuses approval by an analyst, an auditor and a steward (FORBIDDEN); an officer may', async () => {
    const req = await store.request(session(p.analyst), ask([L3]));
    for (const who of [p.analyst2, p.auditor, p.steward]) expect(await code(store.approve(session(who), req.id))).toBe('FORBIDDEN');
    expect(await code(store.pendingFor(session(p.analyst2)))).toBe('FORBIDDEN');
    expect(await code(store.approve(session(p.officer1), req.id))).toBe('ok');
  });

  it('refuses a request from a role without `request Access` (an officer, a steward); an analyst may', async () => {
    const before = await counts();
    expect(await code(store.request(session(p.officer1), ask([L3])))).toBe('FORBIDDEN');
    expect(await code(store.request(session(p.steward), ask([L3])))).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
    expect(await code(store.request(session(p.analyst2), ask([L3])))).toBe('ok');
  });

  it('refuses approving an unknown request', async () => {
    expect(await code(store.approve(session(p.officer1), '00000000-0000-4000-8000-000000000000'))).toBe('REQUEST_NOT_FOUND');
    expect(await code(store.approve(session(p.officer1), 'not-a-uuid'))).toBe('REQUEST_NOT_FOUND');
  });
});

describe('deny and cancel', () => {
  it('an officer denies with a reason; then nobody can approve it', async () => {
    const req = await store.request(session(p.analyst), ask([L4]));
    const denied = await store.deny(session(p.officer1), req.id, 'purpose does not need ID numbers');
    expect(denied).toMatchObject({ state: 'DENIED', reason: 'purpose does not need ID numbers', decidedAt: clock.now() });
    expect(await code(store.approve(session(p.officer2), req.id))).toBe('REQUEST_NOT_PENDING');
    expect(audit.events.at(-1)).toMatchObject({ action: 'access.approve', outcome: 'DENIED', reasonCode: 'REQUEST_NOT_PENDING' });
  });

  it('refuses a denial by an analyst, by the requester, and without a reason', async () => {
    const req = await store.request(session(p.dual), ask([L4]));
    expect(await code(store.deny(session(p.analyst2), req.id, 'no, just no'))).toBe('FORBIDDEN');
    expect(await code(store.deny(session(p.dual), req.id, 'changed my mind'))).toBe('SELF_APPROVAL');
    expect(await code(store.deny(session(p.officer1), req.id, ''))).toBe('INVALID_ARGUMENT');
    expect((await store.myRequests(p.dual)).find((r) => r.id === req.id)?.state).toBe('PENDING');
  });

  it('the requester cancels a pending request; nobody else can, and not twice', async () => {
    const req = await store.request(session(p.analyst), ask([L3]));
    expect(await code(store.cancel(session(p.analyst2), req.id))).toBe('FORBIDDEN');
    expect((await store.cancel(session(p.analyst), req.id)).state).toBe('CANCELLED');
    expect(await code(store.cancel(session(p.analyst), req.id))).toBe('REQUEST_NOT_PENDING');
    expect(await code(store.approve(session(p.officer1), req.id))).toBe('REQUEST_NOT_PENDING');
    expect(audit.events.filter((e) => e.subject === req.id).map((e) => `${e.action} ${e.outcome}`)).toEqual([
      'access.request ALLOWED',
      'access.cancel DENIED',
      'access.cancel ALLOWED',
      'access.cancel DENIED',
      'access.approve DENIED',
    ]);
  });

  it('a request nobody decided within 14 days reads EXPIRED and cannot be approved; a day earlier it still can', async () => {
    const req = await store.request(session(p.analyst), ask([L3]));
    const twin = await store.request(session(p.analyst), ask([L3]));
    clock.advance(13 * 24 * HOUR);
    expect((await store.approve(session(p.officer1), twin.id)).state).toBe('APPROVED');
    clock.advance(24 * HOUR);
    expect((await store.myRequests(p.analyst)).find((r) => r.id === req.id)?.state).toBe('EXPIRED');
    expect((await store.pendingFor(session(p.officer1))).map((r) => r.id)).not.toContain(req.id);
    const err = await store.approve(session(p.officer1), req.id).catch((e: unknown) => e);
    expect(isWardenError(err) && [err.code, err.params]).toEqual(['REQUEST_NOT_PENDING', { state: 'EXPIRED' }]);
  });
});

describe('expiry and revocation', () => {
  async function approvedGrant(over: Parameters<typeof ask>[1] = {}) {
    const req = await store.request(session(p.analyst), ask([L3], over));
    const done = await store.approve(session(p.officer1), req.id);
    return done.grantId as string;
  }

  it('a grant is live until its expiry and not a millisecond after (fake clock)', async () => {
    const id = await approvedGrant({ durationHours: 2 });
    clock.advance(2 * HOUR - 1);
    expect((await store.liveGrants(p.analyst.id, clock.now())).map((g) => g.id)).toContain(id);
    expect((await store.grants({ principalId: p.analyst.id, live: true })).map((g) => g.id)).toContain(id);
    expect((await store.recordUse(id, 1)).rowsUsed).toBe(1);
    clock.advance(1);
    expect((await store.liveGrants(p.analyst.id, clock.now())).map((g) => g.id)).not.toContain(id);
    expect((await store.grants({ principalId: p.analyst.id, live: false })).map((g) => g.id)).toContain(id);
    expect((await store.grantOf(p.analyst.id, id))?.id).toBe(id);
    expect(await code(store.recordUse(id, 1))).toBe('GRANT_EXPIRED');
  });

  it('an officer revokes a grant: no longer live, uses refused; an analyst cannot, unknown and revoked grants are refused', async () => {
    const id = await approvedGrant();
    expect(await code(store.revoke(session(p.analyst), id, 'not needed any more'))).toBe('FORBIDDEN');
    expect(await code(store.revoke(session(p.officer1), '00000000-0000-4000-8000-000000000000', 'not needed any more'))).toBe(
      'GRANT_NOT_FOUND',
    );
    expect(await code(store.revoke(session(p.officer1), 'nope', 'not needed any more'))).toBe('GRANT_NOT_FOUND');
    expect((await store.liveGrants(p.analyst.id, clock.now())).map((g) => g.id)).toContain(id);
    const revoked = await store.revoke(session(p.officer2), id, 'case closed early');
    expect(revoked).toMatchObject({ revoked: true, revokedBy: p.officer2.id, revokeReason: 'case closed early', revokedAt: clock.now() });
    expect((await store.liveGrants(p.analyst.id, clock.now())).map((g) => g.id)).not.toContain(id);
    expect(await code(store.recordUse(id, 1))).toBe('GRANT_REVOKED');
    expect(await code(store.revoke(session(p.officer1), id, 'again, to be sure'))).toBe('GRANT_REVOKED');
    expect(audit.events.filter((e) => e.grantId === id).map((e) => `${e.action} ${e.outcome}`)).toEqual([
      'access.grant ALLOWED',
      'access.revoke DENIED',
      'access.revoke ALLOWED',
      'access.revoke DENIED',
    ]);
  });

  it('the row cap holds under 20 concurrent uses of one row each: exactly 5 of cap 5 succeed', async () => {
    const id = await approvedGrant({ rowCap: 5 });
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => store.recordUse(id, 1)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(ok).toHaveLength(5);
    expect(refused).toHaveLength(15);
    for (const e of refused) expect(isWardenError(e) && [e.code, e.params]).toEqual(['GRANT_EXHAUSTED', { cap: 'row cap of 5 rows' }]);
    expect(await store.grantOf(p.analyst.id, id)).toMatchObject({ rowsUsed: 5, uses: 5, rowCap: 5 });
  });

  it('a use that would pass the cap is refused whole; one that fits is counted', async () => {
    const id = await approvedGrant({ rowCap: 10 });
    expect(await code(store.recordUse(id, 11))).toBe('GRANT_EXHAUSTED');
    expect(await store.recordUse(id, 10)).toMatchObject({ rowsUsed: 10, uses: 1 });
    expect(await code(store.recordUse(id, 1))).toBe('GRANT_EXHAUSTED');
    expect(await code(store.recordUse(id, -1))).toBe('INVALID_ARGUMENT');
    expect(await code(store.recordUse('00000000-0000-4000-8000-000000000000', 1))).toBe('GRANT_NOT_FOUND');
  });

  it('grantOf finds only the principal’s own grants', async () => {
    const id = await approvedGrant();
    expect(await store.grantOf(p.analyst.id, id)).toBeDefined();
    expect(await store.grantOf(p.analyst2.id, id)).toBeUndefined();
  });
});

describe('break-glass', () => {
  it('an analyst with fresh MFA gets an hour at most, a critical alert at once, and an open review task', async () => {
    const analyst = session(p.analyst);
    const since = audit.events.length;
    const grant = await store.breakGlass(analyst, { patterns: [L4], reason: REASON, minutes: 60 });
    expect(grant).toMatchObject({
      principalId: p.analyst.id,
      requestId: undefined,
      breakGlass: true,
      bulk: false,
      mode: 'read',
      reason: REASON,
      expiresAt: new Date(clock.now().getTime() + 60 * MIN),
    });
    const { rows } = await dbs.control.query('SELECT ts, kind, severity, principal_id, subject FROM warden.alerts WHERE subject = $1', [
      grant.id,
    ]);
    expect(rows).toEqual([
      { ts: clock.now(), kind: 'access.breakglass', severity: 'critical', principal_id: p.analyst.id, subject: grant.id },
    ]);
    const task = (await store.openReviews()).find((t) => t.grantId === grant.id);
    expect(task).toMatchObject({ kind: 'breakglass', state: 'OPEN', holderId: p.analyst.id, reason: REASON, openedAt: clock.now() });
    expect(actions(since)).toEqual(['access.breakglass ALLOWED']);
    expect(audit.events.at(-1)).toMatchObject({ grantId: grant.id, purpose: REASON, highestLevel: 'L4' });
    expect((await store.liveGrants(p.analyst.id, clock.now())).map((g) => g.id)).toContain(grant.id);
  });

  it('refuses without a reason, beyond 60 minutes, with stale MFA, for L5, and for a steward — creating nothing', async () => {
    const before = await counts();
    const analyst = session(p.analyst);
    const bad = [
      [analyst, { patterns: [L4], reason: '', minutes: 30 }, 'INVALID_ARGUMENT'],
      [analyst, { patterns: [L4], reason: 'urgent', minutes: 30 }, 'INVALID_ARGUMENT'],
      [analyst, { patterns: [L4], reason: REASON, minutes: 61 }, 'INVALID_ARGUMENT'],
      [analyst, { patterns: [L5], reason: REASON, minutes: 30 }, 'INVALID_ARGUMENT'],
      [analyst, { patterns: ['urn:warden:enterprise:public.enterprises.name'], reason: REASON, minutes: 30 }, 'INVALID_ARGUMENT'],
      [session(p.analyst, 6), { patterns: [L4], reason: REASON, minutes: 30 }, 'MFA_REQUIRED'],
      [session(p.steward), { patterns: [L4], reason: REASON, minutes: 30 }, 'FORBIDDEN'],
    ] as const;
    for (const [who, input, expected] of bad)
      expect(await code(store.breakGlass(who, { ...input, patterns: [...input.patterns] }))).toBe(expected);
    expect(await counts()).toEqual(before);
  });

  it('an officer who is not the holder closes the review; the holder, an analyst and a second close are refused', async () => {
    const grant = await store.breakGlass(session(p.officer1), { patterns: [L3], reason: REASON, minutes: 15 });
    const task = (await store.openReviews()).find((t) => t.grantId === grant.id);
    if (!task) throw new Error('no review task');
    expect(await code(store.closeReview(session(p.officer1), task.id, 'I reviewed myself'))).toBe('SELF_APPROVAL');
    expect(await code(store.closeReview(session(p.analyst), task.id, 'looks fine to me'))).toBe('FORBIDDEN');
    expect(await code(store.closeReview(session(p.officer2), task.id, ''))).toBe('INVALID_ARGUMENT');
    clock.advance(30 * MIN);
    const closed = await store.closeReview(session(p.officer2), task.id, 'justified by case 4711');
    expect(closed).toMatchObject({ state: 'CLOSED', closedById: p.officer2.id, closedBy: 'officer2-1', closedAt: clock.now() });
    expect((await store.openReviews()).map((t) => t.id)).not.toContain(task.id);
    expect(await code(store.closeReview(session(p.officer3), task.id, 'closing it again'))).toBe('REVIEW_NOT_FOUND');
    expect(await code(store.closeReview(session(p.officer3), '00000000-0000-4000-8000-000000000000', 'no such task'))).toBe(
      'REVIEW_NOT_FOUND',
    );
    expect(audit.events.at(-3)).toMatchObject({ action: 'access.review.close', outcome: 'ALLOWED', subject: task.id, grantId: grant.id });
  });
});

describe('an officer acts with MFA at most 5 minutes old', () => {
  it('refuses deny, revoke and closing a review with stale or no MFA (MFA_REQUIRED, nothing changes); fresh MFA may', async () => {
    const req = await store.request(session(p.analyst), ask([L4]));
    const granted = await store.approve(session(p.officer1), (await store.request(session(p.analyst), ask([L3]))).id);
    const glass = await store.breakGlass(session(p.analyst), { patterns: [L4], reason: REASON, minutes: 15 });
    const task = (await store.openReviews()).find((t) => t.grantId === glass.id);
    if (!task) throw new Error('no review task');
    const before = await counts();
    const since = audit.events.length;
    const noMfa = { ...session(p.officer2), mfaAt: undefined };
    const noSession = { ...session(p.officer2), sessionId: undefined };
    for (const officer of [session(p.officer2, 6), noMfa, noSession]) {
      const errs = [
        await store.deny(officer, req.id, 'purpose does not need ID numbers').catch((e: unknown) => e),
        await store.revoke(officer, granted.grantId as string, 'case closed early').catch((e: unknown) => e),
        await store.closeReview(officer, task.id, 'justified by case 4711').catch((e: unknown) => e),
      ];
      for (const err of errs) expect(isWardenError(err) && [err.code, err.params]).toEqual(['MFA_REQUIRED', { minutes: 5 }]);
    }
    const refused = ['access.deny DENIED MFA_REQUIRED', 'access.revoke DENIED MFA_REQUIRED', 'access.review.close DENIED MFA_REQUIRED'];
    expect(actions(since)).toEqual([...refused, ...refused, ...refused]);
    expect(await counts()).toEqual(before);
    expect((await store.myRequests(p.analyst)).find((r) => r.id === req.id)?.state).toBe('PENDING');
    expect((await store.grantOf(p.analyst.id, granted.grantId as string))?.revoked).toBe(false);
    expect((await store.openReviews()).map((t) => t.id)).toContain(task.id);

    const fresh = session(p.officer2, 5);
    expect((await store.deny(fresh, req.id, 'purpose does not need ID numbers')).state).toBe('DENIED');
    expect((await store.revoke(fresh, granted.grantId as string, 'case closed early')).revoked).toBe(true);
    expect((await store.closeReview(fresh, task.id, 'justified by case 4711')).state).toBe('CLOSED');
  });
});

describe('invalid input changes nothing', () => {
  it('refuses bad patterns, core data, secrets, purpose, mode, row cap, duration and L5 bulk export, each naming its argument', async () => {
    const label = (urn: string) => {
      const l = labels.get(urn);
      if (!l) throw new Error(`no label for ${urn}`);
      return l;
    };
    await labels.append({
      ...label('urn:warden:enterprise:public.credit_records.penalty_note'),
      core: true,
      proposedBy: 'steward-a',
      reviewedBy: 'steward-b',
    });
    await labels.append({
      ...label('urn:warden:enterprise:public.credit_records.credit_score'),
      secret: true,
      proposedBy: 'steward-a',
      reviewedBy: 'steward-b',
    });
    const analyst = session(p.analyst);
    const cases: [ReturnType<typeof ask> & Record<string, unknown>, string][] = [
      [ask([]), 'patterns'],
      [ask(['urn:warden:crm:public.users.password']), 'patterns'],
      [ask(['SELECT * FROM enterprises']), 'patterns'],
      [ask(['urn:warden:enterprise:public.enterprises.name']), 'patterns'],
      [ask(['urn:warden:enterprise:public.credit_records.penalty_*']), 'patterns'],
      [ask(['urn:warden:enterprise:public.credit_records.*']), 'patterns'],
      [{ ...ask([L3]), purpose: 'because' }, 'purpose'],
      [{ ...ask([L3]), mode: 'write' as never }, 'mode'],
      [ask([L3], { rowCap: 0 }), 'rowCap'],
      [ask([L4], { rowCap: 1001 }), 'rowCap'],
      [ask([L3], { durationHours: 0 }), 'durationHours'],
      [ask([L3], { durationHours: 14 * 24 + 1 }), 'durationHours'],
      [ask([L5], { bulk: true, mode: 'export' }), 'bulk'],
    ];
    const before = await counts();
    for (const [input, argument] of cases) {
      const err = await store.request(analyst, input).catch((e: unknown) => e);
      expect(isWardenError(err) && [err.code, err.params.argument], JSON.stringify(input)).toEqual(['INVALID_ARGUMENT', argument]);
      expect(audit.events.at(-1)).toMatchObject({ action: 'access.request', outcome: 'DENIED', reasonCode: 'INVALID_ARGUMENT' });
    }
    const secretErr = await store.request(analyst, ask(['urn:warden:enterprise:public.credit_records.credit_*'])).catch((e: unknown) => e);
    expect(String((secretErr as Error).message)).toMatch(/a secret .* never granted/);
    expect(await counts()).toEqual(before);
    // The twin: the same request within the limits is accepted.
    expect(await code(store.request(analyst, ask([L3], { durationHours: 14 * 24, rowCap: 10_000 })))).toBe('ok');
  });
});

describe('the audit log is written before the change commits (fail closed)', () => {
  it('a failed audit append rolls back a request, an approval with its grant, a break-glass and a revocation', async () => {
    const req = await store.request(session(p.analyst), ask([L3]));
    const live = await store.approve(session(p.officer1), (await store.request(session(p.analyst), ask([L3]))).id);
    const before = await counts();
    audit.down = true;
    await expect(store.request(session(p.analyst), ask([L3]))).rejects.toThrow('audit store unavailable');
    await expect(store.approve(session(p.officer1), req.id)).rejects.toThrow('audit store unavailable');
    await expect(store.breakGlass(session(p.analyst), { patterns: [L4], reason: REASON, minutes: 10 })).rejects.toThrow(
      'audit store unavailable',
    );
    await expect(store.revoke(session(p.officer1), live.grantId as string, 'case closed')).rejects.toThrow('audit store unavailable');
    await expect(store.deny(session(p.officer1), req.id, 'not needed after all')).rejects.toThrow('audit store unavailable');
    await expect(store.cancel(session(p.analyst), req.id)).rejects.toThrow('audit store unavailable');
    expect(await counts()).toEqual(before);
    expect((await store.myRequests(p.analyst)).find((r) => r.id === req.id)).toMatchObject({ state: 'PENDING', approvals: [] });
    expect((await store.grantOf(p.analyst.id, live.grantId as string))?.revoked).toBe(false);
    // The twin: with the audit log back, the same approval goes through.
    audit.down = false;
    expect((await store.approve(session(p.officer1), req.id)).state).toBe('APPROVED');
  });

  it('many concurrent changes do not starve an audit sink that writes through the same pool', async () => {
    // Like the PostgreSQL sink: every append needs a connection of the control pool (5 here).
    const pooled: AuditSink = {
      async append(e) {
        await dbs.control.query('SELECT 1');
        audit.events.push(e);
      },
      async close() {},
    };
    const busy = createAccessStore(dbs.control, policies, { clock, audit: pooled, alerts: createPgAlertSink(dbs.control), labels });
    const done = await Promise.all(Array.from({ length: 12 }, () => busy.request(session(p.analyst2), ask([L3]))));
    expect(new Set(done.map((r) => r.id)).size).toBe(12);
  });

  it('a break-glass whose alert cannot be raised is rolled back', async () => {
    const failing = createAccessStore(dbs.control, policies, {
      clock,
      audit,
      labels,
      alerts: {
        raise: async () => {
          throw new Error('alert store unavailable');
        },
      },
    });
    const before = await counts();
    await expect(failing.breakGlass(session(p.analyst), { patterns: [L4], reason: REASON, minutes: 10 })).rejects.toThrow(
      'alert store unavailable',
    );
    expect(await counts()).toEqual(before);
  });
});

describe('the database backs the rules', () => {
  async function sqlCode(sql: string, params: unknown[]): Promise<string> {
    try {
      await dbs.control.query(sql, params);
      return 'ok';
    } catch (e) {
      return (e as { code?: string }).code ?? String(e);
    }
  }
  const t0 = new Date(T0);
  const at = (ms: number) => new Date(t0.getTime() + ms);

  it('refuses grants longer than 14 days or break-glass longer than an hour, and rows past the cap', async () => {
    const req = await store.request(session(p.analyst), ask([L3]));
    const insert = `INSERT INTO warden.grants (id, principal_id, request_id, patterns, level, mode, bulk, expires_at, row_cap, break_glass, reason, created_at)
                    VALUES (gen_random_uuid(), $1, $2, $3, 'L3', 'read', true, $4, 10, $5, $6, $7)`;
    expect(await sqlCode(insert, [p.analyst.id, req.id, [L3], at(14 * 24 * HOUR + 1), false, null, t0])).toBe('23514');
    expect(await sqlCode(insert, [p.analyst.id, null, [L3], at(HOUR + 1), true, REASON, t0])).toBe('23514');
    expect(await sqlCode(insert, [p.analyst.id, null, [L3], at(HOUR), true, REASON, t0])).toBe('ok');
    const grant = await store.approve(session(p.officer1), req.id);
    expect(await sqlCode('UPDATE warden.grants SET rows_used = row_cap + 1 WHERE id = $1', [grant.grantId])).toBe('23514');
  });

  it('refuses a self-approval and an approval whose MFA is older than 5 minutes, whatever the application does', async () => {
    const req = await store.request(session(p.dual), ask([L3]));
    const insert = `INSERT INTO warden.approvals (request_id, approver_id, mfa_at, session_id, at) VALUES ($1, $2, $3, 's', $4)`;
    expect(await sqlCode(insert, [req.id, p.dual.id, t0, t0])).toBe('23514');
    expect(await sqlCode(insert, [req.id, p.officer1.id, at(-5 * MIN - 1), t0])).toBe('23514');
    expect(await sqlCode(insert, [req.id, p.officer1.id, at(-5 * MIN), t0])).toBe('ok');
  });
});
