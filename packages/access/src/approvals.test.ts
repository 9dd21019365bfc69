import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Principal } from '@warden/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PatternResult } from './access-patterns.js';
import {
  type AccessPolicies,
  cancelRefusal,
  checkRequest,
  decideApproval,
  decideBreakGlass,
  denyRefusal,
  effectiveState,
  mfaFresh,
  type RecordedApproval,
  type RequestInput,
  type RequestView,
  revokeRefusal,
  reviewCloseRefusal,
} from './approvals.js';
import { loadPolicies } from './load-policies.js';
import type { GrantLevel } from './policy-types.js';

const POLICIES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../policies');
const NOW = new Date('2026-11-02T02:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
let policies: AccessPolicies;
beforeAll(async () => {
  policies = await loadPolicies(POLICIES_DIR);
});

function who(id: string, roles: string[], mfaAgoMin?: number, session = true): Principal {
  return {
    id,
    name: id,
    kind: 'user',
    roles,
    amr: mfaAgoMin === undefined ? ['pwd'] : ['pwd', 'otp'],
    mfaAt: mfaAgoMin === undefined ? undefined : new Date(NOW.getTime() - mfaAgoMin * MIN),
    sessionId: session ? `s-${id}` : undefined,
  };
}
const analyst = who('analyst-1', ['analyst'], 1);
const officerA = who('officer-a', ['officer'], 1);
const officerB = who('officer-b', ['officer'], 4);
const officerC = who('officer-c', ['officer'], 0);

/** An earlier approval by an approver who is still an enabled officer unless `over` says otherwise. */
function by(approverId: string, bulkApproved = false, over: Partial<RecordedApproval> = {}): RecordedApproval {
  return { approverId, bulkApproved, approverRoles: ['officer'], approverEnabled: true, ...over };
}

function request(level: GrantLevel, over: Partial<RequestView> = {}): RequestView {
  return {
    requesterId: analyst.id,
    level,
    state: 'PENDING',
    mode: 'read',
    rowCap: 50,
    durationHours: 24,
    bulkRequested: false,
    createdAt: new Date(NOW.getTime() - HOUR),
    approvals: [],
    ...over,
  };
}
const resolved = (level: GrantLevel): PatternResult => ({ ok: true, level, urns: ['urn:warden:enterprise:public.enterprises.x'] });
const input = (over: Partial<RequestInput> = {}): RequestInput => ({
  patterns: ['urn:warden:enterprise:public.enterprises.legal_rep_*'],
  purpose: 'KYC check for case 2026-117',
  mode: 'read',
  rowCap: 10,
  durationHours: 24,
  ...over,
});

describe('MFA freshness', () => {
  describe.each([
    [0, true],
    [4, true],
    [5, true],
    [5.01, false],
    [6, false],
    [-1, false],
  ])('MFA %s minutes ago, limit 5', (ago, fresh) => {
    it(`is ${fresh ? 'fresh' : 'stale'}`, () => {
      expect(mfaFresh(who('x', [], ago), 5, NOW)).toBe(fresh);
    });
  });

  it('is never fresh without MFA or without the session that proves it', () => {
    expect(mfaFresh(who('x', []), 5, NOW)).toBe(false);
    expect(mfaFresh(who('x', [], 1, false), 5, NOW)).toBe(false);
  });

  it('is fresh exactly when 0 ≤ age ≤ limit (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -20 * MIN, max: 20 * MIN }), fc.integer({ min: 1, max: 5 }), (ageMs, limit) => {
        const p: Principal = { ...who('x', []), mfaAt: new Date(NOW.getTime() - ageMs), sessionId: 's' };
        expect(mfaFresh(p, limit, NOW)).toBe(ageMs >= 0 && ageMs <= limit * MIN);
      }),
    );
  });
});

