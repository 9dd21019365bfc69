export { seedStores } from './seed-stores.js';
export type { SeedSummary } from './seed-stores.js';
