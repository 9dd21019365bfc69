/**
 * `warden scan [store] [--sample N]`: samples every column of a store (all
 * three when none is named), registers new tables and columns as assets and
 * appends PENDING_REVIEW label proposals for columns without an approved
 * label. Prints one line per column: proposal, level, confidence.
 */
import { parseArgs } from 'node:util';
import { type ScanResult, scanStore, terminalScanProgress } from '@warden/catalog';
import { loadConfig, STORES, type StoreName, systemClock, wardenError } from '@warden/core';
import { openRuntime } from './runtime.js';

export const SCAN_USAGE = `  scan [STORE] [--sample N]               classify a store's columns (default: all stores, 1000 values each);
                                          proposals go to stewards as PENDING_REVIEW`;

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function formatScan(r: ScanResult): string[] {
  const rows = r.columns.map((c) => [
    `${c.table}.${c.column}`,
    c.category ?? '-',
    c.level ?? '-',
    c.type ? c.confidence.toFixed(2) : '-',
    c.outcome,
  ]);
  const head = ['column', 'proposal', 'level', 'confidence', 'outcome'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i] as number))
      .join('  ')
      .trimEnd();
  const out = [
    `Store ${r.store}: ${r.tables} tables, ${r.columns.length} columns scanned, ${r.newAssets.length} new assets, ${r.appended} proposals appended.`,
  ];
  out.push(line(head), ...rows.map(line));
  for (const s of r.skipped) out.push(`skipped ${s.urn}: ${s.reason}`);
  for (const f of r.findings) out.push(`finding ${f.urn}: approved ${f.approved.level}, detected ${f.detected.type} ${f.detected.level}`);
  return out;
}

export async function scanCommand(args: string[], io: { out: (s: string) => void; fail: (message: string) => never }): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { sample: { type: 'string', default: '1000' } } });
  if (positionals.length > 1) io.fail('scan takes at most one store');
  const sampleSize = Number(values.sample);
  if (!Number.isInteger(sampleSize) || sampleSize < 1) io.fail('--sample must be a positive integer');
  const named = positionals[0];
  // Checked before anything opens: an unknown store changes nothing.
  if (named !== undefined && !STORES.includes(named as StoreName)) throw wardenError('UNKNOWN_STORE', { store: named });
  const stores = named === undefined ? STORES : [named as StoreName];
  const rt = await openRuntime(loadConfig());
  try {
    for (const store of stores) {
      const result = await scanStore({
        control: rt.dbs.control,
        pool: rt.dbs.stores[store],
        store,
        labels: rt.labels,
        policies: rt.policies,
        sampleSize,
        progress: process.stderr.isTTY ? terminalScanProgress(process.stderr, store) : undefined,
        clock: systemClock,
      });
      for (const l of formatScan(result)) io.out(l);
    }
  } finally {
    await rt.close();
  }
}
