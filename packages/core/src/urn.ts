/**
 * Asset identifiers: `urn:warden:<source>:<schema>.<table>[.<column>]`.
 * Stable across restarts and renames of nothing else, so labels, audit and
 * lineage can all key on them.
 */
export type AssetUrn = string & { readonly __brand: 'AssetUrn' };

export type AssetKind = 'source' | 'table' | 'column';

export interface ParsedUrn {
  source: string;
  schema?: string;
  table?: string;
  column?: string;
  kind: AssetKind;
}

const PART = /^[a-z_][a-z0-9_]*$/;

export function sourceUrn(source: string): AssetUrn {
  return `urn:warden:${source}` as AssetUrn;
}

export function tableUrn(source: string, schema: string, table: string): AssetUrn {
  return `urn:warden:${source}:${schema}.${table}` as AssetUrn;
}

export function columnUrn(source: string, schema: string, table: string, column: string): AssetUrn {
  return `urn:warden:${source}:${schema}.${table}.${column}` as AssetUrn;
}

/** Parses a URN; returns undefined for anything that is not one of ours. */
export function parseUrn(urn: string): ParsedUrn | undefined {
  const m = /^urn:warden:([a-z_][a-z0-9_]*)(?::(.+))?$/.exec(urn);
  if (!m) return undefined;
  const source = m[1] as string;
  if (m[2] === undefined) return { source, kind: 'source' };
  const parts = m[2].split('.');
  if (parts.length < 2 || parts.length > 3 || !parts.every((p) => PART.test(p))) return undefined;
  const [schema, table, column] = parts as [string, string, string | undefined];
  return column === undefined ? { source, schema, table, kind: 'table' } : { source, schema, table, column, kind: 'column' };
}
