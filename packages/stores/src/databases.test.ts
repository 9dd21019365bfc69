import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabases, type TestDatabases } from '../../../test/support/databases.js';
import pg from 'pg';
import { ensureDatabases, openDatabases, withDatabase } from './databases.js';
import { migrate } from './migrate.js';
import { seedStores } from './seed/seed-stores.js';

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

  it('bulk work lifts a serving statement timeout only while it runs, and hands back connections with it', async () => {
    const serving = await openDatabases({
      baseUrl: dbs.baseUrl,
      names: dbs.names,
      poolSize: 2,
      statementTimeoutMs: { control: 4321, stores: 4321 },
    });
    try {
      await migrate(serving.control, 'warden');
      await seedStores({ pools: serving.stores, enterprises: 10, seed: 3, now: new Date('2026-11-01T00:00:00Z') }); // COPY, ANALYZE, the district refresh
      for (const pool of [serving.control, ...Object.values(serving.stores)]) {
        // Both connections of each pool at once: every one the bulk work used must carry the limit again.
        const clients = await Promise.all([pool.connect(), pool.connect()]);
        try {
          for (const c of clients) expect((await c.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe('4321ms');
        } finally {
          for (const c of clients) c.release();
        }
      }
    } finally {
      await serving.close();
    }
  });

  it('creates only the databases the server lacks, and does nothing the second time', async () => {
    const extra = [`${dbs.names.control}_extra1`, `${dbs.names.control}_extra2`];
    const admin = new pg.Client({ connectionString: withDatabase(dbs.baseUrl, 'postgres') });
    await admin.connect();
    try {
      const existing = async () =>
        (
          await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1) ORDER BY 1', [
            [dbs.names.control, ...extra],
          ])
        ).rows.map((r) => r.datname);
      expect(await existing()).toEqual([dbs.names.control]);
      await ensureDatabases(dbs.baseUrl, [dbs.names.control, ...extra, extra[0] as string]);
      expect(await existing()).toEqual([dbs.names.control, ...extra]);
      await ensureDatabases(dbs.baseUrl, extra);
      await ensureDatabases(dbs.baseUrl, []);
      expect(await existing()).toEqual([dbs.names.control, ...extra]);
    } finally {
      for (const n of extra) await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(n)} WITH (FORCE)`);
      await admin.end();
    }
  });
});
