/**
 * Fills the enterprise, policy and investment stores with deterministic
 * synthetic data: every table is emptied (TRUNCATE … CASCADE) and refilled
 * by COPY, so seeding is idempotent and the same seed and size give the same
 * rows. The three stores load concurrently; within a store, tables that
 * reference others load after them. Derived tables (the per-district
 * indicators) are computed from the loaded rows last.
 */
import { performance } from 'node:perf_hooks';
import type { StoreName } from '@warden/core';
import cliProgress from 'cli-progress';
import type pg from 'pg';
import type { Chunk, TableJob } from './chunks.js';
import { copyTable } from './copy-table.js';
import { withBulkClient } from '../bulk-client.js';
import { refreshDistrictIndicators } from '../district-indicators.js';
import { enterpriseJobs } from './enterprise-tables.js';
import { investmentJobs } from './investment-tables.js';
import { createPlan } from './plan.js';
import { policyJobs } from './policy-tables.js';

/** Every table the seeder fills, per store. */
export const SEED_TABLES = {
  enterprise: [
    'enterprises',
    'credit_records',
    'tax_records',
    'social_insurance',
    'employee_insurance',
    'qualifications',
    'enterprise_requests',
  ],
  policy: ['policy_documents', 'policy_drafts', 'policy_evaluations'],
  investment: [
    'funds',
    'financing_events',
    'listed_companies',
    'daily_quotes',
    'financial_indicators',
    'material_information',
    'investors',
  ],
} as const satisfies Record<StoreName, readonly string[]>;

export type SeedRowCounts = { [S in StoreName]: Record<(typeof SEED_TABLES)[S][number], number> };

export interface SeedSummary {
  seed: number;
  enterprises: number;
  /** Rows loaded per store and table. */
  rows: SeedRowCounts;
  totalRows: number;
  elapsedMs: number;
}

export interface SeedOptions {
  pools: Record<StoreName, pg.Pool>;
  /** Number of enterprises; every other size derives from it. */
  enterprises: number;
  /** Every choice derives from it: the same seed and size give the same rows. */
  seed: number;
  /** When the derived tables are computed (their computed_at). */
  now: Date;
  /** Show a progress bar on stderr. */
  progress?: boolean;
  log?: (line: string) => void;
}

function jobsFor(store: StoreName, plan: ReturnType<typeof createPlan>): TableJob[][] {
  return store === 'enterprise' ? enterpriseJobs(plan) : store === 'policy' ? policyJobs(plan) : investmentJobs(plan);
}

export async function seedStores(opts: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const { seed } = opts;
  const plan = createPlan(seed, opts.enterprises);
  const log = opts.log ?? (() => {});
  const stores = Object.keys(SEED_TABLES) as StoreName[];
  const phases = Object.fromEntries(stores.map((s) => [s, jobsFor(s, plan)])) as Record<StoreName, TableJob[][]>;

  const totalUnits = stores.flatMap((s) => phases[s].flat()).reduce((n, j) => n + j.units, 0);
  const bar = opts.progress
    ? new cliProgress.SingleBar(
        {
          format: 'seed [{bar}] {percentage}% | {rows} rows | {duration_formatted} elapsed, ETA {eta_formatted}',
          stream: process.stderr,
          etaBuffer: 200,
          fps: 5,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let loadedRows = 0;
  let doneUnits = 0;
  bar?.start(totalUnits, 0, { rows: 0 });
  const onChunk = (c: Chunk): void => {
    loadedRows += c.rows;
    doneUnits += c.units;
    bar?.update(doneUnits, { rows: loadedRows.toLocaleString('en-US') });
  };

  const rows = Object.fromEntries(stores.map((s) => [s, Object.fromEntries(SEED_TABLES[s].map((t) => [t, 0]))])) as Record<
    StoreName,
    Record<string, number>
  >;
  try {
    await Promise.all(
      stores.map(async (store) => {
        const pool = opts.pools[store];
        const bulk = (sql: string) => withBulkClient(pool, (c) => c.query(sql));
        await bulk(`TRUNCATE ${SEED_TABLES[store].map((t) => `"${t}"`).join(', ')} CASCADE`);
        for (const phase of phases[store]) {
          await Promise.all(
            phase.map(async (job) => {
              const t0 = performance.now();
              const n = await copyTable(pool, store, job, onChunk);
              await bulk(`ANALYZE "${job.table}"`);
              rows[store][job.table] = n;
              log(`${store}.${job.table}: ${n} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
            }),
          );
        }
      }),
    );
  } finally {
    bar?.stop();
  }
  await refreshDistrictIndicators(opts.pools.enterprise, opts.now);

  const totalRows = stores.reduce((n, s) => n + Object.values(rows[s]).reduce((a, b) => a + b, 0), 0);
  const elapsedMs = Math.round(performance.now() - started);
  log(`seeded ${totalRows} rows for ${plan.enterprises} enterprises (seed ${seed}) in ${(elapsedMs / 1000).toFixed(1)} s`);
  return { seed, enterprises: plan.enterprises, rows: rows as SeedRowCounts, totalRows, elapsedMs };
}
