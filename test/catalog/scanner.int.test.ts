/** The scanner on the real PostgreSQL: proposals for a new table, never approved, re-evaluated on every scan. */
import { type ScanProgress, type ScanResult, scanStore } from '@warden/catalog';
import { fixedClock, isWardenError } from '@warden/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWarden, type TestWarden } from '../support/warden.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** A valid 18-digit resident ID (GB 11643) for sequence number i. */
function residentId(i: number): string {
  const first17 = `110105${1960 + (i % 40)}0${1 + (i % 9)}1${i % 10}${String(i % 1000).padStart(3, '0')}`;
  const sum = WEIGHTS.reduce((s, w, k) => s + w * Number(first17[k]), 0);
  return first17 + '10X98765432'[sum % 11];
}
const mobile = (i: number) => `13${(i % 7) + 3}${String(10_000_000 + i * 7919).slice(-8)}`;
const REMARKS = [
  '年度报告已经按时提交，经营情况正常',
  'The company renewed its licence this year',
  '无',
  '待核实的材料已经补充完整，没有发现问题',
];

const URN = (c: string) => `urn:warden:enterprise:public.legal_rep_contacts.${c}`;
const clock = fixedClock(new Date('2026-11-29T00:00:00Z'));

let w: TestWarden;
beforeAll(async () => {
  w = await createTestWarden({ enterprises: 20 });
  const db = w.dbs.stores.enterprise;
  await db.query('CREATE TYPE geo_pair AS (lat float8, lon float8)');
  await db.query(
    'CREATE TABLE legal_rep_contacts (id serial PRIMARY KEY, id_no text, mobile text, remarks text, photo bytea, place geo_pair)',
  );
  const n = 300;
  await db.query(
    `INSERT INTO legal_rep_contacts (id_no, mobile, remarks, photo, place)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS x(i, m, r), LATERAL (SELECT '\\x00ff'::bytea, ROW(39.9, 116.4)::geo_pair) y`,
    [
      Array.from({ length: n }, (_, i) => residentId(i)),
      Array.from({ length: n }, (_, i) => mobile(i)),
      Array.from({ length: n }, (_, i) => REMARKS[i % REMARKS.length]),
    ],
  );
});
afterAll(async () => {
  await w?.close();
});

const scan = (store = 'enterprise', progress?: ScanProgress) =>
  scanStore({
    control: w.dbs.control,
    pool: w.dbs.stores.enterprise,
    store,
    labels: w.labels,
    policies: w.policies,
    sampleSize: 100,
    progress,
    clock,
  });
const col = (r: ScanResult, c: string) => r.columns.find((x) => x.urn === URN(c));
const versions = async () => (await w.dbs.control.query<{ n: number }>('SELECT count(*)::int AS n FROM warden.labels')).rows[0]?.n;

