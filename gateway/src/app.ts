/**
 * The composition root: build(opts) wires every port and plugin into one
 * fastify instance. It does not listen (server.ts does), so tests drive it
 * with app.inject.
 */
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { AccessStore, CompiledPolicies, PrincipalStore, UserStore } from '@warden/access';
import type { AuditReader, AuditSink } from '@warden/audit';
import type { LabelStore } from '@warden/catalog';
import {
  type Clock,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  type Level,
  type MaskRule,
  maxLevel,
  type Principal,
  type StoreName,
  systemClock,
} from '@warden/core';
import type { ConsumptionRecorder, LineageStore } from '@warden/lineage';
import { type CompiledMask, compileMask } from '@warden/mask';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import mercurius from 'mercurius';
import type pg from 'pg';
import { buildResolvers } from './governance/governed-resolvers.js';
import { loggableError, sendError, sendErrors, unexpected } from './http-errors.js';
import authPlugin from './plugins/auth.js';
import graphqlRoute, { DEFAULT_LIMITS, type Limits } from './plugins/graphql-route.js';
import healthPlugin from './plugins/health.js';
import lineageRoute, { LINEAGE_PATH } from './plugins/lineage-route.js';
import metricsPlugin from './plugins/metrics.js';
import { accessResolvers } from './resolvers/access-resolvers.js';
import { auditResolvers } from './resolvers/audit-resolvers.js';
import { createCursorCodec } from './resolvers/cursor.js';
import { lineageResolvers } from './resolvers/lineage-resolvers.js';
import { reviewResolvers } from './resolvers/review-resolvers.js';
import type { Bindings } from './schema/bindings.js';

export interface BuildOptions {
  bindings: Bindings;
  policies: CompiledPolicies;
  labels: LabelStore;
  principals: PrincipalStore;
  /** Human users: passwords, TOTP, sessions (absent: only API keys authenticate). */
  users?: UserStore;
  /** Access requests, approvals and grants (absent: no grants, reads stay masked). */
  access?: AccessStore;
  audit: AuditSink;
  /** The audit log for auditors (auditEvents, auditVerification); without it they answer NOT_READY. */
  auditReader?: AuditReader;
  /** Lineage: OpenLineage ingestion (POST /api/v1/lineage) and the GraphQL walks; without it neither is served. */
  lineage?: LineageStore;
  /** Consumption lineage, recorded by the governed read and reported by impact analysis; without it nothing is recorded. */
  consumption?: ConsumptionRecorder;
  pools: { control: pg.Pool; stores: Record<StoreName, pg.Pool> };
  /** 32 bytes: seals pagination cursors. */
  cursorKey: Buffer;
  /** 32 bytes: keyed-hash pseudonyms (mask rule `hash`). */
  hmacKey: Buffer;
  clock?: Clock;
  development?: boolean;
  https?: { key: string; cert: string };
  /** With https: the CA (PEM) whose client certificates may authenticate services (mTLS); asked for, not required. */
  clientCa?: string;
  logger?: FastifyServerOptions['logger'];
  limits?: Partial<Limits>;
  /** mercurius JIT threshold; 0 turns it off. */
  jit?: number;
  bodyLimit?: number;
  /** Requests per principal per window (per address for the rare request without one). */
  rateLimit?: { max: number; windowMs: number };
  /** Failed authentications per source address per minute before 429 (default 30). */
  maxAuthFailuresPerMinute?: number;
}

export const DEFAULT_RATE_LIMIT = { max: DEFAULT_RATE_LIMIT_PER_MINUTE, windowMs: 60_000 };

/** Log redaction: secrets and request bodies never reach the log. */
export const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'body',
  'variables',
  '*.password',
  '*.apiKey',
  '*.secret',
];

