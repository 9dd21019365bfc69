/**
 * A whole Warden on the run's real PostgreSQL: fresh databases, the project's
 * migrations and policies, the catalog synced, a small deterministic dataset,
 * one service principal per role, and the app built (driven with inject).
 */
import { randomBytes } from 'node:crypto';
import type { CompiledPolicies, PrincipalStore } from '@warden/access';
import type { AuditSink } from '@warden/audit';
import type { LabelStore } from '@warden/catalog';
import type { Clock } from '@warden/core';
import { type Bindings, type BuildOptions, build, openControlPlane } from '@warden/gateway';
import { loadWardenPolicies } from '@warden/policies';
import { refreshDistrictIndicators, seedStores } from '@warden/stores';
import type { FastifyInstance } from 'fastify';
import { createTestDatabases, type TestDatabases } from './databases.js';

export const ROLES = ['app', 'analyst', 'steward', 'officer', 'auditor', 'sysadmin'] as const;
export type RoleName = (typeof ROLES)[number];

export interface TestWarden {
  app: FastifyInstance;
  dbs: TestDatabases;
  policies: CompiledPolicies;
  labels: LabelStore;
  principals: PrincipalStore;
  bindings: Bindings;
  audit: AuditSink;
  keys: Record<RoleName, string>;
  /** POST /graphql as a role (or with an explicit key). */
  gql(as: RoleName | { key: string }, query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: GqlBody }>;
  rebuild(overrides?: Partial<BuildOptions>): Promise<FastifyInstance>;
  close(): Promise<void>;
}

export interface GqlBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions: { code: string; requestId?: string } }[];
}

export async function createTestWarden(
  opts: { enterprises?: number; clock?: Clock; build?: Partial<BuildOptions> } = {},
): Promise<TestWarden> {
  const dbs = await createTestDatabases();
  const policies = await loadWardenPolicies();
  await seedStores({ pools: dbs.stores, enterprises: opts.enterprises ?? 60, seed: 7 });
  await refreshDistrictIndicators(dbs.stores.enterprise, new Date('2026-11-01T00:00:00Z'));
  const plane = await openControlPlane(dbs, policies);
  const { labels, principals, bindings, audit } = plane;
  const keys = {} as Record<RoleName, string>;
  for (const role of ROLES) keys[role] = (await principals.create({ name: `test-${role}`, roles: [role] })).apiKey;
  const base: BuildOptions = {
    ...plane,
    policies,
    pools: dbs,
    cursorKey: randomBytes(32),
    hmacKey: randomBytes(32),
    clock: opts.clock,
    jit: 1, // as in production: every query from its second run on goes through graphql-jit
    ...opts.build,
  };
  const apps: FastifyInstance[] = [];
  const w: TestWarden = {
    app: await build(base),
    dbs,
    policies,
    labels,
    principals,
    bindings,
    audit,
    keys,
    async gql(as, query, variables) {
      const key = typeof as === 'string' ? keys[as] : as.key;
      const res = await w.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        payload: { query, variables },
      });
      return { status: res.statusCode, body: res.json() as GqlBody };
    },
    async rebuild(overrides = {}) {
      const app = await build({ ...base, ...overrides });
      apps.push(app);
      return app;
    },
    async close() {
      await Promise.all([w.app, ...apps].map((a) => a.close()));
      await plane.close();
      await dbs.drop();
    },
  };
  return w;
}
