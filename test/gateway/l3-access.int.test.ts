/**
 * The whole L3+ path over GraphQL on the real PostgreSQL: an analyst asks for
 * L4 access, an officer approves with a fresh TOTP, the analyst (with MFA)
 * reads clear values, the grant expires and the values are masked again —
 * and the adversarial twins: batching and aliasing sensitive operations,
 * replays, self-approval, foreign, expired, revoked, out-of-scope and
 * exhausted grants, anonymous and not-yet-enrolled callers.
 */
import { fixedClock } from '@warden/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, as, createTestUser, login, nextCode, PASSWORD, pick, relogin, stepUp, type TestUser } from '../support/users.js';
import { createTestWarden, errorCode, type TestWarden } from '../support/warden.js';

const clock = fixedClock('2026-11-30T09:00:00Z');
let w: TestWarden;
let analyst: TestUser;
let officer: TestUser;
let officer2: TestUser;
let dual: TestUser;
let id: string;
let clearIdNumber: string;
let clearMobile: string;

const ID_NUMBER = 'urn:warden:enterprise:public.enterprises.legal_rep_id_number';
const READ_ID = 'query ($id: ID!) { enterprise(id: $id) { legalRepIdNumber } }';
const READ_BOTH = 'query ($id: ID!) { enterprise(id: $id) { legalRepIdNumber legalRepMobile } }';
const READ_PAGE = '{ enterprises(first: 5) { edges { node { legalRepIdNumber } } } }';
const REQUEST = `mutation ($input: AccessRequestInput!) {
  requestAccess(input: $input) { id state level approvalsNeeded grantId }
}`;
const APPROVE =
  'mutation ($id: ID!, $bulk: Boolean) { approveAccess(id: $id, bulk: $bulk) { state grantId approvals { approver mfaAt } } }';

function request(over: Record<string, unknown> = {}) {
  return {
    input: { patterns: [ID_NUMBER], purpose: 'verify a loan applicant identity', rowCap: 20, durationHours: 24, ...over },
  };
}

async function approvedGrant(user: TestUser, over: Record<string, unknown> = {}, bulk = false): Promise<string> {
  const req = await as(w, user.token, REQUEST, request(over));
  const reqId = pick<{ id: string }>(req, 'requestAccess').id;
  await stepUp(w, clock, officer);
  const ok = await as(w, officer.token, APPROVE, { id: reqId, bulk });
  const grantId = pick<{ grantId: string }>(ok, 'approveAccess').grantId;
  expect(grantId).toMatch(/^[0-9a-f-]{36}$/);
  return grantId;
}

function value(body: { data?: Record<string, unknown> | null }, field: string): unknown {
  return (body.data?.enterprise as Record<string, unknown> | null)?.[field];
}

beforeAll(async () => {
  w = await createTestWarden({ clock });
  analyst = await createTestUser(w, clock, 'ana', ['analyst']);
  officer = await createTestUser(w, clock, 'oscar', ['officer']);
  officer2 = await createTestUser(w, clock, 'olga', ['officer']);
  dual = await createTestUser(w, clock, 'dana', ['analyst', 'officer']);
  const { rows } = await w.dbs.stores.enterprise.query<{ id: string; legal_rep_id_number: string; legal_rep_mobile: string }>(
    'SELECT id::text, legal_rep_id_number, legal_rep_mobile FROM enterprises ORDER BY id LIMIT 1',
  );
  id = rows[0]?.id as string;
  clearIdNumber = rows[0]?.legal_rep_id_number as string;
  clearMobile = rows[0]?.legal_rep_mobile as string;
});

afterAll(async () => {
  await w?.close();
});

