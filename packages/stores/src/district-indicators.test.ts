import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabases, type TestDatabases } from '../../../test/support/databases.js';
import { refreshDistrictIndicators } from './district-indicators.js';
import { seedStores } from './seed/index.js';

describe('district indicators (the L5 fusion)', () => {
  let dbs: TestDatabases;
  beforeAll(async () => {
    dbs = await createTestDatabases();
    await seedStores({ pools: dbs.stores, enterprises: 80, seed: 5, now: new Date('2026-10-01T00:00:00Z') });
  });
  afterAll(async () => {
    await dbs?.drop();
  });

  it('sums enterprises, tax and insured headcount per district, and can be refreshed again', async () => {
    expect(await refreshDistrictIndicators(dbs.stores.enterprise, new Date('2026-11-01T00:00:00Z'))).toBeGreaterThan(0);
    const again = await refreshDistrictIndicators(dbs.stores.enterprise, new Date('2026-11-02T00:00:00Z'));
    const { rows } = await dbs.stores.enterprise.query(
      'SELECT sum(enterprise_count)::int AS n, count(*)::int AS d FROM district_indicators',
    );
    expect(rows[0]).toEqual({ n: 80, d: again });
    const tax = await dbs.stores.enterprise.query(
      'SELECT (SELECT sum(total_tax_paid) FROM district_indicators) = (SELECT sum(tax_paid) FROM tax_records) AS same',
    );
    expect(tax.rows[0].same).toBe(true);
  });
});
