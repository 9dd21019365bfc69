/**
 * `warden scan` as an operator runs it, on a fresh WARDEN_HOME over this run's
 * PostgreSQL (so the test can add a table as a data owner would): an unknown
 * store exits 2 with UNKNOWN_STORE and changes nothing; a scan proposes
 * PENDING_REVIEW labels for the new table's resident IDs and mobiles.
 */
import { rmSync } from 'node:fs';
import { STORES } from '@warden/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabases, type TestDatabases } from '../support/databases.js';
import { type WardenHome, wardenHome } from '../support/warden-process.js';

let dbs: TestDatabases;
let w: WardenHome;
const count = async (table: string) =>
  (await dbs.control.query<{ n: number }>(`SELECT count(*)::int AS n FROM warden.${table}`)).rows[0]?.n;

beforeAll(async () => {
  dbs = await createTestDatabases();
  w = wardenHome('warden-scan-cli-', {
    DATABASE_URL: dbs.urls.control,
    ...Object.fromEntries(STORES.map((s) => [`${s.toUpperCase()}_DATABASE_URL`, dbs.urls.stores[s]])),
  });
  await dbs.stores.enterprise.query('CREATE TABLE shareholder_contacts (id serial PRIMARY KEY, sfzh text, lxdh text, note text)');
  await dbs.stores.enterprise.query(
    `INSERT INTO shareholder_contacts (sfzh, lxdh, note)
     SELECT '11010519491231002X', '138' || lpad((g * 7919 % 100000000)::text, 8, '0'), 'renewed in ' || g FROM generate_series(1, 50) g`,
  );
});
afterAll(async () => {
  await dbs?.drop();
  if (w) rmSync(w.home, { recursive: true, force: true });
});

describe('warden scan', () => {
  it('refuses an unknown store with UNKNOWN_STORE (exit 2) and changes nothing', async () => {
    const [assets, labels] = [await count('assets'), await count('labels')];
    const r = w.run('scan', 'payroll');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('UNKNOWN_STORE');
    expect(r.stderr).toContain('payroll');
    expect([await count('assets'), await count('labels')]).toEqual([assets, labels]);
  });

  it('proposes PENDING_REVIEW L4 and L3 labels for an added table and prints the summary', async () => {
    const r = w.run('scan', 'enterprise', '--sample', '20');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Store enterprise: \d+ tables, \d+ columns scanned, \d+ new assets, 2 proposals appended\./);
    expect(r.stdout).toMatch(/shareholder_contacts\.sfzh\s+enterprise\.person\.id_number\s+L4\s+[01]\.\d\d\s+proposed/);
    expect(r.stdout).toMatch(/shareholder_contacts\.lxdh\s+enterprise\.contact\.mobile\s+L3\s+[01]\.\d\d\s+proposed/);
    expect(r.stdout).toMatch(/shareholder_contacts\.note\s+-\s+-\s+-\s+none/);
    const { rows } = await dbs.control.query(
      `SELECT urn, state, level, proposed_by FROM warden.current_labels WHERE urn LIKE '%shareholder_contacts%' ORDER BY urn`,
    );
    expect(rows).toEqual([
      { urn: 'urn:warden:enterprise:public.shareholder_contacts.lxdh', state: 'PENDING_REVIEW', level: 'L3', proposed_by: 'scanner' },
      { urn: 'urn:warden:enterprise:public.shareholder_contacts.sfzh', state: 'PENDING_REVIEW', level: 'L4', proposed_by: 'scanner' },
    ]);
  });

  it('refuses a sample size that is not a positive integer (exit 2)', () => {
    const r = w.run('scan', 'enterprise', '--sample', '0');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--sample must be a positive integer');
  });
});
