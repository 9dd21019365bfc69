/** Demo data loads that are interrupted are loaded again; real stores with data are left alone. */
import { needsDemoData, seedWithMarker } from '@warden/gateway';
import { seedStores } from '@warden/stores';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabases, type TestDatabases } from '../support/databases.js';

let dbs: TestDatabases;
beforeAll(async () => {
  dbs = await createTestDatabases();
});
afterAll(async () => {
  await dbs?.drop();
});

describe('demo data at start', () => {
  it('is needed by empty stores, and not after a finished load', async () => {
    expect(await needsDemoData(dbs)).toBe(true);
    const summary = await seedWithMarker(dbs, { enterprises: 20, seed: 2 });
    expect(summary.rows.enterprise.enterprises).toBe(20);
    expect(await needsDemoData(dbs)).toBe(false);
  });

  it('is needed again when a load began and never finished, though the stores have rows', async () => {
    await dbs.control.query(`UPDATE warden.settings SET value = '{"state":"started","enterprises":20,"seed":2}' WHERE key = 'seed'`);
    expect(await needsDemoData(dbs)).toBe(true);
    await seedWithMarker(dbs, { enterprises: 20, seed: 2 });
    expect(await needsDemoData(dbs)).toBe(false);
  });

  it('is not needed by stores that hold data Warden did not load', async () => {
    await dbs.control.query(`DELETE FROM warden.settings WHERE key = 'seed'`);
    await seedStores({ pools: dbs.stores, enterprises: 5, seed: 3, now: new Date('2026-11-01T00:00:00Z') });
    expect(await needsDemoData(dbs)).toBe(false);
  });
});