describe('the L3+ access path', () => {
  it('runs request → approval with TOTP → clear read with MFA → expiry → masked again, all in a verified chain', async () => {
    const before = await as(w, analyst.token, READ_ID, { id });
    expect(value(before.body, 'legalRepIdNumber')).not.toBe(clearIdNumber);
    expect(value(before.body, 'legalRepIdNumber')).toMatch(/\*/);

    const req = await as(w, analyst.token, REQUEST, request({ durationHours: 1 }));
    expect(req.body.data?.requestAccess).toMatchObject({ state: 'PENDING', level: 'L4', approvalsNeeded: 1, grantId: null });
    const reqId = pick<{ id: string }>(req, 'requestAccess').id;

    const pending = await as(w, officer.token, '{ pendingApprovals { id requester purpose } }');
    expect(pending.body.data?.pendingApprovals).toEqual(
      expect.arrayContaining([{ id: reqId, requester: 'ana', purpose: 'verify a loan applicant identity' }]),
    );

    // The officer's MFA is older than five minutes: refused until proven again.
    clock.advance(6 * 60_000);
    const stale = await as(w, officer.token, APPROVE, { id: reqId });
    expect(errorCode(stale.body)).toBe('MFA_REQUIRED');
    await stepUp(w, clock, officer);
    const approved = await as(w, officer.token, APPROVE, { id: reqId });
    expect(approved.body.data?.approveAccess).toMatchObject({ state: 'APPROVED', approvals: [{ approver: 'oscar' }] });
    const grantId = pick<{ grantId: string }>(approved, 'approveAccess').grantId;

    const during = await as(w, analyst.token, READ_ID, { id });
    expect(during.body.errors).toBeUndefined();
    expect(value(during.body, 'legalRepIdNumber')).toBe(clearIdNumber);
    const named = await as(w, analyst.token, READ_ID, { id }, { 'x-warden-grant': grantId });
    expect(value(named.body, 'legalRepIdNumber')).toBe(clearIdNumber);
    // Unmasking is never batched: two root fields under a grant are refused whole (and count no use).
    const twice = await as(w, analyst.token, 'query ($id: ID!) { a: enterprise(id: $id) { legalRepIdNumber } me { name } }', { id });
    expect(twice.status).toBe(400);
    expect(errorCode(twice.body)).toBe('SENSITIVE_NOT_BATCHED');

    const grants = await as(w, analyst.token, '{ grants { id uses rowsUsed bulk } }');
    expect(grants.body.data?.grants).toEqual([{ id: grantId, uses: 2, rowsUsed: 2, bulk: false }]);

    // An hour later the grant has expired (and so has every idle session: log in again).
    clock.advance(61 * 60_000);
    for (const u of [analyst, officer, officer2, dual]) await relogin(w, clock, u);
    const after = await as(w, analyst.token, READ_ID, { id });
    expect(value(after.body, 'legalRepIdNumber')).not.toBe(clearIdNumber);
    expect(value(after.body, 'legalRepIdNumber')).toMatch(/\*/);
    const expired = await as(w, analyst.token, READ_ID, { id }, { 'x-warden-grant': grantId });
    expect(expired.status).toBe(403);
    expect(errorCode(expired.body)).toBe('GRANT_EXPIRED');

    const { rows } = await w.dbs.control.query<{ action: string; outcome: string; grant_id: string | null }>(
      'SELECT action, outcome, grant_id::text FROM warden.audit_events ORDER BY seq',
    );
    const actions = rows.map((r) => r.action);
    for (const a of ['auth.login', 'auth.mfa.verify', 'access.request', 'access.approve', 'graphql.read']) expect(actions).toContain(a);
    expect(rows.filter((r) => r.action === 'graphql.read' && r.outcome === 'ALLOWED' && r.grant_id === grantId)).toHaveLength(2);
    expect(rows.some((r) => r.action === 'graphql.read' && r.outcome === 'DENIED' && r.grant_id === grantId)).toBe(true);

    const verification = await as(w, (await auditorToken()).token, '{ auditVerification { ok events firstBadSeq } }');
    expect(verification.body.data?.auditVerification).toMatchObject({ ok: true, firstBadSeq: null });
    // Every event up to the verification was checked, the auditor's own login included.
    const total = (await w.dbs.control.query<{ n: number }>('SELECT count(*)::int AS n FROM warden.audit_events')).rows[0]?.n ?? 0;
    const checked = pick<{ events: number }>(verification, 'auditVerification').events;
    expect(checked).toBeGreaterThan(rows.length);
    expect(checked).toBeLessThanOrEqual(total);
  });

  it('clears one record at a time under a non-bulk L4 grant, and pages only when bulk was approved', async () => {
    const single = await approvedGrant(analyst);
    const page = await as(w, analyst.token, READ_PAGE);
    expect(page.status).toBe(403);
    expect(errorCode(page.body)).toBe('GRANT_SINGLE_RECORD');
    expect(page.body.data).toBeUndefined();
    await as(w, officer.token, 'mutation ($id: ID!) { revokeGrant(id: $id, reason: "test over") { revoked } }', { id: single });

    await approvedGrant(analyst, { bulk: true }, true);
    const bulk = await as(w, analyst.token, READ_PAGE);
    expect(bulk.body.errors).toBeUndefined();
    const values = pick<{ edges: { node: { legalRepIdNumber: string } }[] }>(bulk, 'enterprises').edges.map((e) => e.node.legalRepIdNumber);
    expect(values).toHaveLength(5);
    for (const v of values) expect(v).toMatch(/^\d{17}[\dX]$/);
    for (const g of (await w.access?.grants({ live: true })) ?? []) await w.access?.revoke(await principalOf(officer), g.id, 'test over');
  });

  it('refuses a named grant that does not cover a selected field, a revoked one, an exhausted one and a stranger', async () => {
    const grantId = await approvedGrant(analyst, { rowCap: 2 });
    const scope = await as(w, analyst.token, READ_BOTH, { id }, { 'x-warden-grant': grantId });
    expect(scope.status).toBe(403);
    expect(errorCode(scope.body)).toBe('GRANT_OUT_OF_SCOPE');
    // Without naming it, the grant clears what it covers and the rest stays masked.
    const auto = await as(w, analyst.token, READ_BOTH, { id });
    expect(value(auto.body, 'legalRepIdNumber')).toBe(clearIdNumber);
    expect(value(auto.body, 'legalRepMobile')).not.toBe(clearMobile);
    // A read the grant does not clear does not name it in the audit log.
    await as(w, analyst.token, 'query ($id: ID!) { enterprise(id: $id) { legalRepMobile } }', { id });
    const last = await w.dbs.control.query<{ grant_id: string | null; counts: { MASK?: number } }>(
      "SELECT grant_id, counts FROM warden.audit_events WHERE action = 'graphql.read' AND actor_name = 'ana' ORDER BY seq DESC LIMIT 1",
    );
    expect(last.rows[0]).toMatchObject({ grant_id: null, counts: { MASK: 1 } });

    const stranger = await as(w, officer.token, READ_ID, { id }, { 'x-warden-grant': grantId });
    expect(errorCode(stranger.body)).toBe('GRANT_NOT_FOUND');
    const malformed = await as(w, analyst.token, READ_ID, { id }, { 'x-warden-grant': 'not-a-grant-id' });
    expect(malformed.status).toBe(400);
    expect(errorCode(malformed.body)).toBe('BAD_REQUEST');

    expect(value((await as(w, analyst.token, READ_ID, { id }, { 'x-warden-grant': grantId })).body, 'legalRepIdNumber')).toBe(
      clearIdNumber,
    );
    const exhausted = await as(w, analyst.token, READ_ID, { id }, { 'x-warden-grant': grantId });
    expect(errorCode(exhausted.body)).toBe('GRANT_EXHAUSTED');
    // Exhausted grants are not applied on their own either: masked.
    expect(value((await as(w, analyst.token, READ_ID, { id })).body, 'legalRepIdNumber')).not.toBe(clearIdNumber);

    const revoked = await approvedGrant(analyst);
    await as(w, officer.token, 'mutation ($id: ID!) { revokeGrant(id: $id, reason: "no longer needed") { revoked } }', { id: revoked });
    const res = await as(w, analyst.token, READ_ID, { id }, { 'x-warden-grant': revoked });
    expect(errorCode(res.body)).toBe('GRANT_REVOKED');
    expect(value((await as(w, analyst.token, READ_ID, { id })).body, 'legalRepIdNumber')).not.toBe(clearIdNumber);
  });

  it('never lets anyone approve their own request, and needs two distinct officers at L5', async () => {
    const own = await as(w, dual.token, REQUEST, request());
    const ownId = pick<{ id: string }>(own, 'requestAccess').id;
    await stepUp(w, clock, dual);
    const self = await as(w, dual.token, APPROVE, { id: ownId });
    expect(errorCode(self.body)).toBe('SELF_APPROVAL');
    await stepUp(w, clock, officer);
    expect((await as(w, officer.token, APPROVE, { id: ownId })).body.data?.approveAccess).toMatchObject({ state: 'APPROVED' });

    const l5 = await as(w, analyst.token, REQUEST, request({ patterns: ['urn:warden:enterprise:public.district_indicators.*'] }));
    expect(l5.body.data?.requestAccess).toMatchObject({ level: 'L5', approvalsNeeded: 2 });
    const l5Id = pick<{ id: string }>(l5, 'requestAccess').id;
    await stepUp(w, clock, officer);
    expect((await as(w, officer.token, APPROVE, { id: l5Id })).body.data?.approveAccess).toMatchObject({ state: 'PENDING', grantId: null });
    await stepUp(w, clock, officer);
    expect(errorCode((await as(w, officer.token, APPROVE, { id: l5Id })).body)).toBe('ALREADY_APPROVED');
    const L5_READ = '{ districtIndicators(first: 1) { edges { node { district enterpriseCount } } } }';
    expect(errorCode((await as(w, analyst.token, L5_READ)).body)).toBe('INSUFFICIENT_LEVEL');
    await stepUp(w, clock, officer2);
    expect((await as(w, officer2.token, APPROVE, { id: l5Id })).body.data?.approveAccess).toMatchObject({ state: 'APPROVED' });
    const read = await as(w, analyst.token, L5_READ);
    expect(read.body.errors).toBeUndefined();
    const [edge] = pick<{ edges: { node: { enterpriseCount: string } }[] }>(read, 'districtIndicators').edges;
    expect(edge?.node.enterpriseCount).toMatch(/^\d+$/);
    // …and not to someone else, though the query is the same (plans are keyed by the caller's grants).
    expect(errorCode((await as(w, dual.token, L5_READ)).body)).toBe('INSUFFICIENT_LEVEL');
  });

  it('never lets a grant clear a column relabelled above the level it was approved for', async () => {
    const grantId = await approvedGrant(analyst);
    expect(value((await as(w, analyst.token, READ_ID, { id })).body, 'legalRepIdNumber')).toBe(clearIdNumber);
    const current = w.labels.get(ID_NUMBER);
    if (!current) throw new Error('no label');
    await w.labels.append({ ...current, level: 'L5', proposedBy: 'steward-a', reviewedBy: 'steward-b' });
    try {
      const raised = await as(w, analyst.token, READ_ID, { id });
      expect(value(raised.body, 'legalRepIdNumber')).toBeNull();
      expect(errorCode(raised.body)).toBe('INSUFFICIENT_LEVEL');
    } finally {
      await w.labels.append({ ...current, proposedBy: 'steward-a', reviewedBy: 'steward-b' });
    }
    await stepUp(w, clock, officer);
    await as(w, officer.token, 'mutation ($id: ID!) { revokeGrant(id: $id, reason: "test over") { revoked } }', { id: grantId });
  });
});