describe('approving a request', () => {
  describe.each([
    ['L3 by one officer', 'L3', [], officerA, 'complete'],
    ['L4 by one officer', 'L4', [], officerA, 'complete'],
    ['L5 by the first officer', 'L5', [], officerA, 'recorded'],
    ['L5 by a second, distinct officer', 'L5', ['officer-a'], officerB, 'complete'],
    ['L5 by a third officer after two', 'L5', ['officer-a', 'officer-b'], officerC, 'complete'],
  ] as const)('%s', (_name, level, before, approver, outcome) => {
    it(`is ${outcome}`, () => {
      const req = request(level, { approvals: before.map((approverId) => by(approverId)) });
      expect(decideApproval(policies, req, approver, {}, NOW).outcome).toBe(outcome);
    });
  });

  describe.each([
    ['an analyst', request('L3'), who('analyst-2', ['analyst'], 1), {}, 'FORBIDDEN'],
    ['an auditor', request('L3'), who('auditor-1', ['auditor'], 1), {}, 'FORBIDDEN'],
    ['the requester, also an officer', request('L3', { requesterId: 'officer-a' }), officerA, {}, 'SELF_APPROVAL'],
    ['an officer whose MFA is 6 minutes old', request('L3'), who('officer-d', ['officer'], 6), {}, 'MFA_REQUIRED'],
    ['an officer without MFA', request('L3'), who('officer-d', ['officer']), {}, 'MFA_REQUIRED'],
    ['an officer with MFA but no session proof', request('L3'), who('officer-d', ['officer'], 1, false), {}, 'MFA_REQUIRED'],
    ['an officer, twice', request('L5', { approvals: [by('officer-a')] }), officerA, {}, 'ALREADY_APPROVED'],
    ['an officer, on a denied request', request('L3', { state: 'DENIED' }), officerA, {}, 'REQUEST_NOT_PENDING'],
    ['an officer, on an approved request', request('L3', { state: 'APPROVED' }), officerA, {}, 'REQUEST_NOT_PENDING'],
    ['an officer, on a cancelled request', request('L3', { state: 'CANCELLED' }), officerA, {}, 'REQUEST_NOT_PENDING'],
    [
      'an officer, 14 days after the request',
      request('L3', { createdAt: new Date(NOW.getTime() - 336 * HOUR) }),
      officerA,
      {},
      'REQUEST_NOT_PENDING',
    ],
    ['an officer approving bulk nobody asked for', request('L4'), officerA, { bulk: true }, 'INVALID_ARGUMENT'],
  ] as const)('by %s', (_name, req, approver, opts, code) => {
    it(`is refused with ${code}`, () => {
      const out = decideApproval(policies, req, approver, opts, NOW);
      expect(out.outcome === 'refused' && out.code).toBe(code);
    });
  });

  it('gives MFA_REQUIRED the policy minutes and REQUEST_NOT_PENDING the state', () => {
    expect(decideApproval(policies, request('L3'), who('o', ['officer'], 6), {}, NOW)).toEqual({
      outcome: 'refused',
      code: 'MFA_REQUIRED',
      params: { minutes: 5 },
    });
    expect(decideApproval(policies, request('L3', { createdAt: new Date(0) }), officerA, {}, NOW)).toMatchObject({
      params: { state: 'EXPIRED' },
    });
  });

  it('grants the requested duration, mode and row cap', () => {
    const out = decideApproval(policies, request('L3', { durationHours: 48, rowCap: 70, mode: 'export' }), officerA, {}, NOW);
    expect(out).toEqual({
      outcome: 'complete',
      approvals: 1,
      needed: 1,
      bulkApproved: false,
      grant: { expiresAt: new Date(NOW.getTime() + 48 * HOUR), mode: 'export', rowCap: 70, bulk: true },
    });
  });

  describe.each([
    // level, bulk requested, bulk approved (one per approval, last one is this approver's), mode, grant bulk
    ['L3 without asking: no single-record rule at L3', 'L3', false, [false], 'read', true],
    ['L4 without asking: one record at a time', 'L4', false, [false], 'read', false],
    ['L4 asked, not approved: one record at a time', 'L4', true, [false], 'read', false],
    ['L4 asked and explicitly approved: bulk', 'L4', true, [true], 'read', true],
    ['L4 export asked and approved: bulk', 'L4', true, [true], 'export', true],
    ['L5 asked, approved by both: bulk', 'L5', true, [true, true], 'read', true],
    ['L5 asked, approved by one of two: one record at a time', 'L5', true, [true, false], 'read', false],
    ['L5 asked, approved by the other of two: one record at a time', 'L5', true, [false, true], 'read', false],
  ] as const)('bulk: %s', (_name, level, requested, approved, mode, bulk) => {
    it(`gives bulk ${bulk}`, () => {
      const earlier = approved.slice(0, -1).map((b, i) => by(`officer-${i}`, b));
      const req = request(level, { bulkRequested: requested, mode, approvals: earlier });
      const out = decideApproval(policies, req, officerC, { bulk: approved.at(-1) }, NOW);
      expect(out.outcome === 'complete' && out.grant.bulk).toBe(bulk);
    });
  });

  describe.each([
    ['has been disabled', { approverEnabled: false }],
    ['lost the officer role', { approverRoles: ['analyst'] }],
    ['holds no role at all now', { approverRoles: [] }],
    ['holds only an approver-looking role without `approve Access`', { approverRoles: ['auditor'] }],
  ] as const)('L5 completed by a second officer when the first approver %s', (_name, over) => {
    it('does not count that approval: the request stays pending (recorded, 1 of 2)', () => {
      const req = request('L5', { approvals: [by('officer-a', false, over)] });
      expect(decideApproval(policies, req, officerB, {}, NOW)).toEqual({
        outcome: 'recorded',
        approvals: 1,
        needed: 2,
        bulkApproved: false,
      });
    });
  });

  it('completes L5 when the earlier approver is still an enabled officer (twin), and with a third officer after one lapsed', () => {
    expect(decideApproval(policies, request('L5', { approvals: [by('officer-a')] }), officerB, {}, NOW)).toMatchObject({
      outcome: 'complete',
      approvals: 2,
    });
    const lapsed = request('L5', { approvals: [by('officer-a', false, { approverEnabled: false }), by('officer-b')] });
    expect(decideApproval(policies, lapsed, officerC, {}, NOW)).toMatchObject({ outcome: 'complete', approvals: 2, needed: 2 });
  });

  it('decides bulk by the counted approvals only, not a lapsed one', () => {
    const req = request('L5', {
      bulkRequested: true,
      approvals: [by('officer-a', false, { approverEnabled: false }), by('officer-b', true)],
    });
    const out = decideApproval(policies, req, officerC, { bulk: true }, NOW);
    expect(out.outcome === 'complete' && out.grant.bulk).toBe(true);
  });

  it('still refuses a lapsed approver approving again (ALREADY_APPROVED), whatever their status', () => {
    const req = request('L5', { approvals: [by('officer-a', false, { approverEnabled: false })] });
    expect(decideApproval(policies, req, officerA, {}, NOW)).toMatchObject({ code: 'ALREADY_APPROVED' });
  });

  it('never completes below the distinct approvers needed, nor with the requester or a repeated approver (property)', () => {
    const officers = ['o1', 'o2', 'o3'];
    fc.assert(
      fc.property(
        fc.constantFrom<GrantLevel>('L3', 'L4', 'L5'),
        fc.uniqueArray(fc.constantFrom(...officers), { maxLength: 3 }),
        fc.constantFrom(...officers, analyst.id),
        fc.boolean(),
        fc.boolean(),
        (level, before, approverId, bulkRequested, bulk) => {
          const req = request(level, { bulkRequested, approvals: before.map((a) => by(a, bulkRequested)) });
          const approver = who(approverId, approverId === analyst.id ? ['analyst', 'officer'] : ['officer'], 2);
          const out = decideApproval(policies, req, approver, { bulk: bulkRequested && bulk }, NOW);
          const needed = policies.approvals.levels[level].approvals;
          if (approverId === analyst.id) expect(out).toMatchObject({ code: 'SELF_APPROVAL' });
          else if (before.includes(approverId)) expect(out).toMatchObject({ code: 'ALREADY_APPROVED' });
          else {
            expect(out.outcome).toBe(before.length + 1 >= needed ? 'complete' : 'recorded');
            if (out.outcome === 'complete') {
              expect(out.grant.expiresAt.getTime() - NOW.getTime()).toBeLessThanOrEqual(14 * 24 * HOUR);
              if (level !== 'L3') expect(out.grant.bulk).toBe(bulkRequested && bulk);
            }
          }
        },
      ),
    );
  });
});

