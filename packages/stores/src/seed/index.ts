export { seedStores, SEED_TABLES, DEFAULT_SEED } from './seed-stores.js';
export type { SeedSummary, SeedOptions, SeedRowCounts } from './seed-stores.js';
