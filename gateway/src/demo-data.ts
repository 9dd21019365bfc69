/**
 * Synthetic data loads that survive interruption: a load is marked as begun
 * before it starts and finished after, so a start that finds a load begun but
 * not finished (Ctrl-C during the first start) loads again instead of serving
 * half-filled stores.
 */
import { type Clock, systemClock } from '@warden/core';
import { type Databases, type SeedSummary, seedStores } from '@warden/stores';

const KEY = 'seed';

export async function seedWithMarker(
  dbs: Databases,
  opts: { enterprises: number; seed: number; progress?: boolean; log?: (s: string) => void; clock?: Clock },
): Promise<SeedSummary> {
  const clock = opts.clock ?? systemClock;
  await dbs.control.query(
    `INSERT INTO warden.settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [KEY, JSON.stringify({ state: 'started', enterprises: opts.enterprises, seed: opts.seed })],
  );
  const summary = await seedStores({
    pools: dbs.stores,
    enterprises: opts.enterprises,
    seed: opts.seed,
    now: clock.now(),
    progress: opts.progress,
    log: opts.log,
  });
  await dbs.control.query(`UPDATE warden.settings SET value = $2, updated_at = now() WHERE key = $1`, [
    KEY,
    JSON.stringify({ state: 'done', enterprises: opts.enterprises, seed: opts.seed }),
  ]);
  return summary;
}

/** Demo data is loaded into empty stores, or again when an earlier load never finished. */
export async function needsDemoData(dbs: Databases): Promise<boolean> {
  const { rows } = await dbs.control.query<{ value: string }>('SELECT value FROM warden.settings WHERE key = $1', [KEY]);
  if (rows[0] && (JSON.parse(rows[0].value) as { state: string }).state !== 'done') return true;
  const empty = await dbs.stores.enterprise.query<{ seeded: boolean }>('SELECT EXISTS (SELECT 1 FROM enterprises) AS seeded');
  return !empty.rows[0]?.seeded;
}
