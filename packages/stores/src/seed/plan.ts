/** How many rows of what: every size derives from the enterprise count, every choice from the seed. */
import { hashLabel, Prng } from './prng.js';

export interface SeedPlan {
  seed: number;
  enterprises: number;
  documents: number;
  drafts: number;
  evaluations: number;
  funds: number;
  financingEvents: number;
  listed: number;
  investors: number;
  /** Offsets the id → organisation-code bijection so another seed gives other codes. */
  bodySalt: number;
  /** Enterprise id of the k-th listed company (ids beyond `enterprises` are not in the enterprise store). */
  listedId(k: number): number;
  isListed(id: number): boolean;
}

/** Stock codes available: 999 per board prefix, 25 prefixes (see investment-tables.ts). */
export const LISTED_CAPACITY = 25 * 999;

export function createPlan(seed: number, enterprises: number): SeedPlan {
  if (!Number.isSafeInteger(enterprises) || enterprises < 1 || enterprises > 100_000_000) {
    throw new RangeError(`enterprises must be an integer from 1 to 100,000,000, got ${enterprises}`);
  }
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
  const n = enterprises;
  const documents = Math.max(200, Math.floor(n / 10));
  const listed = Math.min(LISTED_CAPACITY, Math.max(50, Math.floor(n / 200)));
  const step = Math.max(1, Math.floor(n / listed));
  return {
    seed,
    enterprises: n,
    documents,
    drafts: Math.max(10, Math.floor(documents / 20)),
    evaluations: Math.max(20, Math.floor(documents / 5)),
    funds: Math.max(30, Math.floor(n / 200)),
    financingEvents: Math.max(50, Math.floor(n / 10)),
    listed,
    investors: Math.max(100, Math.floor(n / 20)),
    bodySalt: new Prng(seed, hashLabel('organisation-body')).uint32(),
    listedId: (k) => (1 + k * step <= n ? 1 + k * step : n + 1 + k),
    isListed: (id) => id > n || ((id - 1) % step === 0 && (id - 1) / step < listed),
  };
}
