/**
 * A whole Warden on the run's real PostgreSQL: fresh databases, the project's
 * migrations and policies, the catalog synced, a small deterministic dataset,
 * one service principal per role, and the app built (driven with inject).
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { AccessStore, CompiledPolicies, PrincipalStore, UserStore } from '@warden/access';
import type { LabelStore } from '@warden/catalog';
import type { Clock } from '@warden/core';
import { type Bindings, type BuildOptions, build, openControlPlane, REDACT } from '@warden/gateway';
import { loadWardenPolicies } from '@warden/policies';
import { seedStores } from '@warden/stores';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createTestDatabases, type TestDatabases } from './databases.js';

export const ROLES = ['app', 'analyst', 'steward', 'officer', 'auditor', 'sysadmin'] as const;
export type RoleName = (typeof ROLES)[number];
/** Who a request is sent as: one of the test principals, or an explicit API key. */
export type Caller = RoleName | { key: string };

export interface PostOptions {
  /** The app to ask (default: the TestWarden's own). */
  app?: FastifyInstance;
  /** Whose key goes in the Authorization header (default: 'app'). */
  as?: Caller;
  /** More headers, or ones replacing the defaults. */
  headers?: Record<string, string>;
  remoteAddress?: string;
}

export interface TestWarden {
  app: FastifyInstance;
  dbs: TestDatabases;
  policies: CompiledPolicies;
  labels: LabelStore;
  principals: PrincipalStore;
  users: UserStore;
  access: AccessStore;
  bindings: Bindings;
  keys: Record<RoleName, string>;
  /** POST a JSON payload to /graphql with a bearer key; the raw inject response. */
  post(payload: string | object, opts?: PostOptions): Promise<LightMyRequestResponse>;
  /** POST /graphql as a role (or with an explicit key). */
  gql(as: Caller, query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: GqlBody }>;
  rebuild(overrides?: Partial<BuildOptions>): Promise<FastifyInstance>;
  /** The app rebuilt to log at debug level, redacted as in production, into `lines` (one JSON line each). */
  rebuildLogging(): Promise<{ app: FastifyInstance; lines: string[] }>;
  close(): Promise<void>;
}

export interface GqlBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions: { code: string; requestId?: string } }[];
}

/** The code of an answer's first error: of a raw inject response, or of a gql() body. */
export function errorCode(res: LightMyRequestResponse | GqlBody): string | undefined {
  const body: GqlBody = 'json' in res ? res.json() : res;
  return body.errors?.[0]?.extensions.code;
}

export async function createTestWarden(
  opts: { enterprises?: number; build?: Partial<BuildOptions>; clock?: Clock } = {},
): Promise<TestWarden> {
  const dbs = await createTestDatabases();
  const policies = await loadWardenPolicies();
  await seedStores({ pools: dbs.stores, enterprises: opts.enterprises ?? 60, seed: 7, now: new Date('2026-11-01T00:00:00Z') });
  const plane = await openControlPlane(dbs, policies, { clock: opts.clock });
  const { labels, principals, bindings } = plane;
  const keys = {} as Record<RoleName, string>;
  for (const role of ROLES) keys[role] = (await principals.create({ name: `test-${role}`, roles: [role] })).apiKey;
  const base: BuildOptions = {
    ...plane,
    policies,
    pools: dbs,
    cursorKey: randomBytes(32),
    hmacKey: randomBytes(32),
    jit: 1, // as in production: every query from its second run on goes through graphql-jit
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...opts.build,
  };
  const apps: FastifyInstance[] = [];
  const w: TestWarden = {
    app: await build(base),
    dbs,
    policies,
    labels,
    principals,
    users: plane.users,
    access: plane.access,
    bindings,
    keys,
    post(payload, { app = w.app, as = 'app', headers = {}, remoteAddress } = {}) {
      const key = typeof as === 'string' ? keys[as] : as.key;
      return app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
        payload,
        remoteAddress,
      });
    },
    async gql(as, query, variables) {
      const res = await w.post({ query, variables }, { as });
      return { status: res.statusCode, body: res.json() as GqlBody };
    },
    async rebuild(overrides = {}) {
      const app = await build({ ...base, ...overrides });
      apps.push(app);
      return app;
    },
    async rebuildLogging() {
      const lines: string[] = [];
      const stream = new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      });
      const app = await w.rebuild({ logger: { level: 'debug', stream, redact: { paths: REDACT, censor: '[redacted]' } } });
      return { app, lines };
    },
    async close() {
      await Promise.all([w.app, ...apps].map((a) => a.close()));
      await plane.close();
      await dbs.drop();
    },
  };
  return w;
}
