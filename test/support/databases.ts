/** Fresh, migrated databases for one test file on the run's real PostgreSQL server. */
import { randomBytes } from 'node:crypto';
import { STORES, type StoreName } from '@warden/core';
import { type Databases, ensureDatabase, gatewayLogin, openDatabases, withDatabase } from '@warden/stores';
import pg from 'pg';
import { inject } from 'vitest';

export interface TestDatabases extends Databases {
  names: { control: string; stores: Record<StoreName, string> };
  baseUrl: string;
  drop(): Promise<void>;
}

export async function createTestDatabases(): Promise<TestDatabases> {
  const baseUrl = inject('pgBaseUrl');
  const tag = `t${randomBytes(5).toString('hex')}`;
  const names = {
    control: `${tag}_warden`,
    stores: Object.fromEntries(STORES.map((s) => [s, `${tag}_${s}`])) as Record<StoreName, string>,
  };
  const dbs = await openDatabases({ baseUrl, names, poolSize: 5 });
  return {
    ...dbs,
    names,
    baseUrl,
    drop: async () => {
      await dbs.close();
      await dropDatabases(baseUrl, [names.control, ...Object.values(names.stores)]);
    },
  };
}

/** Drops the named databases (those missing too) on the server of `baseUrl`, closing their connections, and their gateway logins. */
export async function dropDatabases(baseUrl: string, names: readonly string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: withDatabase(baseUrl, 'postgres') });
  await admin.connect();
  try {
    for (const n of names) await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(n)} WITH (FORCE)`);
    // A server that served a control database left its gateway login (roles are cluster-wide).
    for (const n of names) await admin.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(gatewayLogin(n))}`);
  } finally {
    await admin.end();
  }
}

export interface OwnDatabases {
  /** This run's PostgreSQL server (any database). */
  base: string;
  names: Record<'control' | StoreName, string>;
  /** DATABASE_URL and the `<STORE>_DATABASE_URL`s pointing Warden at these databases. */
  env: Record<string, string>;
  /** Creates the (empty) store databases; Warden creates and migrates its control database itself. */
  ensureStores(): Promise<void>;
  /** Drops them all, and the gateway login of the control database. */
  drop(): Promise<void>;
}

/** Names of fresh databases (`<tagLetter><random>_…`) for a Warden process of one test file, on this run's PostgreSQL. */
export function ownDatabases(tagLetter: string): OwnDatabases {
  const base = inject('pgBaseUrl');
  const tag = `${tagLetter}${randomBytes(4).toString('hex')}`;
  const names = { control: `${tag}_control`, ...Object.fromEntries(STORES.map((s) => [s, `${tag}_${s}`])) } as Record<
    'control' | StoreName,
    string
  >;
  return {
    base,
    names,
    env: {
      DATABASE_URL: withDatabase(base, names.control),
      ...Object.fromEntries(STORES.map((s) => [`${s.toUpperCase()}_DATABASE_URL`, withDatabase(base, names[s])])),
    },
    ensureStores: async () => {
      for (const s of STORES) await ensureDatabase(base, names[s]);
    },
    drop: () => dropDatabases(base, Object.values(names)),
  };
}