describe('scanning a store', () => {
  let first: ScanResult;
  it('proposes L4 for resident IDs and L3 for mobiles of a new table, PENDING_REVIEW with evidence, and registers its assets', async () => {
    const ticks: string[] = [];
    let total = 0;
    first = await scan('enterprise', { start: (t) => (total = t), tick: (c) => ticks.push(c), stop: () => {} });
    expect(first.newAssets).toEqual(
      expect.arrayContaining([
        'urn:warden:enterprise:public.legal_rep_contacts',
        URN('id_no'),
        URN('mobile'),
        URN('remarks'),
        URN('photo'),
      ]),
    );
    expect(col(first, 'id_no')).toMatchObject({
      type: 'resident-id',
      category: 'enterprise.person.id_number',
      level: 'L4',
      outcome: 'proposed',
      evidence: { sampled: 100, hits: 100, hitRatio: 1 },
    });
    expect(col(first, 'mobile')).toMatchObject({ type: 'mobile', category: 'enterprise.contact.mobile', level: 'L3', outcome: 'proposed' });
    expect(col(first, 'mobile')?.evidence.hint).toMatchObject({ type: 'mobile' });
    expect(col(first, 'id_no')?.confidence).toBeGreaterThanOrEqual(0.95);
    expect(first.appended).toBe(2);
    expect(total).toBe(ticks.length);
    expect(ticks).toContain('legal_rep_contacts.mobile');

    expect(w.labels.get(URN('id_no'))).toMatchObject({ state: 'PENDING_REVIEW', level: 'L4', pi: 'sensitive_pi', mask: 'resident_id' });
    expect(w.labels.get(URN('mobile'))).toMatchObject({ state: 'PENDING_REVIEW', level: 'L3', mask: 'mobile' });
    const { rows } = await w.dbs.control.query(
      'SELECT proposed_by, reviewed_by, basis FROM warden.labels WHERE urn = $1 ORDER BY version',
      [URN('id_no')],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      proposed_by: 'scanner',
      reviewed_by: null,
      basis: { scanner: { type: 'resident-id', sampled: 100, hits: 100, hitRatio: 1, scannedAt: '2026-11-29T00:00:00.000Z' } },
    });
  });

  it('leaves the approved default labels as they are: no finding, nothing appended for them', () => {
    expect(first.findings).toEqual([]);
    expect(first.columns.find((c) => c.urn.endsWith('enterprises.legal_rep_id_number'))).toMatchObject({
      outcome: 'approved',
      level: 'L4',
    });
  });

  it('makes no sensitive proposal for a column of free text', () => {
    expect(col(first, 'remarks')).toMatchObject({ outcome: 'none', evidence: { sampled: 100 } });
    expect(col(first, 'remarks')?.type).toBeUndefined();
    expect(w.labels.get(URN('remarks'))).toBeUndefined();
  });

  it('reports columns of unreadable types (bytea, a composite) as skipped and scans the rest', () => {
    expect(first.skipped).toEqual(
      expect.arrayContaining([
        { urn: URN('photo'), dataType: 'bytea', reason: 'type bytea cannot be read as text for classification' },
        { urn: URN('place'), dataType: 'geo_pair', reason: 'type geo_pair cannot be read as text for classification' },
      ]),
    );
    expect(col(first, 'photo')).toBeUndefined();
    expect(w.labels.get(URN('photo'))).toBeUndefined();
  });

  it('does not serve the proposed columns: no approved label, not in the GraphQL schema', async () => {
    for (const c of ['id_no', 'mobile']) expect(w.labels.get(URN(c))?.state).not.toBe('APPROVED');
    const res = await w.gql('app', '{ legalRepContacts(first: 1) { edges { node { idNo mobile } } } }');
    expect(res.body.data ?? undefined).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toMatch(/1101\d{14}/);
  });

  it('appends nothing when re-scanning unchanged data', async () => {
    const before = await versions();
    const again = await scan();
    expect(again.appended).toBe(0);
    expect(again.newAssets).toEqual([]);
    expect(col(again, 'id_no')).toMatchObject({ outcome: 'unchanged', level: 'L4' });
    expect(await versions()).toBe(before);
  });

  it('re-evaluates a proposal when the sample changes: a new PENDING_REVIEW version, never sticky', async () => {
    await w.dbs.stores.enterprise.query(`UPDATE legal_rep_contacts SET mobile = 'rep' || id || '@example.com'`);
    const changed = await scan();
    expect(changed.appended).toBe(1);
    expect(col(changed, 'mobile')).toMatchObject({ type: 'email', category: 'enterprise.contact.email', level: 'L3', outcome: 'proposed' });
    expect(w.labels.get(URN('mobile'))).toMatchObject({ state: 'PENDING_REVIEW', category: 'enterprise.contact.email', version: 2 });
  });

  it('returns an approved label whose level differs from the detected one as a finding candidate and appends nothing', async () => {
    const current = w.labels.get(URN('id_no'));
    if (!current) throw new Error('no label');
    await w.labels.append({ ...current, level: 'L2', state: 'APPROVED', proposedBy: 'test', reviewedBy: 'test-steward' });
    const before = await versions();
    const r = await scan();
    expect(r.findings).toEqual([
      {
        urn: URN('id_no'),
        approved: { category: 'enterprise.person.id_number', level: 'L2', version: current.version + 1 },
        detected: { type: 'resident-id', category: 'enterprise.person.id_number', level: 'L4', confidence: expect.any(Number) },
      },
    ]);
    expect(col(r, 'id_no')?.outcome).toBe('finding');
    expect(await versions()).toBe(before);
    expect(w.labels.get(URN('id_no'))).toMatchObject({ state: 'APPROVED', level: 'L2' });
  });

  it('refuses an unknown store with UNKNOWN_STORE and changes nothing', async () => {
    const assets = async () => (await w.dbs.control.query<{ n: number }>('SELECT count(*)::int AS n FROM warden.assets')).rows[0]?.n;
    const [a, v] = [await assets(), await versions()];
    const err = await scan('payroll').catch((e: unknown) => e);
    expect(isWardenError(err) && err.code).toBe('UNKNOWN_STORE');
    expect([await assets(), await versions()]).toEqual([a, v]);
  });

  it('refuses a sample size that is not a positive integer', async () => {
    const err = await scanStore({
      control: w.dbs.control,
      pool: w.dbs.stores.enterprise,
      store: 'enterprise',
      labels: w.labels,
      sampleSize: 0,
      clock,
    }).catch((e: unknown) => e);
    expect(isWardenError(err) && err.code).toBe('INVALID_ARGUMENT');
  });
});
