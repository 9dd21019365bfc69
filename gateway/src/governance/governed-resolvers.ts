/**
 * The resolver map, built from the bindings. Every field of every table type
 * resolves through `governedField`, which applies the disclosure plan — the
 * one place values leave. There is no other resolver for a column, so none
 * can bypass it; a field with no plan entry is denied (fail closed).
 */
import { wardenError } from '@warden/core';
import type { IResolvers } from 'mercurius';
import type { Bindings, TableBinding } from '../schema/bindings.js';
import { getRow, listRows, type Page, type Row, relationRows, type StoreContext } from '../resolvers/store-resolvers.js';

export const GOVERNED = Symbol.for('warden.governed');

// biome-ignore lint/suspicious/noExplicitAny: resolver contexts differ per field
type Resolver = ((parent: unknown, args: Record<string, unknown>, ctx: any) => unknown) & { [GOVERNED]?: string };

function mark<F extends Resolver>(fn: F, role: string): F {
  fn[GOVERNED] = role;
  return fn;
}

export function governedField(coordinate: string, column: string): Resolver {
  return mark((parent, _args, ctx: StoreContext) => {
    const fp = ctx.plan.fields.get(coordinate);
    if (!fp) throw wardenError('ASSET_NOT_APPROVED', { field: coordinate });
    return fp.apply((parent as Row)[column], ctx);
  }, 'field');
}

function relationField(child: TableBinding, foreignKey: string): Resolver {
  return mark((parent, args, ctx: StoreContext) => relationRows(child, foreignKey, (parent as Row).id, args, ctx), 'relation');
}

export function buildResolvers(
  bindings: Bindings,
  extra: { Query?: Record<string, Resolver>; Mutation?: Record<string, Resolver> } = {},
): IResolvers {
  const query: Record<string, Resolver> = { ...(extra.Query ?? {}) };
  const resolvers: Record<string, Record<string, Resolver>> = { Query: query };
  if (extra.Mutation) resolvers.Mutation = { ...extra.Mutation };
  for (const b of bindings.tables.values()) {
    const fields: Record<string, Resolver> = {};
    for (const c of b.columns.values()) fields[c.field] = governedField(`${b.typeName}.${c.field}`, c.column);
    for (const r of b.relations.values()) {
      const child = bindings.tables.get(r.childType) as TableBinding;
      fields[r.field] = relationField(child, r.foreignKey);
    }
    resolvers[b.typeName] = fields;
    resolvers[`${b.typeName}Edge`] = {
      cursor: mark((edge, _a, ctx: StoreContext) => {
        const e = edge as Page['edges'][number];
        return ctx.cursors.encode(e.scope, e.node.id);
      }, 'cursor'),
    };
  }
  for (const root of bindings.roots.values()) {
    const b = bindings.tables.get(root.typeName) as TableBinding;
    query[root.field] =
      root.kind === 'list'
        ? mark((_p, args, ctx: StoreContext) => listRows(b, args, ctx), 'list')
        : mark((_p, args, ctx: StoreContext) => getRow(b, args.id, ctx), 'get');
  }
  return resolvers as unknown as IResolvers;
}
