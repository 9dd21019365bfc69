/**
 * GraphQL for stewards: lineage walks (upstream or downstream, bounded by
 * depth) and the path between two assets. Only a principal whose roles may
 * `read Lineage` gets either; everyone else gets FORBIDDEN. Arguments are
 * checked by the store (depth 1–20, table or column URNs): INVALID_ARGUMENT.
 * Without a lineage store the answer is NOT_READY.
 *
 * Impact analysis: the asset and every asset downstream of it (least depth),
 * each with its current approved level (labels store), its owner
 * (warden.assets) and the principals that received it through the gateway,
 * clear or masked (consumption lineage).
 */
import type { CompiledPolicies } from '@warden/access';
import { type AssetUrn, type Principal, wardenError } from '@warden/core';
import { type FieldConsumer, findConsumers, type LineageEdge, type LineageStore } from '@warden/lineage';
import type pg from 'pg';
import { callerAllowed } from './caller.js';

export interface LineageResolverDeps {
  policies: CompiledPolicies;
  lineage?: LineageStore;
  /** Current labels, for impact analysis's levels. */
  labels?: { get(urn: string): { level: string; state: string } | undefined };
  /** The control database: asset owners and consumption. */
  control?: pg.Pool;
}

type Args = Record<string, unknown>;
type Ctx = { principal?: Principal };

function allowed(deps: LineageResolverDeps, principal: Principal | undefined): LineageStore {
  callerAllowed(deps.policies, principal, 'read', 'Lineage', 'trace lineage');
  if (!deps.lineage) throw wardenError('NOT_READY');
  return deps.lineage;
}

function edgeOut<E extends LineageEdge>(e: E) {
  const { job, ...rest } = e;
  return { ...rest, jobNamespace: job?.namespace ?? null, jobName: job?.name ?? null, runId: e.runId ?? null };
}

async function impactOf(deps: LineageResolverDeps, store: LineageStore, urn: AssetUrn, depth: number) {
  const hops = await store.downstream(urn, depth);
  const depthOf = new Map<string, number>([[urn, 0]]);
  for (const h of hops) if (!depthOf.has(h.to) || (depthOf.get(h.to) ?? 0) > h.depth) depthOf.set(h.to, h.depth);
  const urns = [...depthOf.keys()];
  const control = deps.control;
  if (!control) throw wardenError('NOT_READY');
  const [owners, consumers] = await Promise.all([
    control.query<{ urn: string; owner: string | null }>(
      `SELECT c.urn, coalesce(c.owner, t.owner) AS owner
         FROM warden.assets c LEFT JOIN warden.assets t ON t.urn = c.parent_urn
        WHERE c.urn = ANY($1::text[])`,
      [urns],
    ),
    findConsumers(control, urns),
  ]);
  const ownerOf = new Map(owners.rows.map((r) => [r.urn, r.owner]));
  const byUrn = new Map<string, FieldConsumer[]>();
  for (const c of consumers) byUrn.set(c.urn, [...(byUrn.get(c.urn) ?? []), c]);
  const asset = (u: string) => {
    const label = deps.labels?.get(u);
    return {
      urn: u,
      depth: depthOf.get(u) ?? 0,
      level: label?.state === 'APPROVED' ? label.level : null,
      labelState: label?.state ?? null,
      owner: ownerOf.get(u) ?? null,
      consumers: byUrn.get(u) ?? [],
    };
  };
  return {
    asset: asset(urn),
    downstream: urns
      .filter((u) => u !== urn)
      .map(asset)
      .sort((a, b) => a.depth - b.depth || a.urn.localeCompare(b.urn)),
    edges: hops.map(edgeOut),
  };
}

export function lineageResolvers(deps: LineageResolverDeps) {
  return {
    Query: {
      async lineage(_: unknown, args: Args, ctx: Ctx) {
        const store = allowed(deps, ctx.principal);
        const hops = await store.walk(String(args.urn) as AssetUrn, args.direction as 'UPSTREAM' | 'DOWNSTREAM', args.depth as number);
        return hops.map(edgeOut);
      },
      async lineagePath(_: unknown, args: Args, ctx: Ctx) {
        const store = allowed(deps, ctx.principal);
        const path = await store.path(String(args.from) as AssetUrn, String(args.to) as AssetUrn, args.depth as number);
        return path ? { nodes: path.nodes, edges: path.edges.map(edgeOut) } : null;
      },
      async impact(_: unknown, args: Args, ctx: Ctx) {
        const store = allowed(deps, ctx.principal);
        return impactOf(deps, store, String(args.urn) as AssetUrn, args.depth as number);
      },
    },
  };
}
