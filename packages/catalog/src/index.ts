export { syncCatalog } from './sync-catalog.js';
export type { SyncResult } from './sync-catalog.js';
export { createLabelStore } from './label-store.js';
export type { LabelStore } from './label-store.js';
