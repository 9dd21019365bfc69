import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabases, type TestDatabases } from '../../../test/support/databases.js';
import { migrate } from './migrate.js';

describe('store databases', () => {
  let dbs: TestDatabases;
  beforeAll(async () => {
    dbs = await createTestDatabases();
  });
  afterAll(async () => {
    await dbs?.drop();
  });

  it('creates the three stores with their own tables', async () => {
    const tables = async (pool: typeof dbs.control) =>
      (
        await pool.query<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")
      ).rows.map((r) => r.t);
    expect(await tables(dbs.stores.enterprise)).toContain('enterprises');
    expect(await tables(dbs.stores.policy)).toContain('policy_documents');
    expect(await tables(dbs.stores.investment)).toContain('investors');
    expect(await tables(dbs.stores.policy)).not.toContain('enterprises');
  });

  it('applies each migration once, however often it runs', async () => {
    expect(await migrate(dbs.control, 'warden')).toEqual([]);
    const { rows } = await dbs.control.query('SELECT count(*)::int AS n FROM warden_migrations');
    expect(rows[0].n).toBeGreaterThan(0);
  });
});
