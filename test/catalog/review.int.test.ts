/**
 * Steward review through GraphQL: a proposed label keeps its field unserved
 * until a different steward approves it, and the approval takes effect on the
 * very next read; downgrades need a reason and a second reviewer; every
 * decision is a new, audited label version.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createLabelStore } from '@warden/catalog';
import type { Label } from '@warden/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, createTestWarden, errorCode, type TestWarden } from '../support/warden.js';

const MOBILE = 'urn:warden:enterprise:public.enterprises.legal_rep_mobile';
const EMAIL = 'urn:warden:enterprise:public.enterprises.contact_email';
const ADDRESS = 'urn:warden:enterprise:public.enterprises.legal_rep_home_address';

const APPROVE = `mutation ($urn: String!, $version: Int!, $reason: String) {
  approveLabel(urn: $urn, version: $version, reason: $reason) { urn version level state mask proposedBy reviewedBy awaitingSecondReview } }`;
const REJECT = `mutation ($urn: String!, $version: Int!, $reason: String) {
  rejectLabel(urn: $urn, version: $version, reason: $reason) { version state reviewedBy } }`;
const EDIT = `mutation ($urn: String!, $version: Int!, $level: String, $mask: String, $reason: String) {
  editLabel(urn: $urn, version: $version, level: $level, mask: $mask, reason: $reason) { version level state mask awaitingSecondReview } }`;
const PROPOSALS = `{ labelProposals(first: 50) { urn version level state proposedBy approvedLevel firstReviewer downgradeReason } }`;

let w: TestWarden;
let stewardB: Caller;
let originals: Label[] = [];

beforeAll(async () => {
  w = await createTestWarden({ enterprises: 8 });
  stewardB = { key: (await w.principals.create({ name: 'steward-b', roles: ['steward'] })).apiKey };
  originals = [MOBILE, EMAIL, ADDRESS].map((urn) => {
    const l = w.labels.get(urn);
    if (!l) throw new Error(`no label for ${urn}`);
    return l;
  });
}, 120_000);
afterAll(async () => {
  await w?.close();
});

function original(urn: string): Label {
  const l = originals.find((o) => o.urn === urn);
  if (!l) throw new Error(urn);
  return l;
}

async function propose(urn: string, proposedBy: string, over: Partial<Label> = {}): Promise<Label> {
  return w.labels.append({ ...original(urn), ...over, state: 'PENDING_REVIEW', proposedBy });
}

async function readMobile() {
  const res = await w.gql('app', '{ enterprises(first: 3) { edges { node { name legalRepMobile } } } }');
  const page = res.body.data?.enterprises as { edges: { node: { name: string; legalRepMobile: string | null } }[] } | undefined;
  const edges = page?.edges ?? [];
  return { mobiles: edges.map((e) => e.node.legalRepMobile), codes: res.body.errors?.map((e) => e.extensions.code) ?? [] };
}

async function labelChanges(actor: string, urn: string): Promise<number[]> {
  const { rows } = await w.dbs.control.query<{ version: number }>(
    "SELECT (detail->>'version')::int AS version FROM warden.audit_events WHERE action = 'label.change' AND actor_name = $1 AND subject = $2 ORDER BY seq",
    [actor, urn],
  );
  return rows.map((r) => r.version);
}

async function versionCount(urn: string): Promise<number> {
  const { rows } = await w.dbs.control.query<{ n: number }>('SELECT count(*)::int AS n FROM warden.labels WHERE urn = $1', [urn]);
  return rows[0]?.n ?? 0;
}

describe('steward review', () => {
  it('a scanner proposal is not served until a steward approves it, then it is served masked at once', async () => {
    const proposal = await propose(MOBILE, 'scanner');
    expect(await readMobile()).toMatchObject({ mobiles: [null, null, null], codes: ['ASSET_NOT_APPROVED'] });

    const listed = await w.gql('steward', PROPOSALS);
    expect(listed.body.data?.labelProposals).toContainEqual(
      expect.objectContaining({
        urn: MOBILE,
        version: proposal.version,
        state: 'PENDING_REVIEW',
        proposedBy: 'scanner',
        approvedLevel: 'L4',
      }),
    );

    const res = await w.gql('steward', APPROVE, { urn: MOBILE, version: proposal.version });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.approveLabel).toMatchObject({
      urn: MOBILE,
      version: proposal.version + 1,
      state: 'APPROVED',
      level: 'L4',
      mask: 'mobile',
      proposedBy: 'scanner',
      reviewedBy: 'test-steward',
      awaitingSecondReview: false,
    });
    const after = await readMobile();
    expect(after.codes).toEqual([]);
    for (const m of after.mobiles) expect(m).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(await labelChanges('test-steward', MOBILE)).toEqual([proposal.version + 1]);
    expect(await w.gql('steward', PROPOSALS).then((r) => r.body.data?.labelProposals)).not.toContainEqual(
      expect.objectContaining({ urn: MOBILE }),
    );
  });

  it.each(['app', 'analyst', 'officer', 'auditor', 'sysadmin'] as const)(
    '%s may neither list nor decide proposals (FORBIDDEN)',
    async (role) => {
      const proposal = await propose(ADDRESS, 'scanner');
      const before = await versionCount(ADDRESS);
      expect(errorCode((await w.gql(role, PROPOSALS)).body)).toBe('FORBIDDEN');
      expect(errorCode((await w.gql(role, APPROVE, { urn: ADDRESS, version: proposal.version })).body)).toBe('FORBIDDEN');
      expect(errorCode((await w.gql(role, REJECT, { urn: ADDRESS, version: proposal.version })).body)).toBe('FORBIDDEN');
      expect(errorCode((await w.gql(role, EDIT, { urn: ADDRESS, version: proposal.version, level: 'L4' })).body)).toBe('FORBIDDEN');
      expect(await versionCount(ADDRESS)).toBe(before);
      expect(await labelChanges(`test-${role}`, ADDRESS)).toEqual([]);
    },
  );

  it('the proposer cannot approve their own proposal; a different steward can', async () => {
    const proposal = await propose(EMAIL, 'test-steward');
    const before = await versionCount(EMAIL);
    const own = await w.gql('steward', APPROVE, { urn: EMAIL, version: proposal.version });
    expect(errorCode(own.body)).toBe('SELF_APPROVAL');
    expect(await versionCount(EMAIL)).toBe(before);
    expect(w.labels.get(EMAIL)?.state).toBe('PENDING_REVIEW');

    const other = await w.gql(stewardB, APPROVE, { urn: EMAIL, version: proposal.version });
    expect(other.body.data?.approveLabel).toMatchObject({ state: 'APPROVED', proposedBy: 'test-steward', reviewedBy: 'steward-b' });
    expect(w.labels.get(EMAIL)?.state).toBe('APPROVED');
    expect(await labelChanges('steward-b', EMAIL)).toEqual([proposal.version + 1]);
  });

  it('a downgrade needs a written reason and a second, different reviewer', async () => {
    const proposal = await propose(MOBILE, 'scanner', { level: 'L3' });
    for (const reason of [undefined, 'too short']) {
      const res = await w.gql('steward', APPROVE, { urn: MOBILE, version: proposal.version, reason });
      expect(errorCode(res.body)).toBe('INVALID_ARGUMENT');
    }
    const reason = 'switchboard numbers, not personal mobiles';
    const first = await w.gql('steward', APPROVE, { urn: MOBILE, version: proposal.version, reason });
    expect(first.body.data?.approveLabel).toMatchObject({
      version: proposal.version + 1,
      state: 'PENDING_REVIEW',
      level: 'L3',
      reviewedBy: 'test-steward',
      awaitingSecondReview: true,
    });
    expect((await readMobile()).codes).toEqual(['ASSET_NOT_APPROVED']);
    expect(await w.gql(stewardB, PROPOSALS).then((r) => r.body.data?.labelProposals)).toContainEqual(
      expect.objectContaining({ urn: MOBILE, level: 'L3', approvedLevel: 'L4', firstReviewer: 'test-steward', downgradeReason: reason }),
    );

    const again = await w.gql('steward', APPROVE, { urn: MOBILE, version: proposal.version + 1 });
    expect(errorCode(again.body)).toBe('SELF_APPROVAL');

    const second = await w.gql(stewardB, APPROVE, { urn: MOBILE, version: proposal.version + 1 });
    expect(second.body.data?.approveLabel).toMatchObject({
      state: 'APPROVED',
      level: 'L3',
      reviewedBy: 'steward-b',
      awaitingSecondReview: false,
    });
    expect(w.labels.get(MOBILE)).toMatchObject({ state: 'APPROVED', level: 'L3' });
    const after = await readMobile();
    expect(after.codes).toEqual([]);
    for (const m of after.mobiles) expect(m).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(await labelChanges('test-steward', MOBILE)).toContain(proposal.version + 1);
    expect(await labelChanges('steward-b', MOBILE)).toEqual([proposal.version + 2]);
  });

  it('an upgrade needs no second reviewer', async () => {
    const current = w.labels.get(MOBILE);
    const proposal = await propose(MOBILE, 'scanner', { level: 'L4' });
    expect(current?.level).toBe('L3');
    const res = await w.gql('steward', APPROVE, { urn: MOBILE, version: proposal.version });
    expect(res.body.data?.approveLabel).toMatchObject({ state: 'APPROVED', level: 'L4', awaitingSecondReview: false });
  });

  it('a rejection appends a REJECTED version, audited, and the field stays unserved', async () => {
    const proposal = await propose(MOBILE, 'scanner', { category: 'enterprise.person.name' });
    const res = await w.gql(stewardB, REJECT, { urn: MOBILE, version: proposal.version, reason: 'not a name column' });
    expect(res.body.data?.rejectLabel).toEqual({ version: proposal.version + 1, state: 'REJECTED', reviewedBy: 'steward-b' });
    expect(w.labels.get(MOBILE)?.state).toBe('REJECTED');
    expect((await readMobile()).codes).toEqual(['ASSET_NOT_APPROVED']);
    expect(await labelChanges('steward-b', MOBILE)).toContain(proposal.version + 1);
    const twice = await w.gql('steward', REJECT, { urn: MOBILE, version: proposal.version + 1 });
    expect(errorCode(twice.body)).toBe('INVALID_ARGUMENT');
  });

  it('an edit approves the proposal with the steward’s level and masking rule; bad edits change nothing', async () => {
    const proposal = await propose(MOBILE, 'scanner', { level: 'L3' });
    const before = await versionCount(MOBILE);
    for (const bad of [{ level: 'L9' }, { mask: 'teleport' }, { level: 'L4', mask: '' }]) {
      const res = await w.gql('steward', EDIT, { urn: MOBILE, version: proposal.version, ...bad });
      expect(errorCode(res.body)).toBe('INVALID_ARGUMENT');
    }
    expect(await versionCount(MOBILE)).toBe(before);
    const res = await w.gql('steward', EDIT, { urn: MOBILE, version: proposal.version, level: 'L4', mask: 'mobile' });
    expect(res.body.data?.editLabel).toMatchObject({ version: proposal.version + 1, state: 'APPROVED', level: 'L4', mask: 'mobile' });
    const after = await readMobile();
    expect(after.codes).toEqual([]);
    for (const m of after.mobiles) expect(m).toMatch(/^\d{3}\*{4}\d{4}$/);
  });

  it('another gateway, with its own label store, serves the approval on its next read without a restart', async () => {
    const other = await createLabelStore(w.dbs.control, { listen: true, connectionString: w.dbs.urls.control });
    const app2 = await w.rebuild({ labels: other });
    const read2 = async () => {
      const res = await w.post({ query: '{ enterprises(first: 2) { edges { node { legalRepMobile } } } }' }, { app: app2 });
      const masked = JSON.stringify(res.json()).match(/"\d{3}\*{4}\d{4}"/g)?.length ?? 0;
      return errorCode(res) ?? `served masked: ${masked}`;
    };
    try {
      const proposal = await propose(MOBILE, 'scanner');
      // Its listener reloads on the insert notification: no call to reload() anywhere.
      while (other.get(MOBILE)?.version !== proposal.version) await sleep(10);
      expect(await read2()).toBe('ASSET_NOT_APPROVED');
      const res = await w.gql(stewardB, APPROVE, { urn: MOBILE, version: proposal.version });
      expect(res.body.data?.approveLabel).toMatchObject({ state: 'APPROVED' });
      while (other.get(MOBILE)?.version !== proposal.version + 1) await sleep(10);
      expect(await read2()).toBe('served masked: 2');
    } finally {
      await other.close();
    }
  });

  it('only the current version of an existing asset is decided', async () => {
    const proposal = await propose(ADDRESS, 'scanner');
    await propose(ADDRESS, 'scanner');
    const stale = await w.gql('steward', APPROVE, { urn: ADDRESS, version: proposal.version });
    expect(errorCode(stale.body)).toBe('INVALID_ARGUMENT');
    const unknown = await w.gql('steward', APPROVE, { urn: 'urn:warden:enterprise:public.enterprises.nope', version: 1 });
    expect(errorCode(unknown.body)).toBe('NOT_FOUND');
  });
});