describe('sensitive operations cannot be multiplied', () => {
  it('refuses aliased, fragment-spread and batched MFA verifications before any is tried', async () => {
    const aliased = await as(
      w,
      analyst.token,
      'mutation { a: verifyMfa(code: "000000") { mfaAt } b: verifyMfa(code: "111111") { mfaAt } }',
    );
    expect(aliased.status).toBe(400);
    expect(errorCode(aliased.body)).toBe('SENSITIVE_NOT_BATCHED');
    const spread = await as(
      w,
      analyst.token,
      'mutation { ...G } fragment G on Mutation { a: verifyMfa(code: "000000") { mfaAt } b: verifyMfa(code: "111111") { mfaAt } }',
    );
    expect(errorCode(spread.body)).toBe('SENSITIVE_NOT_BATCHED');
    const mixed = await as(w, officer.token, 'mutation ($id: ID!) { approveAccess(id: $id) { state } logout }', { id });
    expect(errorCode(mixed.body)).toBe('SENSITIVE_NOT_BATCHED');
    const batch = await w.post(
      [{ query: 'mutation { verifyMfa(code: "000000") { mfaAt } }' }, { query: 'mutation { verifyMfa(code: "111111") { mfaAt } }' }],
      { as: { key: analyst.token } },
    );
    expect(batch.statusCode).toBe(400);
    expect(errorCode(batch)).toBe('BATCH_NOT_ALLOWED');
    // The refusals are security events: audited with the caller and the code.
    const refused = await w.dbs.control.query<{ actor_name: string; reason_code: string }>(
      "SELECT actor_name, reason_code FROM warden.audit_events WHERE action = 'graphql.refused' AND actor_name = 'ana'",
    );
    expect(refused.rows.filter((r) => r.reason_code === 'SENSITIVE_NOT_BATCHED')).toHaveLength(2);
    // None of them counted as a guess: no TOTP failure was recorded for the analyst.
    const { rows } = await w.dbs.control.query("SELECT 1 FROM warden.auth_failures WHERE factor = 'totp'");
    expect(rows).toHaveLength(0);
  });

  it('accepts a single verification, and refuses the same code again as a replay', async () => {
    const code = await nextCode(clock, analyst);
    const ok = await as(w, analyst.token, 'mutation ($c: String!) { verifyMfa(code: $c) { mfaAt } }', { c: code });
    expect(ok.body.errors).toBeUndefined();
    const again = await as(w, analyst.token, 'mutation ($c: String!) { verifyMfa(code: $c) { mfaAt } }', { c: code });
    expect(errorCode(again.body)).toBe('TOTP_REPLAYED');
    const { rows } = await w.dbs.control.query("SELECT severity FROM warden.alerts WHERE kind = 'totp.replay'");
    expect(rows.length).toBeGreaterThan(0);
  });
});

