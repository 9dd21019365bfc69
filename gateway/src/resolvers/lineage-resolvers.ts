/**
 * GraphQL for stewards: lineage walks (upstream or downstream, bounded by
 * depth) and the path between two assets. Only a principal whose roles may
 * `read Lineage` gets either; everyone else gets FORBIDDEN. Arguments are
 * checked by the store (depth 1–20, table or column URNs): INVALID_ARGUMENT.
 * Without a lineage store the answer is NOT_READY.
 */
import type { CompiledPolicies } from '@warden/access';
import { type AssetUrn, type Principal, wardenError } from '@warden/core';
import type { LineageEdge, LineageStore } from '@warden/lineage';

export interface LineageResolverDeps {
  policies: CompiledPolicies;
  lineage?: LineageStore;
}

type Args = Record<string, unknown>;
type Ctx = { principal?: Principal };

function allowed(deps: LineageResolverDeps, principal: Principal | undefined): LineageStore {
  if (!principal) throw wardenError('UNAUTHENTICATED');
  if (!deps.policies.abilityFor(principal.roles).can('read', 'Lineage')) throw wardenError('FORBIDDEN', { action: 'trace lineage' });
  if (!deps.lineage) throw wardenError('NOT_READY');
  return deps.lineage;
}

function edgeOut<E extends LineageEdge>(e: E) {
  const { job, ...rest } = e;
  return { ...rest, jobNamespace: job?.namespace ?? null, jobName: job?.name ?? null, runId: e.runId ?? null };
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
    },
  };
}
