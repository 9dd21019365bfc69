/** With DATABASE_URL and per-store URLs, Warden uses those servers and starts no embedded PostgreSQL. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@warden/core';
import { openRuntime } from '@warden/gateway';
import { afterAll, describe, expect, it } from 'vitest';
import { ownDatabases } from '../support/databases.js';

const dbs = ownDatabases('r');
const home = mkdtempSync(path.join(os.tmpdir(), 'warden-runtime-'));

afterAll(async () => {
  await dbs.drop();
  rmSync(home, { recursive: true, force: true });
});

describe('Warden on existing PostgreSQL servers', () => {
  it('migrates and labels the given databases, starts no embedded server, and keeps its data on restart', async () => {
    await dbs.ensureStores();
    const env: Record<string, string> = { WARDEN_HOME: home, ...dbs.env };
    const first = await openRuntime(loadConfig(env));
    try {
      expect(first.embedded).toBeUndefined();
      expect(first.dbs.urls.control).toBe(env.DATABASE_URL);
      expect(first.dbs.urls.stores.policy).toBe(env.POLICY_DATABASE_URL);
      expect(first.catalog.labelsCreated).toBeGreaterThan(100);
      expect(first.catalog.unlabelled).toEqual([]);
      const { rows } = await first.dbs.stores.enterprise.query("SELECT to_regclass('public.enterprises') IS NOT NULL AS present");
      expect(rows[0].present).toBe(true);
      await first.principals.create({ name: 'kept-app', roles: ['app'] });
    } finally {
      await first.close();
    }
    const second = await openRuntime(loadConfig(env));
    try {
      expect(second.catalog.labelsCreated).toBe(0);
      expect((await second.principals.list()).map((p) => p.name)).toContain('kept-app');
    } finally {
      await second.close();
    }
  });

  it('refuses a configuration that is not a PostgreSQL URL, naming every problem', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty', WARDEN_TLS_CERT: '/tmp/c.pem' })).toThrow(
      /DATABASE_URL must be a postgres:\/\/ URL.*PORT must be an integer|PORT must be an integer.*DATABASE_URL must be a postgres/,
    );
  });
});