export async function build(opts: BuildOptions): Promise<FastifyInstance> {
  const bodyLimit = opts.bodyLimit ?? 1024 * 1024;
  const clock = opts.clock ?? systemClock;
  const app = Fastify({
    ...(opts.https
      ? {
          https: {
            key: opts.https.key,
            cert: opts.https.cert,
            minVersion: 'TLSv1.2' as const,
            // The auth hook decides what an absent or unverified certificate means.
            ...(opts.clientCa ? { requestCert: true, rejectUnauthorized: false, ca: [opts.clientCa] } : {}),
          },
        }
      : {}),
    logger: opts.logger ?? false,
    bodyLimit,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
  }) as unknown as FastifyInstance;

  // Protocol whitelist: JSON bodies only.
  app.removeContentTypeParser(['text/plain']);
  await app.register(helmet, {
    global: true,
    hsts: { maxAge: 31_536_000, includeSubDomains: true },
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return sendError(reply, 'UNSUPPORTED_MEDIA_TYPE', { type: req.headers['content-type'] ?? 'none' });
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, 'PAYLOAD_TOO_LARGE', { max: bodyLimit });
    if (err.statusCode === 400 && (err.code?.startsWith('FST_ERR_CTP') || err instanceof SyntaxError)) {
      return sendError(reply, 'BAD_REQUEST', { reason: 'the body is not valid JSON' });
    }
    if (err.statusCode === 429) return sendError(reply, 'RATE_LIMITED', { seconds: reply.getHeader('retry-after') ?? 60 });
    req.log.error({ err: loggableError(err) }, 'unhandled error');
    return sendErrors(reply, 500, [unexpected(req.id)]);
  });
  const knownPaths = new Set(['/graphql', '/healthz', '/readyz', '/metrics', LINEAGE_PATH]);
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (knownPaths.has(path)) return sendError(reply, 'METHOD_NOT_ALLOWED', { method: req.method });
    return sendError(reply, 'NOT_FOUND');
  });

  await app.register(metricsPlugin);
  await app.register(healthPlugin, { pools: { control: opts.pools.control, ...opts.pools.stores }, clock });
  await app.register(authPlugin, {
    principals: opts.principals,
    users: opts.users,
    audit: opts.audit,
    clock,
    maxFailuresPerMinute: opts.maxAuthFailuresPerMinute ?? 30,
  });
  const limit = opts.rateLimit ?? DEFAULT_RATE_LIMIT;
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler', // after authentication: the budget is the principal's
    max: limit.max,
    timeWindow: limit.windowMs,
    keyGenerator: (req) => req.principal?.id ?? req.ip,
    allowList: (req) => req.routeOptions.config?.public === true,
    errorResponseBuilder: () => Object.assign(new Error('rate limited'), { statusCode: 429 }), // answered by the error handler
  });

  const masks = new Map<string, CompiledMask>();
  const mask = (name: string, rule: MaskRule) => {
    let m = masks.get(name);
    if (!m) {
      m = compileMask(rule, { hmacKey: opts.hmacKey });
      masks.set(name, m);
    }
    return m;
  };
  const me = (_p: unknown, _a: unknown, ctx: { principal: Principal }) => {
    const roles = ctx.principal.roles.map((r) => opts.policies.roles.get(r)).filter((r) => r !== undefined);
    const top = (pick: 'clear' | 'mask') => roles.reduce<Level>((m, r) => maxLevel(m, r.clearance[pick]), 'L1');
    return {
      name: ctx.principal.name,
      kind: ctx.principal.kind,
      roles: ctx.principal.roles,
      clearLevel: top('clear'),
      maskLevel: top('mask'),
    };
  };
  await app.register(mercurius, {
    schema: opts.bindings.sdl,
    resolvers: (() => {
      const governance = accessResolvers({ policies: opts.policies, users: opts.users, access: opts.access });
      const audit = auditResolvers({
        policies: opts.policies,
        reader: opts.auditReader,
        cursors: createCursorCodec(opts.cursorKey),
        audit: opts.audit,
        clock,
      });
      const lineage = lineageResolvers({
        policies: opts.policies,
        lineage: opts.lineage,
        labels: opts.labels,
        control: opts.pools.control,
      });
      const review = reviewResolvers({ policies: opts.policies, labels: opts.labels, control: opts.pools.control });
      return buildResolvers(opts.bindings, {
        Query: { me, ...governance.Query, ...audit.Query, ...lineage.Query, ...review.Query },
        Mutation: { ...governance.Mutation, ...review.Mutation },
      } as never) as never;
    })(),
    routes: false,
    graphiql: false,
    jit: opts.jit ?? 0,
    cache: 1000,
    // Keep GraphQLError objects (with their original errors): the graphql route maps them to the catalogue.
    errorFormatter: (execution) => ({ statusCode: 200, response: { data: execution.data ?? null, errors: execution.errors as never } }),
  });
  await app.register(graphqlRoute, {
    bindings: opts.bindings,
    policies: opts.policies,
    labels: opts.labels,
    audit: opts.audit,
    clock,
    pools: opts.pools.stores,
    cursors: createCursorCodec(opts.cursorKey),
    mask,
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    development: opts.development ?? false,
    grants: opts.access,
    consumption: opts.consumption,
  });
  if (opts.lineage) await app.register(lineageRoute, { policies: opts.policies, lineage: opts.lineage });
  return app;
}
