/** The asset tree of one store's columns: its source, each table once (before its columns), every column. */
import { columnUrn, type StoreName, sourceUrn, tableUrn } from '@warden/core';

export interface AssetRow {
  urn: string;
  kind: 'source' | 'table' | 'column';
  source: StoreName;
  parent: string | null;
  dataType: string | null;
  owner: string | null;
}

export function assetRowsOf(
  store: StoreName,
  columns: readonly { schema?: string; table: string; column: string; dataType: string }[],
  ownerOf: (tableUrn: string) => string | undefined = () => undefined,
): AssetRow[] {
  const source = sourceUrn(store);
  const rows: AssetRow[] = [{ urn: source, kind: 'source', source: store, parent: null, dataType: null, owner: null }];
  const tables = new Set<string>();
  for (const c of columns) {
    const schema = c.schema ?? 'public';
    const t = tableUrn(store, schema, c.table);
    const owner = ownerOf(t) ?? null;
    if (!tables.has(t)) {
      tables.add(t);
      rows.push({ urn: t, kind: 'table', source: store, parent: source, dataType: null, owner });
    }
    rows.push({ urn: columnUrn(store, schema, c.table, c.column), kind: 'column', source: store, parent: t, dataType: c.dataType, owner });
  }
  return rows;
}
