/**
 * Registers every table and column of the three stores as an asset with a
 * stable URN, and loads the default labels from policies/ as APPROVED for
 * columns that have no label yet (first start). Existing labels are never
 * overwritten: reviews made since stay in force.
 */
import type { DefaultLabel } from '@warden/access';
import { columnUrn, inTransaction, STORES, type StoreName, tableUrn } from '@warden/core';
import type pg from 'pg';
import { assetRowsOf } from './asset-rows.js';

interface StoreColumn {
  store: StoreName;
  schema: string;
  table: string;
  column: string;
  dataType: string;
}

export interface SyncResult {
  assets: number;
  labelsCreated: number;
  /** Columns present in a store with no label at all: not served. */
  unlabelled: string[];
  /** Default labels whose column does not exist in the store. */
  missing: string[];
  /** URNs of every column present in the stores now. */
  columns: string[];
}

async function listStoreColumns(pool: pg.Pool, store: StoreName): Promise<StoreColumn[]> {
  const { rows } = await pool.query<{ table_schema: string; table_name: string; column_name: string; data_type: string }>(
    `SELECT c.table_schema, c.table_name, c.column_name, c.data_type
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> 'warden_migrations'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  return rows.map((r) => ({ store, schema: r.table_schema, table: r.table_name, column: r.column_name, dataType: r.data_type }));
}

export async function syncCatalog(
  control: pg.Pool,
  stores: Record<StoreName, pg.Pool>,
  defaults: readonly DefaultLabel[],
): Promise<SyncResult> {
  const columns = (await Promise.all(STORES.map((s) => listStoreColumns(stores[s], s)))).flat();
  const byUrn = new Map(defaults.map((d) => [columnUrn(d.store, d.schema, d.table, d.column) as string, d]));
  const owners = new Map(defaults.map((d) => [tableUrn(d.store, d.schema, d.table) as string, d.owner]));
  const assetRows = STORES.flatMap((s) =>
    assetRowsOf(
      s,
      columns.filter((c) => c.store === s),
      (t) => owners.get(t),
    ),
  );
  const present = new Set(columns.map((c) => columnUrn(c.store, c.schema, c.table, c.column) as string));
  const labelsCreated = await inTransaction(control, async (client: pg.PoolClient) => {
    await client.query(
      `INSERT INTO warden.assets (urn, kind, source, parent_urn, data_type, owner)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
       ON CONFLICT (urn) DO UPDATE SET data_type = EXCLUDED.data_type, owner = COALESCE(warden.assets.owner, EXCLUDED.owner)`,
      [
        assetRows.map((r) => r.urn),
        assetRows.map((r) => r.kind),
        assetRows.map((r) => r.source),
        assetRows.map((r) => r.parent),
        assetRows.map((r) => r.dataType),
        assetRows.map((r) => r.owner),
      ],
    );
    const toLabel = [...present].filter((u) => byUrn.has(u));
    const res = await client.query(
      `INSERT INTO warden.labels (urn, version, category, level, pi, secret, mask, basis, state, proposed_by, reviewed_by, reviewed_at, next_review_at)
       SELECT d.urn, 1, d.category, d.level, d.pi, d.secret, d.mask, jsonb_build_object('rule', 'policies/labels'), 'APPROVED',
              'policy:default', 'policy:default', now(), now() + interval '30 days'
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[]) AS d(urn, category, level, pi, secret, mask)
        WHERE NOT EXISTS (SELECT 1 FROM warden.labels l WHERE l.urn = d.urn)`,
      [
        toLabel,
        toLabel.map((u) => byUrn.get(u)?.category),
        toLabel.map((u) => byUrn.get(u)?.level),
        toLabel.map((u) => byUrn.get(u)?.pi),
        toLabel.map((u) => byUrn.get(u)?.secret),
        toLabel.map((u) => byUrn.get(u)?.mask ?? null),
      ],
    );
    return res.rowCount ?? 0;
  });
  const { rows } = await control.query<{ urn: string }>(
    "SELECT a.urn FROM warden.assets a WHERE a.kind = 'column' AND NOT EXISTS (SELECT 1 FROM warden.labels l WHERE l.urn = a.urn) ORDER BY 1",
  );
  return {
    assets: assetRows.length,
    labelsCreated,
    unlabelled: rows.map((r) => r.urn).filter((u) => present.has(u)),
    missing: [...byUrn.keys()].filter((u) => !present.has(u)),
    columns: [...present],
  };
}
