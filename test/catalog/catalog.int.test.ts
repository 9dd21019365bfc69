import { createLabelStore, syncCatalog } from '@warden/catalog';
import { loadWardenPolicies } from '@warden/policies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabases, type TestDatabases } from '../support/databases.js';

let dbs: TestDatabases;
beforeAll(async () => {
  dbs = await createTestDatabases();
});
afterAll(async () => {
  await dbs?.drop();
});

describe('syncing the catalog', () => {
  it('registers every column as an asset and approves the default labels on first start only', async () => {
    const policies = await loadWardenPolicies();
    const first = await syncCatalog(dbs.control, dbs.stores, policies.labels);
    expect(first.labelsCreated).toBe(policies.labels.length);
    expect(first.unlabelled).toEqual([]);
    expect(first.missing).toEqual([]);
    const { rows } = await dbs.control.query('SELECT kind, count(*)::int AS n FROM warden.assets GROUP BY kind ORDER BY kind');
    expect(rows).toEqual([
      { kind: 'column', n: policies.labels.length },
      { kind: 'source', n: 3 },
      { kind: 'table', n: 18 },
    ]);
    const label = (
      await dbs.control.query("SELECT * FROM warden.labels WHERE urn = 'urn:warden:enterprise:public.enterprises.legal_rep_id_number'")
    ).rows[0];
    expect(label).toMatchObject({
      level: 'L4',
      state: 'APPROVED',
      mask: 'resident_id',
      pi: 'sensitive_pi',
      version: 1,
      proposed_by: 'policy:default',
    });
    const again = await syncCatalog(dbs.control, dbs.stores, policies.labels);
    expect(again.labelsCreated).toBe(0);
  });

  it('finds a new column without a label and leaves it unlabelled (not served)', async () => {
    const policies = await loadWardenPolicies();
    await dbs.stores.enterprise.query('ALTER TABLE enterprises ADD COLUMN nickname text');
    try {
      const r = await syncCatalog(dbs.control, dbs.stores, policies.labels);
      expect(r.unlabelled).toEqual(['urn:warden:enterprise:public.enterprises.nickname']);
      expect(r.columns).toContain('urn:warden:enterprise:public.enterprises.nickname');
      const labels = await createLabelStore(dbs.control);
      expect(labels.get('urn:warden:enterprise:public.enterprises.nickname')).toBeUndefined();
      await labels.close();
    } finally {
      await dbs.stores.enterprise.query('ALTER TABLE enterprises DROP COLUMN nickname');
    }
  });

  it('reports a default label whose column is missing from the store', async () => {
    const policies = await loadWardenPolicies();
    const ghost = { ...policies.labels[0], column: 'ghost_column' } as (typeof policies.labels)[number];
    const r = await syncCatalog(dbs.control, dbs.stores, [...policies.labels, ghost]);
    expect(r.missing).toEqual([`urn:warden:${ghost.store}:${ghost.schema}.${ghost.table}.ghost_column`]);
  });
});

describe('the label store', () => {
  it('versions labels append-only and sees its own change at once', async () => {
    const labels = await createLabelStore(dbs.control);
    const urn = 'urn:warden:policy:public.policy_drafts.draft_body';
    const before = labels.get(urn);
    if (!before) throw new Error('missing label');
    const v = labels.version;
    const next = await labels.append({
      ...before,
      level: 'L4',
      proposedBy: 'steward-a',
      reviewedBy: 'steward-b',
      note: 'internal draft of a restricted notice',
    });
    expect(next.version).toBe(before.version + 1);
    expect(labels.get(urn)?.level).toBe('L4');
    expect([...labels.all()].filter((l) => l.urn === urn)).toEqual([next]);
    expect(labels.version).toBeGreaterThan(v);
    const history = await dbs.control.query('SELECT version, level FROM warden.labels WHERE urn = $1 ORDER BY version', [urn]);
    expect(history.rows).toEqual([
      { version: 1, level: 'L3' },
      { version: 2, level: 'L4' },
    ]);
    await labels.close();
  });

  it('another gateway sees a label change through LISTEN/NOTIFY without a restart', async () => {
    const writer = await createLabelStore(dbs.control);
    const reader = await createLabelStore(dbs.control, { listen: true, connectionString: dbs.urls.control });
    const urn = 'urn:warden:investment:public.investors.risk_level';
    const before = reader.get(urn);
    if (!before) throw new Error('missing label');
    await writer.append({ ...before, state: 'RECHECK_DUE', proposedBy: 'scheduler' });
    while (reader.get(urn)?.state !== 'RECHECK_DUE') await new Promise((r) => setTimeout(r, 10)); // bounded by the test timeout only
    expect(reader.get(urn)?.state).toBe('RECHECK_DUE');
    await writer.close();
    await reader.close();
  });
});

describe('the label listener', () => {
  it('reconnects after its connection is killed and catches up on changes it missed', async () => {
    const writer = await createLabelStore(dbs.control);
    const reader = await createLabelStore(dbs.control, {
      listen: true,
      connectionString: dbs.urls.control,
      reconnectMs: 50,
      onError: () => {},
    });
    const urn = 'urn:warden:investment:public.investors.asset_proof';
    const before = reader.get(urn);
    if (!before) throw new Error('missing label');
    await dbs.control.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN warden_labels' AND datname = current_database()",
    );
    await writer.append({ ...before, state: 'PENDING_REVIEW', proposedBy: 'steward-a' }); // while the listener is down
    while (reader.get(urn)?.state !== 'PENDING_REVIEW') await new Promise((r) => setTimeout(r, 10)); // bounded by the test timeout only
    expect(reader.get(urn)?.state).toBe('PENDING_REVIEW');
    await writer.close();
    await reader.close();
  });
});
