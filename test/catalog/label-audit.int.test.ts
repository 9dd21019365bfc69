/** Label changes are audited before they commit: no audit record, no change (fail closed). */
import { createPgAuditSink } from '@warden/audit';
import { createLabelStore, syncCatalog } from '@warden/catalog';
import { loadWardenPolicies } from '@warden/policies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabases, type TestDatabases } from '../support/databases.js';

const URN = 'urn:warden:enterprise:public.enterprises.legal_rep_mobile';
let dbs: TestDatabases;

beforeAll(async () => {
  dbs = await createTestDatabases();
  await syncCatalog(dbs.control, dbs.stores, (await loadWardenPolicies()).labels);
});
afterAll(async () => {
  await dbs?.drop();
});

async function versions(): Promise<number> {
  const { rows } = await dbs.control.query<{ n: number }>('SELECT count(*)::int AS n FROM warden.labels WHERE urn = $1', [URN]);
  return rows[0]?.n ?? 0;
}

describe('label changes', () => {
  it('write an audit event naming the asset, the new version and who changed it', async () => {
    const audit = createPgAuditSink(dbs.control);
    const labels = await createLabelStore(dbs.control, { audit });
    const current = labels.get(URN);
    if (!current) throw new Error('no label');
    const next = await labels.append({ ...current, level: 'L3', proposedBy: 'steward-a', reviewedBy: 'steward-b' });
    await audit.close();
    await labels.close();
    const { rows } = await dbs.control.query(
      "SELECT actor_name, subject, highest_level, detail FROM warden.audit_events WHERE action = 'label.change'",
    );
    expect(rows).toEqual([
      {
        actor_name: 'steward-b',
        subject: URN,
        highest_level: 'L3',
        detail: expect.objectContaining({ version: next.version, level: 'L3', proposedBy: 'steward-a', reviewedBy: 'steward-b' }),
      },
    ]);
  });

  it('do not happen when the audit log cannot record them', async () => {
    const before = await versions();
    const failing = { append: () => Promise.reject(new Error('audit down')), close: async () => {} };
    const labels = await createLabelStore(dbs.control, { audit: failing });
    const current = labels.get(URN);
    if (!current) throw new Error('no label');
    await expect(labels.append({ ...current, level: 'L2', proposedBy: 'steward-a' })).rejects.toThrow('audit down');
    expect(await versions()).toBe(before);
    expect(labels.get(URN)?.level).toBe(current.level);
    await labels.close();
  });
});
