/**
 * The scanner (issue 4 item 2): lists a store's tables and columns, registers
 * new ones as assets, samples every readable column, and combines the value
 * detectors' hits with the column-name hint into a proposed category and
 * level. A column without an approved label gets a PENDING_REVIEW version
 * (never APPROVED: a steward approves); a column with an approved label whose
 * detected level disagrees is returned as a finding candidate, not changed.
 */
import type { CompiledPolicies } from '@warden/access';
import { classifyValue, hintColumnName, type ValueType } from '@warden/classify';
import { atLeast, type Clock, columnUrn, inTransaction, type Label, type Level, STORES, type StoreName, wardenError } from '@warden/core';
import pg from 'pg';
import { assetRowsOf } from './asset-rows.js';
import type { LabelStore } from './label-store.js';

/** What a detector type proposes (STANDARDS.md §1, §3; the categories and masks of policies/labels). */
interface TypeRule {
  category: string;
  level: Level;
  /** Approved levels consistent with this type: no finding inside the range. */
  range: readonly [Level, Level];
  pi: Label['pi'];
  mask?: string;
}

export const TYPE_RULES: Readonly<Record<ValueType, TypeRule>> = {
  'resident-id': { category: 'person.id_number', level: 'L4', range: ['L4', 'L4'], pi: 'sensitive_pi', mask: 'resident_id' },
  'bank-card': { category: 'person.bank_account', level: 'L4', range: ['L4', 'L4'], pi: 'sensitive_pi', mask: 'bank_card' },
  mobile: { category: 'contact.mobile', level: 'L3', range: ['L3', 'L4'], pi: 'pi', mask: 'mobile' },
  landline: { category: 'contact.landline', level: 'L3', range: ['L2', 'L4'], pi: 'pi', mask: 'landline' },
  email: { category: 'contact.email', level: 'L3', range: ['L3', 'L4'], pi: 'pi', mask: 'email' },
  'person-name': { category: 'person.name', level: 'L3', range: ['L2', 'L4'], pi: 'pi', mask: 'name' },
  address: { category: 'contact.address', level: 'L3', range: ['L1', 'L4'], pi: 'pi', mask: 'address' },
  plate: { category: 'person.plate', level: 'L3', range: ['L2', 'L4'], pi: 'pi', mask: 'plate' },
  uscc: { category: 'registry.uscc', level: 'L1', range: ['L1', 'L2'], pi: 'none' },
};

/** pg_type categories read as text: string, numeric, enum, date/time, boolean, network, timespan. */
const READABLE = new Set(['S', 'N', 'E', 'D', 'B', 'I', 'T']);
/** Share of sampled values a type must reach to be proposed from the values alone. */
const MIN_HIT_RATIO = 0.3;
/** Proposals below this confidence are not made. */
const MIN_CONFIDENCE = 0.5;
const PAGE = 500;

export interface ScanEvidence {
  sampled: number;
  hits: number;
  hitRatio: number;
  /** The column-name hint, if any. */
  hint?: { type: ValueType; weight: number; matched: string };
}

export interface ColumnScan {
  urn: string;
  table: string;
  column: string;
  dataType: string;
  /** The proposal; absent when nothing sensitive was detected. */
  type?: ValueType;
  category?: string;
  level?: Level;
  confidence: number;
  evidence: ScanEvidence;
  /** proposed: a PENDING_REVIEW version appended; unchanged: the current proposal stands; approved: consistent with the approved label; finding: it differs; none: nothing detected. */
  outcome: 'proposed' | 'unchanged' | 'approved' | 'finding' | 'none';
}

export interface ScanFinding {
  urn: string;
  approved: { category: string; level: Level; version: number };
  detected: { type: ValueType; category: string; level: Level; confidence: number };
}

export interface ScanResult {
  store: StoreName;
  tables: number;
  /** Asset URNs registered by this scan (tables and columns not seen before). */
  newAssets: string[];
  columns: ColumnScan[];
  /** Columns not sampled, with the reason (an unreadable type). */
  skipped: { urn: string; dataType: string; reason: string }[];
  /** Label versions appended (PENDING_REVIEW). */
  appended: number;
  /** Approved labels the detected level disagrees with (for the monthly re-check). */
  findings: ScanFinding[];
}

export interface ScanProgress {
  start(totalColumns: number): void;
  /** One more column done. */
  tick(column: string): void;
  stop(): void;
}

export interface ScanOptions {
  /** The warden control database (assets, labels). */
  control: pg.Pool;
  /** The store's database. */
  pool: pg.Pool;
  store: string;
  labels: LabelStore;
  /** When given, a mask rule the policies lack is not proposed. */
  policies?: Pick<CompiledPolicies, 'maskRules'>;
  /** Values sampled per column (at most). */
  sampleSize: number;
  progress?: ScanProgress;
  clock: Clock;
}

