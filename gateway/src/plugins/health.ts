/**
 * Liveness (/healthz: the process answers) and readiness (/readyz: every
 * database answers). Readiness is public, so its answer is reused for a
 * second: probing it cannot multiply database round trips.
 */
import type { Clock } from '@warden/core';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type pg from 'pg';
import { sendError } from '../http-errors.js';

async function healthPlugin(app: FastifyInstance, opts: { pools: Record<string, pg.Pool>; clock: Clock }): Promise<void> {
  let last: { at: number; checks: Promise<[string, 'ok' | 'down'][]> } | undefined;
  const check = () =>
    Promise.all(
      Object.entries(opts.pools).map(async ([name, pool]): Promise<[string, 'ok' | 'down']> => {
        try {
          await pool.query('SELECT 1');
          return [name, 'ok'];
        } catch {
          return [name, 'down'];
        }
      }),
    );
  app.get('/healthz', { config: { public: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { public: true } }, async (_req, reply) => {
    const now = opts.clock.now().getTime();
    if (!last || now - last.at >= 1000) last = { at: now, checks: check() };
    const checks = await last.checks;
    if (checks.some(([, s]) => s !== 'ok')) return sendError(reply, 'NOT_READY');
    return { status: 'ready', databases: Object.fromEntries(checks) };
  });
}

export default fp(healthPlugin, { name: '@warden/health' });