describe('checking a new request', () => {
  it('accepts an analyst’s request and gives its level', () => {
    expect(checkRequest(policies, analyst, input(), resolved('L4'))).toMatchObject({ ok: true, level: 'L4' });
  });

  describe.each([
    ['by an officer (no request ability)', officerA, input(), resolved('L3'), 'FORBIDDEN', undefined],
    ['by an app', who('app-1', ['app']), input(), resolved('L3'), 'FORBIDDEN', undefined],
    ['with bad patterns', analyst, input(), { ok: false, reason: 'x matches no known L3+ column' }, 'INVALID_ARGUMENT', 'patterns'],
    ['with a short purpose', analyst, input({ purpose: 'because  ' }), resolved('L3'), 'INVALID_ARGUMENT', 'purpose'],
    ['with no purpose', analyst, input({ purpose: undefined as never }), resolved('L3'), 'INVALID_ARGUMENT', 'purpose'],
    ['with mode write', analyst, input({ mode: 'write' as never }), resolved('L3'), 'INVALID_ARGUMENT', 'mode'],
    ['with row cap 0', analyst, input({ rowCap: 0 }), resolved('L3'), 'INVALID_ARGUMENT', 'rowCap'],
    ['with row cap 1.5', analyst, input({ rowCap: 1.5 }), resolved('L3'), 'INVALID_ARGUMENT', 'rowCap'],
    ['with row cap above L4’s 1000', analyst, input({ rowCap: 1001 }), resolved('L4'), 'INVALID_ARGUMENT', 'rowCap'],
    ['for 0 hours', analyst, input({ durationHours: 0 }), resolved('L3'), 'INVALID_ARGUMENT', 'durationHours'],
    ['for 14 days and an hour', analyst, input({ durationHours: 337 }), resolved('L3'), 'INVALID_ARGUMENT', 'durationHours'],
    ['for bulk export of L5', analyst, input({ bulk: true, mode: 'export' }), resolved('L5'), 'INVALID_ARGUMENT', 'bulk'],
  ] as const)('%s', (_name, p, req, pats, code, argument) => {
    it(`is refused with ${code}${argument ? ` naming ${argument}` : ''}`, () => {
      const out = checkRequest(policies, p, req, pats);
      expect(out.ok).toBe(false);
      if (!out.ok) {
        expect(out.code).toBe(code);
        expect(out.params.argument).toBe(argument);
      }
    });
  });

  describe.each([
    ['the longest duration, 14 days', input({ durationHours: 336 }), 'L3'],
    ['L4’s largest row cap', input({ rowCap: 1000 }), 'L4'],
    ['bulk export of L4', input({ bulk: true, mode: 'export' }), 'L4'],
    ['bulk read of L5', input({ bulk: true }), 'L5'],
  ] as const)('with %s', (_name, req, level) => {
    it('is accepted', () => {
      expect(checkRequest(policies, analyst, req, resolved(level)).ok).toBe(true);
    });
  });
});

