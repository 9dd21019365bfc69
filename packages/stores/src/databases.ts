/**
 * Connection wiring for the control plane and the three stores: with explicit
 * URLs, those servers; otherwise databases on one base server (embedded or
 * DATABASE_URL's server), created on first use and migrated.
 */
import { STORES, type StoreName } from '@warden/core';
import pg from 'pg';
import { migrate } from './migrate.js';

/**
 * Value types as Warden serves them, per pool (no global parser changes):
 * int8 ids as numbers, dates as `YYYY-MM-DD`, timestamps as ISO-8601 UTC,
 * numeric as exact strings (pg's default).
 */
const OID = { int8: 20, date: 1082, timestamp: 1114, timestamptz: 1184 } as const;
export const storeTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === OID.int8) return (v: string) => Number(v);
    if (oid === OID.date) return (v: string) => v;
    if (oid === OID.timestamptz) return (v: string) => new Date(v).toISOString();
    if (oid === OID.timestamp) return (v: string) => v.replace(' ', 'T');
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export interface Databases {
  control: pg.Pool;
  stores: Record<StoreName, pg.Pool>;
  urls: { control: string; stores: Record<StoreName, string> };
  close(): Promise<void>;
}

export interface DatabaseNames {
  control: string;
  stores: Record<StoreName, string>;
}

export const DEFAULT_NAMES: DatabaseNames = {
  control: 'warden',
  stores: { enterprise: 'enterprise', policy: 'policy', investment: 'investment' },
};

export function withDatabase(baseUrl: string, db: string): string {
  const u = new URL(baseUrl);
  u.pathname = `/${db}`;
  return u.toString();
}

/**
 * Creates whichever of `names` the server at `baseUrl` lacks, over one admin
 * connection. A database another process creates meanwhile is no error.
 */
export async function ensureDatabases(baseUrl: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const client = new pg.Client({ connectionString: withDatabase(baseUrl, 'postgres') });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1)', [names]);
    const present = new Set(rows.map((r) => r.datname));
    for (const name of new Set(names)) {
      if (present.has(name)) continue;
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`).catch((e: { code?: string }) => {
        if (e.code !== '42P04') throw e; // created concurrently
      });
    }
  } finally {
    await client.end();
  }
}

export async function ensureDatabase(baseUrl: string, name: string): Promise<void> {
  await ensureDatabases(baseUrl, [name]);
}

export interface OpenOptions {
  /** Server to create databases on (embedded or DATABASE_URL without a database). */
  baseUrl: string;
  /** URL of the control-plane database when DATABASE_URL names one. */
  controlUrl?: string;
  storeUrls?: Partial<Record<StoreName, string>>;
  names?: DatabaseNames;
  poolSize?: number;
  migrate?: boolean;
  /** Per-statement limits for serving (a stalled database must not hang every request); none for bulk work. */
  statementTimeoutMs?: { control: number; stores: number };
}

export async function openDatabases(opts: OpenOptions): Promise<Databases> {
  const names = opts.names ?? DEFAULT_NAMES;
  const controlUrl = opts.controlUrl ?? withDatabase(opts.baseUrl, names.control);
  /** Databases to create on the base server, all over one connection. */
  const onBase: string[] = [];
  if (opts.controlUrl) {
    // DATABASE_URL names the control database; create it on its server when it is missing.
    const u = new URL(opts.controlUrl);
    const name = decodeURIComponent(u.pathname.slice(1));
    if (name) await ensureDatabase(opts.controlUrl, name);
  } else onBase.push(names.control);
  const storeUrls = {} as Record<StoreName, string>;
  for (const s of STORES) {
    const explicit = opts.storeUrls?.[s];
    if (explicit) storeUrls[s] = explicit;
    else {
      onBase.push(names.stores[s]);
      storeUrls[s] = withDatabase(opts.baseUrl, names.stores[s]);
    }
  }
  await ensureDatabases(opts.baseUrl, onBase);
  const max = opts.poolSize ?? 10;
  const limits = (ms: number | undefined) => ({ connectionTimeoutMillis: 10_000, ...(ms ? { statement_timeout: ms } : {}) });
  const control = new pg.Pool({ connectionString: controlUrl, max, ...limits(opts.statementTimeoutMs?.control) });
  const stores = Object.fromEntries(
    STORES.map((s) => [
      s,
      new pg.Pool({ connectionString: storeUrls[s], max, types: storeTypes, ...limits(opts.statementTimeoutMs?.stores) }),
    ]),
  ) as Record<StoreName, pg.Pool>;
  for (const p of [control, ...Object.values(stores)]) p.on('error', () => {}); // idle-client errors surface on next use
  if (opts.migrate !== false) {
    await migrate(control, 'warden');
    for (const s of STORES) await migrate(stores[s], s);
  }
  return {
    control,
    stores,
    urls: { control: controlUrl, stores: storeUrls },
    close: async () => {
      await Promise.all([control.end(), ...Object.values(stores).map((p) => p.end())]);
    },
  };
}