describe('guessing costs the address', () => {
  it('counts failed logins against the source address like bad keys, then refuses the address', async () => {
    const app = await w.rebuild({ maxAuthFailuresPerMinute: 3 });
    const attempt = (password: string) =>
      app.inject({
        method: 'POST',
        url: '/graphql',
        remoteAddress: '203.0.113.9',
        headers: { 'content-type': 'application/json' },
        payload: { query: 'mutation ($p: String!) { login(name: "nobody-here", password: $p) { token } }', variables: { p: password } },
      });
    for (const p of ['wrong-1', 'wrong-2', 'wrong-3']) expect(errorCode(await attempt(p))).toBe('INVALID_CREDENTIALS');
    const fourth = await attempt('wrong-4');
    expect(fourth.statusCode).toBe(429);
    expect(errorCode(fourth)).toBe('RATE_LIMITED');
    // Another address is not affected.
    const other = await app.inject({
      method: 'POST',
      url: '/graphql',
      remoteAddress: '203.0.113.10',
      headers: { 'content-type': 'application/json' },
      payload: { query: 'mutation { login(name: "nobody-here", password: "wrong-5") { token } }' },
    });
    expect(errorCode(other)).toBe('INVALID_CREDENTIALS');
  });
});

describe('who may call what', () => {
  it('audits a failed authentication with the key id, never the secret', async () => {
    const key = 'wdn_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const res = await w.post({ query: '{ me { name } }' }, { as: { key }, remoteAddress: '198.51.100.77' });
    expect(res.statusCode).toBe(401);
    const { rows } = await w.dbs.control.query(
      "SELECT reason_code, auth, detail, source_ip FROM warden.audit_events WHERE action = 'auth.fail' ORDER BY seq DESC LIMIT 1",
    );
    expect(rows[0]).toMatchObject({ reason_code: 'UNAUTHENTICATED', auth: ['key'], detail: { keyId: '0123456789ab' } });
    expect(JSON.stringify(rows[0])).not.toContain('AAAAAAAA');
    expect(rows[0]?.source_ip).not.toBe('198.51.100.77');
  });

  it('lets an anonymous caller log in and nothing else', async () => {
    const read = await anonymous(w, { query: READ_ID, variables: { id } });
    expect(read.statusCode).toBe(401);
    expect(errorCode(read)).toBe('UNAUTHENTICATED');
    const sneak = await anonymous(w, {
      query: 'mutation ($n: String!, $p: String!) { login(name: $n, password: $p) { token } logout }',
      variables: { n: 'ana', p: PASSWORD },
    });
    expect(sneak.statusCode).toBe(401);
    const res = await login(w, 'ana', PASSWORD, await nextCode(clock, analyst));
    expect(res.statusCode).toBe(200);
    expect(res.json().data.login.session).toMatchObject({ amr: ['pwd', 'otp'], mfaEnrolled: true });
  });

  it('lets a session without an enrolled authenticator only enrol', async () => {
    await w.users?.create({ name: 'newbie', roles: ['analyst'], password: PASSWORD }, { cli: 'test' });
    const token = (await login(w, 'newbie', PASSWORD)).json().data.login.token as string;
    const read = await as(w, token, READ_ID, { id });
    expect(read.status).toBe(403);
    expect(errorCode(read.body)).toBe('MFA_NOT_ENROLLED');
    const enrol = await as(w, token, 'mutation { enrolTotp { secret uri } }');
    expect(pick<{ uri: string }>(enrol, 'enrolTotp').uri).toMatch(/^otpauth:\/\/totp\//);
  });

  it('keeps approvals, pending lists and review tasks for officers', async () => {
    for (const q of ['{ pendingApprovals { id } }', '{ reviewTasks { id } }']) {
      expect(errorCode((await as(w, analyst.token, q)).body)).toBe('FORBIDDEN');
      expect((await as(w, officer.token, q)).body.errors).toBeUndefined();
    }
    const req = await as(w, analyst.token, REQUEST, request());
    const reqId = pick<{ id: string }>(req, 'requestAccess').id;
    await stepUp(w, clock, analyst);
    expect(errorCode((await as(w, analyst.token, APPROVE, { id: reqId })).body)).toBe('FORBIDDEN');
  });

  it('runs break-glass with a mandatory reason, a critical alert and a review an officer closes', async () => {
    const BREAK = 'mutation ($i: BreakGlassInput!) { breakGlass(input: $i) { id breakGlass expiresAt } }';
    const input = { patterns: [ID_NUMBER], reason: 'fraud investigation in progress, ticket 42', minutes: 30 };
    await stepUp(w, clock, analyst);
    expect(errorCode((await as(w, analyst.token, BREAK, { i: { ...input, reason: '' } })).body)).toBe('INVALID_ARGUMENT');
    expect(errorCode((await as(w, analyst.token, BREAK, { i: { ...input, minutes: 61 } })).body)).toBe('INVALID_ARGUMENT');
    const ok = await as(w, analyst.token, BREAK, { i: input });
    expect(ok.body.data?.breakGlass).toMatchObject({ breakGlass: true });
    const read = await as(w, analyst.token, READ_ID, { id });
    expect(value(read.body, 'legalRepIdNumber')).toBe(clearIdNumber);
    const { rows } = await w.dbs.control.query("SELECT severity FROM warden.alerts WHERE kind = 'access.breakglass'");
    expect(rows).toEqual([{ severity: 'critical' }]);
    const tasks = (await as(w, officer.token, '{ reviewTasks { id state } }')).body.data?.reviewTasks as { id: string }[];
    expect(tasks).toHaveLength(1);
    const CLOSE = 'mutation ($id: ID!) { closeReview(id: $id, note: "checked with the ticket") { state closedBy } }';
    expect(errorCode((await as(w, analyst.token, CLOSE, { id: tasks[0]?.id })).body)).toBe('FORBIDDEN');
    expect((await as(w, officer.token, CLOSE, { id: tasks[0]?.id })).body.data?.closeReview).toEqual({
      state: 'CLOSED',
      closedBy: 'oscar',
    });
  });
});

async function auditorToken(): Promise<TestUser> {
  return createTestUser(w, clock, `aud${Math.floor(Math.random() * 1e6)}`, ['auditor']);
}

async function principalOf(user: TestUser) {
  const p = await w.users?.authenticateSession(user.token);
  if (!p) throw new Error(`no session for ${user.name}`);
  return p;
}
