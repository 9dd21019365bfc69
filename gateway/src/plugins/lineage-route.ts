/**
 * `POST /api/v1/lineage`: one OpenLineage RunEvent (spec 2-0-x) from a service
 * principal whose roles may `write Lineage`; anyone else gets FORBIDDEN. The
 * event is validated and mapped in full before anything is written (see
 * @warden/lineage `planRunEvent`): an invalid one gets 400 with one
 * INVALID_ARGUMENT per schema error, naming where and why, and changes
 * nothing. Writes are upserts keyed on the edge, so re-sending is harmless.
 * The answer (201) counts what was written and lists the datasets outside
 * Warden's stores whose edges were left out.
 */
import type { CompiledPolicies } from '@warden/access';
import { isWardenError } from '@warden/core';
import { type LineageStore, planRunEvent } from '@warden/lineage';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { clientError, fromWardenError, sendError, sendErrors } from '../http-errors.js';

export const LINEAGE_PATH = '/api/v1/lineage';

export interface LineageRouteOptions {
  policies: CompiledPolicies;
  lineage: LineageStore;
}

async function lineageRoute(app: FastifyInstance, opts: LineageRouteOptions): Promise<void> {
  app.post(LINEAGE_PATH, async (req, reply) => {
    const p = req.principal;
    if (!p) return sendError(reply, 'UNAUTHENTICATED');
    if (p.kind !== 'service' || !opts.policies.abilityFor(p.roles).can('write', 'Lineage')) {
      return sendError(reply, 'FORBIDDEN', { action: 'report lineage' });
    }
    const plan = planRunEvent(req.body);
    if ('problems' in plan) {
      return sendErrors(
        reply,
        400,
        plan.problems.slice(0, 50).map((x) => clientError('INVALID_ARGUMENT', { argument: `event${x.path}`, reason: x.reason })),
      );
    }
    try {
      await opts.lineage.upsertNodes(plan.nodes);
      await opts.lineage.upsertEdges(plan.edges);
    } catch (e) {
      if (isWardenError(e)) return sendErrors(reply, e.status, [fromWardenError(e)]);
      throw e;
    }
    return reply
      .code(201)
      .header('cache-control', 'no-store')
      .send({ nodes: plan.nodes.length, edges: plan.edges.length, skipped: plan.skipped });
  });
}

export default fp(lineageRoute, { name: '@warden/lineage-route' });