describe('deny, cancel, revoke', () => {
  it('lets an officer deny a pending request with a reason', () => {
    expect(denyRefusal(policies, request('L4'), officerA, 'not needed for the case', NOW)).toBeUndefined();
  });

  describe.each([
    ['an analyst', request('L4'), who('a2', ['analyst'], 1), 'no reason here', 'FORBIDDEN'],
    ['the requester', request('L4', { requesterId: officerA.id }), officerA, 'no reason here', 'SELF_APPROVAL'],
    ['an officer on a cancelled request', request('L4', { state: 'CANCELLED' }), officerA, 'no reason here', 'REQUEST_NOT_PENDING'],
    ['an officer without a reason', request('L4'), officerA, ' ', 'INVALID_ARGUMENT'],
    ['an officer with 6-minute-old MFA', request('L4'), who('officer-s', ['officer'], 6), 'no reason here', 'MFA_REQUIRED'],
    ['an officer without MFA', request('L5'), who('officer-n', ['officer']), 'no reason here', 'MFA_REQUIRED'],
    ['an officer with MFA but no session', request('L3'), who('officer-x', ['officer'], 1, false), 'no reason here', 'MFA_REQUIRED'],
  ] as const)('deny by %s', (_name, req, p, reason, code) => {
    it(`is refused with ${code}`, () => {
      expect(denyRefusal(policies, req, p, reason, NOW)?.code).toBe(code);
    });
  });

  it('refuses a deny with stale MFA with the minutes needed, and takes MFA exactly 5 minutes old', () => {
    expect(denyRefusal(policies, request('L4'), who('o', ['officer'], 6), 'not needed for the case', NOW)).toEqual({
      code: 'MFA_REQUIRED',
      params: { minutes: 5 },
    });
    expect(denyRefusal(policies, request('L4'), who('o', ['officer'], 5), 'not needed for the case', NOW)).toBeUndefined();
  });

  it('lets the requester cancel a pending request, nobody else, and nothing decided', () => {
    expect(cancelRefusal(policies, request('L3'), analyst, NOW)).toBeUndefined();
    expect(cancelRefusal(policies, request('L3'), who('analyst-2', ['analyst']), NOW)?.code).toBe('FORBIDDEN');
    expect(cancelRefusal(policies, request('L3', { state: 'APPROVED' }), analyst, NOW)?.code).toBe('REQUEST_NOT_PENDING');
  });

  it('lets an officer revoke a live grant with a reason, not an analyst, not twice, not an unknown one', () => {
    expect(revokeRefusal(policies, officerA, { revoked: false }, 'g', 'case closed', NOW)).toBeUndefined();
    expect(revokeRefusal(policies, analyst, { revoked: false }, 'g', 'case closed', NOW)?.code).toBe('FORBIDDEN');
    expect(revokeRefusal(policies, officerA, { revoked: true }, 'g', 'case closed', NOW)?.code).toBe('GRANT_REVOKED');
    expect(revokeRefusal(policies, officerA, undefined, 'g', 'case closed', NOW)).toEqual({ code: 'GRANT_NOT_FOUND', params: { id: 'g' } });
    expect(revokeRefusal(policies, officerA, { revoked: false }, 'g', '', NOW)?.code).toBe('INVALID_ARGUMENT');
  });

  it('lets an officer revoke only with MFA at most 5 minutes old in this session', () => {
    const live = { revoked: false };
    expect(revokeRefusal(policies, who('o', ['officer'], 5), live, 'g', 'case closed', NOW)).toBeUndefined();
    expect(revokeRefusal(policies, who('o', ['officer'], 6), live, 'g', 'case closed', NOW)).toEqual({
      code: 'MFA_REQUIRED',
      params: { minutes: 5 },
    });
    expect(revokeRefusal(policies, who('o', ['officer']), live, 'g', 'case closed', NOW)?.code).toBe('MFA_REQUIRED');
    expect(revokeRefusal(policies, who('o', ['officer'], 1, false), live, 'g', 'case closed', NOW)?.code).toBe('MFA_REQUIRED');
    // Before anything about the grant is told.
    expect(revokeRefusal(policies, who('o', ['officer'], 6), undefined, 'g', 'case closed', NOW)?.code).toBe('MFA_REQUIRED');
  });

  it('shows a pending request as expired once its level’s longest duration has passed', () => {
    expect(effectiveState(policies, request('L3', { createdAt: new Date(NOW.getTime() - 336 * HOUR + 1) }), NOW)).toBe('PENDING');
    expect(effectiveState(policies, request('L3', { createdAt: new Date(NOW.getTime() - 336 * HOUR) }), NOW)).toBe('EXPIRED');
    expect(effectiveState(policies, request('L3', { state: 'DENIED', createdAt: new Date(0) }), NOW)).toBe('DENIED');
  });
});

