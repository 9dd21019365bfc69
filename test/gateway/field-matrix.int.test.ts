/**
 * The generated matrix: every field of every store type, for every role,
 * fetched through the gateway and compared with what the disclosure decision
 * says it must be — the raw value (CLEAR), the configured mask of the raw
 * value (MASK), or null with the decision's error code (DENY). A role
 * without the right to read store data is refused the whole operation.
 * And every filterable field leads an index on its table, so filtered pages
 * never scan a whole store table.
 */
import { decideDisclosure, labelInContext } from '@warden/access';
import type { StoreName } from '@warden/core';
import type { TableBinding } from '@warden/gateway';
import { compileMask } from '@warden/mask';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWarden, ROLES, type RoleName, type TestWarden } from '../support/warden.js';

let w: TestWarden;
beforeAll(async () => {
  w = await createTestWarden({ enterprises: 40 });
});
afterAll(async () => {
  await w?.close();
});

function served(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  return Array.isArray(v) ? v.map((x) => (x === null ? null : String(x))) : String(v);
}

interface Access {
  query: string;
  /** Path from data to the connection holding the rows. */
  path: string[];
  sql: string;
  params: unknown[];
}

async function accessFor(b: TableBinding): Promise<Access> {
  const fields = [...b.columns.keys()].join(' ');
  const table = `${pg.escapeIdentifier(b.schema)}.${pg.escapeIdentifier(b.table)}`;
  const root = [...w.bindings.roots.values()].find((r) => r.typeName === b.typeName && r.kind === 'list');
  if (root) {
    return {
      query: `{ ${root.field}(first: 3) { edges { node { ${fields} } } } }`,
      path: [root.field],
      sql: `SELECT * FROM ${table} ORDER BY id LIMIT 3`,
      params: [],
    };
  }
  for (const parent of w.bindings.tables.values()) {
    const rel = [...parent.relations.values()].find((r) => r.childType === b.typeName);
    const get = [...w.bindings.roots.values()].find((r) => r.typeName === parent.typeName && r.kind === 'get');
    if (!rel || !get) continue;
    const fk = pg.escapeIdentifier(rel.foreignKey);
    const { rows } = await w.dbs.stores[b.store].query(
      `SELECT ${fk} AS p FROM ${table} GROUP BY ${fk} ORDER BY count(*) DESC, ${fk} LIMIT 1`,
    );
    const parentId = rows[0]?.p;
    return {
      query: `{ ${get.field}(id: "${parentId}") { ${rel.field}(first: 3) { edges { node { ${fields} } } } } }`,
      path: [get.field, rel.field],
      sql: `SELECT * FROM ${table} WHERE ${fk} = $1 ORDER BY id LIMIT 3`,
      params: [parentId],
    };
  }
  throw new Error(`no way to reach ${b.typeName}`);
}

describe('every field of the schema against every role', () => {
  /** Each binding's query and the rows it must answer: they depend on the binding, not on the role. */
  const cases: { b: TableBinding; access: Access; raw: Record<string, unknown>[] }[] = [];
  beforeAll(async () => {
    for (const b of w.bindings.tables.values()) {
      const access = await accessFor(b);
      const { rows: raw } = await w.dbs.stores[b.store].query(access.sql, access.params);
      cases.push({ b, access, raw });
    }
  });

  it('binds every store column of the schema to a labelled asset', () => {
    let fields = 0;
    for (const b of w.bindings.tables.values()) {
      for (const c of b.columns.values()) {
        fields += 1;
        expect(w.labels.get(c.urn), c.urn).toBeDefined();
      }
    }
    expect(fields).toBeGreaterThan(100);
  });

  it.each([...ROLES])('%s receives each field exactly as the disclosure decision says', async (role: RoleName) => {
    const principal = await w.principals.authenticateApiKey(w.keys[role]);
    if (!principal) throw new Error(`no principal for ${role}`);
    const canRead = w.policies.abilityFor([role]).can('read', 'StoreData');
    let checked = 0;
    for (const { b, access, raw } of cases) {
      const res = await w.gql(role, access.query);
      if (!canRead) {
        expect(res.status, `${role} ${b.typeName}`).toBe(403);
        expect(res.body).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'FORBIDDEN' } }] });
        checked += 1;
        continue;
      }
      expect(res.status).toBe(200);
      expect(raw.length, `${b.typeName} has rows to compare`).toBeGreaterThan(0);
      let conn: unknown = res.body.data;
      for (const p of access.path) conn = (conn as Record<string, unknown>)[p];
      const nodes = (conn as { edges: { node: Record<string, unknown> }[] }).edges.map((e) => e.node);
      expect(nodes.length).toBe(raw.length);
      const now = new Date('2026-11-02T02:00:00Z');
      // Every field of the type is selected: combination rules apply among those disclosed at all.
      const disclosed = new Set(
        [...b.columns.values()]
          .filter((c) => decideDisclosure(w.policies, principal, w.labels.get(c.urn), [], now).action !== 'DENY')
          .map((c) => c.urn),
      );
      for (const c of b.columns.values()) {
        const coordinate = `${b.typeName}.${c.field}`;
        const decision = decideDisclosure(
          w.policies,
          principal,
          labelInContext(w.labels.get(c.urn), disclosed, w.policies.combinations),
          [],
          now,
        );
        const fieldErrors = (res.body.errors ?? []).filter((e) => e.path?.[e.path.length - 1] === c.field);
        raw.forEach((r, i) => {
          const got = nodes[i]?.[c.field];
          if (decision.action === 'CLEAR') expect(got, `${role} ${coordinate}`).toEqual(served(r[c.column]));
          else if (decision.action === 'MASK') {
            const m = compileMask(decision.rule, { hmacKey: Buffer.alloc(32) });
            const want = Array.isArray(r[c.column]) ? (r[c.column] as unknown[]).map(m) : m(r[c.column]);
            expect(got, `${role} ${coordinate}`).toEqual(served(want));
          } else expect(got, `${role} ${coordinate}`).toBeNull();
        });
        if (decision.action === 'DENY') {
          expect(
            fieldErrors.map((e) => e.extensions.code),
            `${role} ${coordinate}`,
          ).toEqual([decision.code]);
        } else expect(fieldErrors, `${role} ${coordinate}`).toEqual([]);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(canRead ? 100 : 10);
  });
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
