export { startEmbeddedPostgres } from './embedded-postgres.js';
export type { EmbeddedServer } from './embedded-postgres.js';
export { migrate } from './migrate.js';
export type { MigrationSet } from './migrate.js';
export { openDatabases, ensureDatabase, withDatabase, storeTypes } from './databases.js';
export type { Databases, DatabaseNames, OpenOptions } from './databases.js';
export { refreshDistrictIndicators } from './district-indicators.js';
export { seedStores } from './seed/index.js';
export type { SeedSummary } from './seed/index.js';
