/** Applies the SQL files of one migration set in order, once each, under an advisory lock. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { withBulkClient } from './bulk-client.js';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrations');

export type MigrationSet = 'warden' | 'enterprise' | 'policy' | 'investment';

export async function migrate(pool: pg.Pool, set: MigrationSet, dir = path.join(MIGRATIONS_DIR, set)): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const applied: string[] = [];
  // An index on a large store may take long: no statement timeout here.
  await withBulkClient(pool, async (client) => {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`warden-migrate-${set}`]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS warden_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const done = new Set((await client.query<{ name: string }>('SELECT name FROM warden_migrations')).rows.map((r) => r.name));
      for (const f of files) {
        if (done.has(f)) continue;
        const sql = await readFile(path.join(dir, f), 'utf8');
        await client.query('BEGIN');
        try {
          await client.query(sql);
          await client.query('INSERT INTO warden_migrations(name) VALUES ($1)', [f]);
          await client.query('COMMIT');
          applied.push(f);
        } catch (e) {
          await client.query('ROLLBACK');
          throw new Error(`migration ${set}/${f} failed: ${(e as Error).message}`, { cause: e });
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`warden-migrate-${set}`]).catch(() => {});
    }
  });
  return applied;
}
