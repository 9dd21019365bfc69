/** Every filterable field leads an index on its table, so filtered pages never scan a whole store table. */
import type { StoreName } from '@warden/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWarden, type TestWarden } from '../support/warden.js';

let w: TestWarden;
beforeAll(async () => {
  w = await createTestWarden({ enterprises: 5 });
});
afterAll(async () => {
  await w?.close();
});

describe('filters at scale', () => {
  it('every @filter column leads an index of its table', async () => {
    const leading = new Map<StoreName, Set<string>>();
    for (const store of ['enterprise', 'policy', 'investment'] as const) {
      const { rows } = await w.dbs.stores[store].query<{ tbl: string; col: string }>(
        `SELECT t.relname AS tbl, a.attname AS col
           FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
           JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
           JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'`,
      );
      leading.set(store, new Set(rows.map((r) => `${r.tbl}.${r.col}`)));
    }
    let filters = 0;
    for (const b of w.bindings.tables.values()) {
      for (const c of b.columns.values()) {
        if (!c.filter) continue;
        filters += 1;
        expect(leading.get(b.store)?.has(`${b.table}.${c.column}`), `${b.typeName}.${c.field}`).toBe(true);
      }
    }
    expect(filters).toBeGreaterThan(20);
  });
});