interface StoreColumn {
  table: string;
  column: string;
  dataType: string;
  typcategory: string;
}

async function listColumns(pool: pg.Pool): Promise<StoreColumn[]> {
  const { rows } = await pool.query<{ table_name: string; column_name: string; data_type: string; udt_name: string; typcategory: string }>(
    `SELECT c.table_name, c.column_name, c.data_type, c.udt_name, ty.typcategory
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
       JOIN pg_namespace n ON n.nspname = c.udt_schema
       JOIN pg_type ty ON ty.typnamespace = n.oid AND ty.typname = c.udt_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> 'warden_migrations'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  return rows.map((r) => ({
    table: r.table_name,
    column: r.column_name,
    dataType: r.data_type === 'USER-DEFINED' || r.data_type === 'ARRAY' ? r.udt_name : r.data_type,
    typcategory: r.typcategory,
  }));
}

async function registerAssets(control: pg.Pool, store: StoreName, columns: readonly StoreColumn[]): Promise<string[]> {
  const rows = assetRowsOf(store, columns);
  const res = await control.query<{ urn: string }>(
    `INSERT INTO warden.assets (urn, kind, source, parent_urn, data_type)
     SELECT u, k, $5, p, d FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(u, k, p, d)
     ON CONFLICT (urn) DO NOTHING RETURNING urn`,
    [rows.map((r) => r.urn), rows.map((r) => r.kind), rows.map((r) => r.parent), rows.map((r) => r.dataType), store],
  );
  return res.rows.map((r) => r.urn);
}

/** Per column: non-empty values sampled, and hits (count, summed confidence) per detected type. */
export interface ScanTally {
  sampled: number;
  hits: Map<ValueType, { n: number; confidence: number }>;
}

/** Samples up to `size` rows of one table through a cursor (pages of PAGE rows), tallying detections per column. */
async function sampleTable(pool: pg.Pool, table: string, columns: readonly string[], size: number): Promise<ScanTally[]> {
  const tallies: ScanTally[] = columns.map(() => ({ sampled: 0, hits: new Map() }));
  await inTransaction(pool, async (client: pg.PoolClient) => {
    await client.query('SET TRANSACTION READ ONLY');
    const { rows: est } = await client.query<{ n: number }>('SELECT reltuples::float8 AS n FROM pg_class WHERE oid = $1::regclass', [
      `public.${pg.escapeIdentifier(table)}`,
    ]);
    const estimate = est[0]?.n ?? -1;
    // Large tables: a block sample several times the size asked, so the LIMIT is met without a full scan.
    const pct = estimate > size * 20 ? Math.min(100, ((size * 5) / estimate) * 100) : 100;
    const sample = pct < 100 ? ` TABLESAMPLE SYSTEM (${pct.toFixed(6)}) REPEATABLE (1)` : '';
    const select = columns.map((c, i) => `${pg.escapeIdentifier(c)}::text AS c${i}`).join(', ');
    await client.query(
      `DECLARE scan_sample NO SCROLL CURSOR FOR SELECT ${select} FROM public.${pg.escapeIdentifier(table)}${sample} LIMIT ${size}`,
    );
    for (;;) {
      const { rows } = await client.query<Record<string, string | null>>(`FETCH ${PAGE} FROM scan_sample`);
      for (const row of rows) {
        for (let i = 0; i < columns.length; i += 1) {
          const v = row[`c${i}`];
          if (v === null || v === undefined || v === '') continue;
          const t = tallies[i] as ScanTally;
          t.sampled += 1;
          const d = classifyValue(v);
          if (!d) continue;
          const h = t.hits.get(d.type) ?? { n: 0, confidence: 0 };
          h.n += 1;
          h.confidence += d.confidence;
          t.hits.set(d.type, h);
        }
      }
      if (rows.length < PAGE) break;
    }
  });
  return tallies;
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Combines the value tally and the name hint: a type with confidence, or none. */
export function propose(tally: ScanTally, columnName: string): { type?: ValueType; confidence: number; evidence: ScanEvidence } {
  const hint = hintColumnName(columnName);
  let top: { type: ValueType; n: number; confidence: number } | undefined;
  for (const [type, h] of tally.hits) if (!top || h.n > top.n) top = { type, ...h };
  const ratio = (n: number) => (tally.sampled === 0 ? 0 : n / tally.sampled);
  const hintEvidence = hint ? { type: hint.type, weight: hint.weight, matched: hint.matched } : undefined;
  if (top && ratio(top.n) >= MIN_HIT_RATIO) {
    const valueScore = ratio(top.n) * (top.confidence / top.n);
    const confidence = hint?.type === top.type ? 1 - (1 - valueScore) * (1 - hint.weight) : valueScore;
    return {
      type: confidence >= MIN_CONFIDENCE ? top.type : undefined,
      confidence: round(confidence),
      evidence: { sampled: tally.sampled, hits: top.n, hitRatio: round(ratio(top.n)), hint: hintEvidence },
    };
  }
  if (hint) {
    // The values do not confirm the name (an empty column, or cards failing Luhn): the name alone, weighed down.
    const hits = tally.hits.get(hint.type)?.n ?? 0;
    const confidence = hint.weight * (0.6 + 0.4 * ratio(hits));
    return {
      type: confidence >= MIN_CONFIDENCE ? hint.type : undefined,
      confidence: round(confidence),
      evidence: { sampled: tally.sampled, hits, hitRatio: round(ratio(hits)), hint: hintEvidence },
    };
  }
  return { confidence: 0, evidence: { sampled: tally.sampled, hits: top?.n ?? 0, hitRatio: round(ratio(top?.n ?? 0)) } };
}

function inRange(level: Level, range: readonly [Level, Level]): boolean {
  return atLeast(level, range[0]) && atLeast(range[1], level);
}

export async function scanStore(opts: ScanOptions): Promise<ScanResult> {
  const store = opts.store as StoreName;
  if (!STORES.includes(store)) throw wardenError('UNKNOWN_STORE', { store: opts.store });
  if (!Number.isInteger(opts.sampleSize) || opts.sampleSize < 1)
    throw wardenError('INVALID_ARGUMENT', { argument: 'sampleSize', reason: 'must be a positive integer' });
  const all = await listColumns(opts.pool);
  const newAssets = await registerAssets(opts.control, store, all);
  const result: ScanResult = { store, tables: 0, newAssets, columns: [], skipped: [], appended: 0, findings: [] };
  const byTable = new Map<string, StoreColumn[]>();
  for (const c of all) {
    const urn = columnUrn(store, 'public', c.table, c.column);
    if (!READABLE.has(c.typcategory)) {
      result.skipped.push({ urn, dataType: c.dataType, reason: `type ${c.dataType} cannot be read as text for classification` });
      continue;
    }
    const cols = byTable.get(c.table);
    if (cols) cols.push(c);
    else byTable.set(c.table, [c]);
  }
  result.tables = new Set(all.map((c) => c.table)).size;
  opts.progress?.start(all.length - result.skipped.length);
  try {
    for (const [table, cols] of byTable) {
      const tallies = await sampleTable(
        opts.pool,
        table,
        cols.map((c) => c.column),
        opts.sampleSize,
      );
      for (let i = 0; i < cols.length; i += 1) {
        const c = cols[i] as StoreColumn;
        result.columns.push(await decide(opts, store, c, tallies[i] as ScanTally, result));
        opts.progress?.tick(`${c.table}.${c.column}`);
      }
    }
  } finally {
    opts.progress?.stop();
  }
  return result;
}

async function decide(opts: ScanOptions, store: StoreName, c: StoreColumn, tally: ScanTally, result: ScanResult): Promise<ColumnScan> {
  const urn = columnUrn(store, 'public', c.table, c.column);
  const p = propose(tally, c.column);
  const base = { urn, table: c.table, column: c.column, dataType: c.dataType, confidence: p.confidence, evidence: p.evidence };
  if (!p.type) return { ...base, outcome: 'none' };
  const rule = TYPE_RULES[p.type];
  const category = `${store}.${rule.category}`;
  const scan: ColumnScan = { ...base, type: p.type, category, level: rule.level, outcome: 'proposed' };
  const current = opts.labels.get(urn);
  if (current && (current.state === 'APPROVED' || current.state === 'RECHECK_DUE')) {
    if (inRange(current.level, rule.range)) return { ...scan, outcome: 'approved' };
    result.findings.push({
      urn,
      approved: { category: current.category, level: current.level, version: current.version },
      detected: { type: p.type, category, level: rule.level, confidence: p.confidence },
    });
    return { ...scan, outcome: 'finding' };
  }
  if (current && current.category === category && current.level === rule.level) return { ...scan, outcome: 'unchanged' };
  const mask = rule.mask && (!opts.policies || opts.policies.maskRules.has(rule.mask)) ? rule.mask : undefined;
  await opts.labels.append({
    urn: urn as Label['urn'],
    category,
    level: rule.level,
    core: false,
    pi: rule.pi,
    secret: false,
    mask,
    state: 'PENDING_REVIEW',
    proposedBy: 'scanner',
    basis: { scanner: { type: p.type, confidence: p.confidence, ...p.evidence, scannedAt: opts.clock.now().toISOString() } },
  });
  result.appended += 1;
  return scan;
}
