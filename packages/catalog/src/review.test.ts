import type { AssetUrn } from '@warden/core';
import { describe, expect, it } from 'vitest';
import { decideReview, type ProposedLabel, type ReviewInput } from './review.js';

const URN = 'urn:warden:enterprise:public.enterprises.legal_rep_mobile' as AssetUrn;
const proposal = (over: Partial<ProposedLabel> = {}): ProposedLabel => ({
  urn: URN,
  category: 'enterprise.person.mobile',
  level: 'L4',
  core: false,
  pi: 'pi',
  secret: false,
  state: 'PENDING_REVIEW',
  mask: 'mobile',
  version: 2,
  proposedBy: 'scanner',
  basis: { scanner: { type: 'mobile' } },
  ...over,
});
const input = (over: Partial<ReviewInput> = {}): ReviewInput => ({
  proposal: proposal(),
  reviewer: { name: 'steward-b', canReview: true },
  action: { kind: 'approve' },
  maskExists: (name) => ['mobile', 'partial'].includes(name),
  ...over,
});

describe('decideReview', () => {
  it.each([
    ['a steward approves a scanner proposal', input(), 'APPROVED'],
    [
      'a steward approves a re-check at the same level',
      input({ proposal: proposal({ state: 'RECHECK_DUE' }), approved: { level: 'L4', core: false } }),
      'APPROVED',
    ],
    ['an upgrade above the approved level needs one reviewer', input({ approved: { level: 'L3', core: false } }), 'APPROVED'],
    ['a steward rejects a proposal', input({ action: { kind: 'reject' } }), 'REJECTED'],
    [
      'an edit raising the level is approved at once',
      input({ proposal: proposal({ level: 'L3' }), action: { kind: 'edit', level: 'L4' } }),
      'APPROVED',
    ],
  ] as const)('%s', (_name, given, state) => {
    const out = decideReview(given);
    expect(out).toMatchObject({ ok: true, awaitingSecondReview: false, next: { state, reviewedBy: 'steward-b', proposedBy: 'scanner' } });
  });

  it.each([
    ['a principal without `review Label` cannot approve', input({ reviewer: { name: 'analyst', canReview: false } }), 'FORBIDDEN'],
    [
      'a principal without `review Label` cannot reject',
      input({ reviewer: { name: 'analyst', canReview: false }, action: { kind: 'reject' } }),
      'FORBIDDEN',
    ],
    ['the proposer cannot approve their own proposal', input({ proposal: proposal({ proposedBy: 'steward-b' }) }), 'SELF_APPROVAL'],
    [
      'the proposer cannot reject their own proposal',
      input({ proposal: proposal({ proposedBy: 'steward-b' }), action: { kind: 'reject' } }),
      'SELF_APPROVAL',
    ],
    ['an approved version is not reviewed again', input({ proposal: proposal({ state: 'APPROVED' }) }), 'INVALID_ARGUMENT'],
    [
      'a rejected version is not reviewed again',
      input({ proposal: proposal({ state: 'REJECTED' }), action: { kind: 'reject' } }),
      'INVALID_ARGUMENT',
    ],
    ['a core proposal is never approved', input({ proposal: proposal({ core: true }) }), 'CORE_DATA_REFUSED'],
    [
      'a proposal over approved core data is never approved',
      input({ approved: { level: 'L5', core: true }, proposal: proposal({ level: 'L5' }) }),
      'CORE_DATA_REFUSED',
    ],
    ['an edit to an unknown masking rule is refused', input({ action: { kind: 'edit', mask: 'teleport' } }), 'INVALID_ARGUMENT'],
    ['an edit to L3 without a masking rule is refused', input({ action: { kind: 'edit', level: 'L4', mask: null } }), 'INVALID_ARGUMENT'],
    ['an edit to an empty category is refused', input({ action: { kind: 'edit', category: ' ' } }), 'INVALID_ARGUMENT'],
  ] as const)('%s', (_name, given, code) => {
    expect(decideReview(given)).toMatchObject({ ok: false, code });
  });

  it('a core proposal can still be rejected', () => {
    expect(decideReview(input({ proposal: proposal({ core: true }), action: { kind: 'reject' } }))).toMatchObject({
      ok: true,
      next: { state: 'REJECTED' },
    });
  });

  describe('a downgrade', () => {
    const down = input({ approved: { level: 'L4', core: false }, proposal: proposal({ level: 'L2', mask: undefined }) });

    it('without a reason is refused', () => {
      expect(decideReview(down)).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT', params: { argument: 'reason' } });
    });

    it('with a reason under 10 characters is refused', () => {
      expect(decideReview({ ...down, reason: 'too short' })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    });

    it('with a reason stays pending for a second reviewer, recording the first', () => {
      const out = decideReview({ ...down, reason: 'values are public registry data' });
      expect(out).toMatchObject({
        ok: true,
        awaitingSecondReview: true,
        next: {
          state: 'PENDING_REVIEW',
          level: 'L2',
          reviewedBy: 'steward-b',
          basis: { firstReviewer: 'steward-b', downgrade: { from: 'L4', to: 'L2', reason: 'values are public registry data' } },
        },
      });
    });

    const pending = proposal({
      level: 'L2',
      mask: undefined,
      version: 3,
      basis: { firstReviewer: 'steward-b', downgrade: { from: 'L4', to: 'L2' } },
    });

    it('is approved by a second, different reviewer', () => {
      const out = decideReview({ ...down, proposal: pending, reviewer: { name: 'steward-c', canReview: true } });
      expect(out).toMatchObject({
        ok: true,
        awaitingSecondReview: false,
        next: { state: 'APPROVED', level: 'L2', reviewedBy: 'steward-c', basis: { firstReviewer: 'steward-b' } },
      });
    });

    it('is not approved a second time by the first reviewer', () => {
      expect(decideReview({ ...down, proposal: pending })).toMatchObject({ ok: false, code: 'SELF_APPROVAL' });
    });

    it('is not approved by the proposer as second reviewer', () => {
      const out = decideReview({
        ...down,
        proposal: { ...pending, proposedBy: 'steward-c' },
        reviewer: { name: 'steward-c', canReview: true },
      });
      expect(out).toMatchObject({ ok: false, code: 'SELF_APPROVAL' });
    });

    it('by an edit below the proposed level needs a reason even for a new column', () => {
      const edit = input({ action: { kind: 'edit', level: 'L1', mask: null } });
      expect(decideReview(edit)).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT', params: { argument: 'reason' } });
      expect(decideReview({ ...edit, reason: 'column holds switchboard numbers only' })).toMatchObject({
        ok: true,
        awaitingSecondReview: true,
        next: { state: 'PENDING_REVIEW', level: 'L1', basis: { downgrade: { from: 'L4', to: 'L1' } } },
      });
    });
  });
});
