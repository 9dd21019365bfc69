/** With DATABASE_URL and per-store URLs, Warden uses those servers and starts no embedded PostgreSQL. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, STORES } from '@warden/core';
import { openRuntime } from '@warden/gateway';
import { ensureDatabase, withDatabase } from '@warden/stores';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { dropDatabases } from '../support/databases.js';

const base = inject('pgBaseUrl');
const tag = `r${randomBytes(4).toString('hex')}`;
const home = mkdtempSync(path.join(os.tmpdir(), 'warden-runtime-'));
const names = [`${tag}_control`, ...STORES.map((s) => `${tag}_${s}_store`)];

afterAll(async () => {
  await dropDatabases(base, names);
  rmSync(home, { recursive: true, force: true });
});

describe('Warden on existing PostgreSQL servers', () => {
  it('migrates and labels the given databases, starts no embedded server, and keeps its data on restart', async () => {
    for (const s of STORES) await ensureDatabase(base, `${tag}_${s}_store`);
    const env = {
      WARDEN_HOME: home,
      DATABASE_URL: withDatabase(base, `${tag}_control`),
      ENTERPRISE_DATABASE_URL: withDatabase(base, `${tag}_enterprise_store`),
      POLICY_DATABASE_URL: withDatabase(base, `${tag}_policy_store`),
      INVESTMENT_DATABASE_URL: withDatabase(base, `${tag}_investment_store`),
    };
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
