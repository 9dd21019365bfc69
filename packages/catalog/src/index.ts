export { syncCatalog, listStoreColumns } from './sync-catalog.js';
export type { StoreColumn, SyncResult } from './sync-catalog.js';
export { createLabelStore } from './label-store.js';
export type { LabelStore } from './label-store.js';
