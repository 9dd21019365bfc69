/** Liveness (/healthz: the process answers) and readiness (/readyz: every database answers). */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type pg from 'pg';
import { sendError } from '../http-errors.js';

async function healthPlugin(app: FastifyInstance, opts: { pools: Record<string, pg.Pool> }): Promise<void> {
  app.get('/healthz', { config: { public: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { public: true } }, async (_req, reply) => {
    const checks = await Promise.all(
      Object.entries(opts.pools).map(async ([name, pool]) => {
        try {
          await pool.query('SELECT 1');
          return [name, 'ok'] as const;
        } catch {
          return [name, 'down'] as const;
        }
      }),
    );
    if (checks.some(([, s]) => s !== 'ok')) return sendError(reply, 'NOT_READY');
    return { status: 'ready', databases: Object.fromEntries(checks) };
  });
}

export default fp(healthPlugin, { name: '@warden/health' });
