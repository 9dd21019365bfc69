/**
 * The benchmark environment: a real PostgreSQL (embedded under
 * .warden-bench/, or DATABASE_URL's server), fresh databases with the
 * project's migrations, seeded data, synced catalog and labels.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuditSink } from '@warden/audit';
import { inTransaction, STORES, type StoreName } from '@warden/core';
import { build, openControlPlane } from '@warden/gateway';
import { loadWardenPolicies } from '@warden/policies';
import { type EmbeddedServer, openDatabases, seedStores, startEmbeddedPostgres } from '@warden/stores';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface BenchEnv {
  warden: FastifyInstance;
  appKey: string;
  storeUrl(store: StoreName): string;
  close(): Promise<void>;
}

/** Benchmark only, never in the product: an audit sink whose append resolves at once (the cost of the audit write, measured by difference). */
const NO_AUDIT: AuditSink = { append: async () => {}, close: async () => {} };

/** Empties the audit tables (owner only, triggers off for the one transaction). */
export async function resetAuditLog(pool: pg.Pool): Promise<void> {
  await inTransaction(pool, async (c) => {
    await c.query('ALTER TABLE warden.audit_events DISABLE TRIGGER USER');
    await c.query('ALTER TABLE warden.audit_checkpoints DISABLE TRIGGER USER');
    await c.query('TRUNCATE warden.audit_events, warden.audit_checkpoints');
    await c.query('ALTER TABLE warden.audit_events ENABLE TRIGGER USER');
    await c.query('ALTER TABLE warden.audit_checkpoints ENABLE TRIGGER USER');
  });
}

/** `audit: false` serves with an audit sink that does nothing (the audit on/off comparison). */
export async function openBenchEnv(opts: { enterprises: number; audit?: boolean }): Promise<BenchEnv> {
  let embedded: EmbeddedServer | undefined;
  let baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    embedded = await startEmbeddedPostgres({ dir: path.join(root, '.warden-bench', 'pg') });
    baseUrl = embedded.baseUrl;
  }
  const names = { control: 'bench_warden', stores: Object.fromEntries(STORES.map((s) => [s, `bench_${s}`])) as Record<StoreName, string> };
  const dbs = await openDatabases({ baseUrl, names, poolSize: 10 });
  const { rows } = await dbs.stores.enterprise.query('SELECT count(*)::int AS n FROM enterprises');
  if (rows[0].n !== opts.enterprises) {
    await seedStores({ pools: dbs.stores, enterprises: opts.enterprises, seed: 1, now: new Date() });
    await dbs.stores.enterprise.query('VACUUM ANALYZE enterprises');
  }
  // Every run starts from the same audit table size, so runs compare. The table is insert-only:
  // the bench, as the owner, resets it behind the triggers (exactly what `warden audit verify` exists to catch).
  await resetAuditLog(dbs.control);
  const policies = await loadWardenPolicies();
  const plane = await openControlPlane(dbs, policies);
  const name = `bench-app-${randomBytes(3).toString('hex')}`;
  const { apiKey } = await plane.principals.create({ name, roles: ['app'] });
  const warden = await build({
    ...plane,
    ...(opts.audit === false ? { audit: NO_AUDIT } : {}),
    policies,
    pools: dbs,
    cursorKey: randomBytes(32),
    hmacKey: randomBytes(32),
    jit: 1,
    rateLimit: { max: 1_000_000_000, windowMs: 60_000 }, // measured, never reached
  });
  return {
    warden,
    appKey: apiKey,
    storeUrl: (s) => dbs.urls.stores[s],
    async close() {
      await warden.close();
      await plane.close();
      await dbs.close();
      await embedded?.stop();
    },
  };
}
