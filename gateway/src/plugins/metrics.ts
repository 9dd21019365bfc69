/** Prometheus metrics at /metrics, from a registry owned by this app instance. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface WardenMetrics {
  registry: Registry;
  disclosures: Counter<'action'>;
  auditEvents: Counter<'outcome'>;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: WardenMetrics;
  }
}

async function metricsPlugin(app: FastifyInstance): Promise<void> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'warden_' });
  const requests = new Histogram({
    name: 'warden_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const disclosures = new Counter({
    name: 'warden_field_disclosures_total',
    help: 'L3+ field values by disclosure',
    labelNames: ['action'],
    registers: [registry],
  });
  const auditEvents = new Counter({
    name: 'warden_audit_events_total',
    help: 'Audit events by write outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  app.decorate('metrics', { registry, disclosures, auditEvents });
  app.addHook('onResponse', async (req, reply) => {
    requests.observe({ route: req.routeOptions.url ?? 'unknown', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { config: { public: true } }, async (_req, reply) =>
    reply.header('content-type', registry.contentType).send(await registry.metrics()),
  );
}

export default fp(metricsPlugin, { name: '@warden/metrics' });