describe('break-glass', () => {
  const reason = 'Fraud hotline case 4711: confirm the legal representative';
  it('gives an analyst with fresh MFA a short single-record grant at L4, capped rows', () => {
    const out = decideBreakGlass(policies, analyst, { patterns: [], reason, minutes: 60 }, resolved('L4'), NOW);
    expect(out).toEqual({
      ok: true,
      level: 'L4',
      terms: { expiresAt: new Date(NOW.getTime() + 60 * MIN), mode: 'read', bulk: false, rowCap: 100 },
    });
  });

  it('gives an officer a grant at L3 (no single-record rule there)', () => {
    const out = decideBreakGlass(policies, officerA, { patterns: [], reason, minutes: 5 }, resolved('L3'), NOW);
    expect(out.ok && out.terms.bulk).toBe(true);
  });

  describe.each([
    ['a steward', who('steward-1', ['steward'], 1), {}, resolved('L4'), 'FORBIDDEN', undefined],
    ['a stale MFA (6 min)', who('analyst-2', ['analyst'], 6), {}, resolved('L4'), 'MFA_REQUIRED', undefined],
    ['no MFA', who('analyst-2', ['analyst']), {}, resolved('L4'), 'MFA_REQUIRED', undefined],
    ['no reason', analyst, { reason: '' }, resolved('L4'), 'INVALID_ARGUMENT', 'reason'],
    ['a short reason', analyst, { reason: 'urgent!' }, resolved('L4'), 'INVALID_ARGUMENT', 'reason'],
    ['61 minutes', analyst, { minutes: 61 }, resolved('L4'), 'INVALID_ARGUMENT', 'minutes'],
    ['0 minutes', analyst, { minutes: 0 }, resolved('L4'), 'INVALID_ARGUMENT', 'minutes'],
    ['L5 patterns', analyst, {}, resolved('L5'), 'INVALID_ARGUMENT', 'patterns'],
    ['unknown patterns', analyst, {}, { ok: false, reason: 'nope' }, 'INVALID_ARGUMENT', 'patterns'],
  ] as const)('with %s', (_name, p, over, pats, code, argument) => {
    it(`is refused with ${code}`, () => {
      const out = decideBreakGlass(policies, p, { patterns: [], reason, minutes: 30, ...over }, pats as PatternResult, NOW);
      expect(out.ok).toBe(false);
      if (!out.ok) {
        expect(out.code).toBe(code);
        expect(out.params.argument).toBe(argument);
      }
    });
  });

  it('lets an officer who is not the holder close an open review', () => {
    expect(
      reviewCloseRefusal(policies, officerA, { holderId: analyst.id, state: 'OPEN' }, 't', 'justified: case 4711', NOW),
    ).toBeUndefined();
    expect(
      reviewCloseRefusal(policies, who('o', ['officer'], 5), { holderId: analyst.id, state: 'OPEN' }, 't', 'justified: case 4711', NOW),
    ).toBeUndefined();
  });

  it('refuses to close a review without MFA at most 5 minutes old in this session', () => {
    const task = { holderId: analyst.id, state: 'OPEN' } as const;
    expect(reviewCloseRefusal(policies, who('o', ['officer'], 6), task, 't', 'justified: case 4711', NOW)).toEqual({
      code: 'MFA_REQUIRED',
      params: { minutes: 5 },
    });
    expect(reviewCloseRefusal(policies, who('o', ['officer']), task, 't', 'justified: case 4711', NOW)?.code).toBe('MFA_REQUIRED');
    expect(reviewCloseRefusal(policies, who('o', ['officer'], 1, false), task, 't', 'justified: case 4711', NOW)?.code).toBe(
      'MFA_REQUIRED',
    );
  });

  describe.each([
    ['an analyst', analyst, { holderId: 'x', state: 'OPEN' }, 'FORBIDDEN'],
    ['the holder, an officer', officerA, { holderId: officerA.id, state: 'OPEN' }, 'SELF_APPROVAL'],
    ['an officer, on a closed task', officerA, { holderId: 'x', state: 'CLOSED' }, 'REVIEW_NOT_FOUND'],
    ['an officer, on no task', officerA, undefined, 'REVIEW_NOT_FOUND'],
  ] as const)('closing a review by %s', (_name, p, task, code) => {
    it(`is refused with ${code}`, () => {
      expect(reviewCloseRefusal(policies, p, task, 't', 'looked at it', NOW)?.code).toBe(code);
    });
  });
});
