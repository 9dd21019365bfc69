/**
 * Thin store readers: keyset-paginated lists, lookups by id and batched
 * one-to-many relations. They fetch only the columns the disclosure plan
 * allows; values reach the client only through the governed field resolvers.
 */
import { type StoreName, wardenError } from '@warden/core';
import pg from 'pg';
import type { GovernedContext } from '../governance/disclosure-plan.js';
import type { TableBinding } from '../schema/bindings.js';
import type { CursorCodec } from './cursor.js';

export const MAX_PAGE = 100;
const MAX_FILTER_LENGTH = 256;
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
export const DEFAULT_PAGE = 20;

export interface StoreContext extends GovernedContext {
  pools: Record<StoreName, pg.Pool>;
  cursors: CursorCodec;
  batches: Map<string, Batch>;
}

interface Batch {
  ids: number[];
  result: Promise<Map<number, Row[]>>;
}

export type Row = Record<string, unknown> & { id: number };

export interface Page {
  edges: { node: Row; scope: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; readonly startCursor: string | null; readonly endCursor: string | null };
}

function qualified(b: TableBinding): string {
  return `${pg.escapeIdentifier(b.schema)}.${pg.escapeIdentifier(b.table)}`;
}

function selectList(b: TableBinding, ctx: StoreContext): string {
  const cols = ctx.plan.columns.get(b.typeName) ?? ['id'];
  return cols.map((c) => pg.escapeIdentifier(c)).join(', ');
}

export function pageSize(first: unknown): number {
  if (first === undefined || first === null) return DEFAULT_PAGE;
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 1) {
    throw wardenError('INVALID_ARGUMENT', { argument: 'first', reason: 'must be a positive integer' });
  }
  if (first > MAX_PAGE) throw wardenError('PAGE_SIZE_EXCEEDED', { max: MAX_PAGE });
  return first;
}

function toPage(rows: Row[], first: number, after: unknown, scope: string, ctx: StoreContext): Page {
  const hasNextPage = rows.length > first;
  const page = hasNextPage ? rows.slice(0, first) : rows;
  ctx.rows += page.length;
  const cursor = (row: Row | undefined) => (row ? ctx.cursors.encode(scope, row.id) : null);
  return {
    edges: page.map((node) => ({ node, scope })),
    // Cursors are sealed only when selected.
    pageInfo: {
      hasNextPage,
      hasPreviousPage: Boolean(after),
      get startCursor() {
        return cursor(page[0]);
      },
      get endCursor() {
        return cursor(page[page.length - 1]);
      },
    },
  };
}

export async function listRows(
  b: TableBinding,
  args: { first?: number | null; after?: string | null; filter?: Record<string, string | null> | null },
  ctx: StoreContext,
): Promise<Page> {
  const first = pageSize(args.first);
  const params: unknown[] = [];
  const where: string[] = [];
  if (args.after) {
    params.push(ctx.cursors.decode(b.tableUrn, args.after));
    where.push(`id > $${params.length}`);
  }
  for (const [field, value] of Object.entries(args.filter ?? {})) {
    const col = b.columns.get(field);
    if (!col?.filter) throw wardenError('INVALID_ARGUMENT', { argument: 'filter', reason: `${field} is not filterable` });
    if (!ctx.plan.clear.has(`${b.typeName}.${field}`)) throw wardenError('FILTER_NOT_ALLOWED', { field: `${b.typeName}.${field}` });
    if (value === null) where.push(`${pg.escapeIdentifier(col.column)} IS NULL`);
    else if (value.length > MAX_FILTER_LENGTH || CONTROL.test(value)) {
      throw wardenError('INVALID_ARGUMENT', {
        argument: `filter.${field}`,
        reason: `at most ${MAX_FILTER_LENGTH} characters, no control characters`,
      });
    } else {
      params.push(value);
      where.push(`${pg.escapeIdentifier(col.column)} = $${params.length}`);
    }
  }
  params.push(first + 1);
  const sql = `SELECT ${selectList(b, ctx)} FROM ${qualified(b)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT $${params.length}`;
  const { rows } = await ctx.pools[b.store].query<Row>(sql, params);
  return toPage(rows, first, args.after, b.tableUrn, ctx);
}

export async function getRow(b: TableBinding, id: unknown, ctx: StoreContext): Promise<Row | null> {
  const n = Number(id);
  if (!Number.isSafeInteger(n)) throw wardenError('INVALID_ARGUMENT', { argument: 'id', reason: 'must be an integer id' });
  const { rows } = await ctx.pools[b.store].query<Row>(`SELECT ${selectList(b, ctx)} FROM ${qualified(b)} WHERE id = $1`, [n]);
  ctx.rows += rows.length;
  return rows[0] ?? null;
}

/**
 * Child rows of many parents in one query: every parent on the page asks in
 * the same tick, the first call schedules the fetch, all share its result.
 */
export async function relationRows(
  child: TableBinding,
  foreignKey: string,
  parentId: number,
  args: { first?: number | null; after?: string | null },
  ctx: StoreContext,
): Promise<Page> {
  const first = pageSize(args.first);
  // A nested cursor belongs to one parent's connection: elsewhere it is INVALID_CURSOR.
  const scope = `${child.tableUrn}#${parentId}`;
  const after = args.after ? ctx.cursors.decode(scope, args.after) : null;
  const key = `${child.typeName}|${foreignKey}|${first}|${after ?? ''}`;
  let batch = ctx.batches.get(key);
  if (!batch) {
    // Open until the end of this tick; then it leaves the map and its query runs.
    const ids: number[] = [];
    const result = new Promise<void>((r) => process.nextTick(r)).then(async () => {
      ctx.batches.delete(key);
      const params: unknown[] = [ids, first + 1];
      const afterSql = after === null ? '' : ` AND id > $${params.push(after)}`;
      const fk = pg.escapeIdentifier(foreignKey);
      const sql = `SELECT * FROM (SELECT ${selectList(child, ctx)}, ${fk} AS __parent, row_number() OVER (PARTITION BY ${fk} ORDER BY id) AS __n
                     FROM ${qualified(child)} WHERE ${fk} = ANY($1::bigint[])${afterSql}) s WHERE __n <= $2 ORDER BY __parent, id`;
      const { rows } = await ctx.pools[child.store].query<Row & { __parent: number }>(sql, params);
      const byParent = new Map<number, Row[]>();
      for (const r of rows) {
        const list = byParent.get(Number(r.__parent));
        if (list) list.push(r);
        else byParent.set(Number(r.__parent), [r]);
      }
      return byParent;
    });
    batch = { ids, result };
    ctx.batches.set(key, batch);
  }
  batch.ids.push(parentId);
  const byParent = await batch.result;
  return toPage(byParent.get(parentId) ?? [], first, args.after, scope, ctx);
}
