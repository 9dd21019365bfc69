export { syncCatalog } from './sync-catalog.js';
export type { SyncResult } from './sync-catalog.js';
export { createLabelStore, toLabel } from './label-store.js';
export type { LabelRow, LabelStore } from './label-store.js';
export { propose, scanStore } from './scanner.js';
export type { ColumnScan, ScanEvidence, ScanFinding, ScanOptions, ScanProgress, ScanResult } from './scanner.js';
export { terminalScanProgress } from './scan-progress.js';
export { decideReview, MIN_REASON_LENGTH } from './review.js';
export type { NextLabel, ProposedLabel, ReviewAction, ReviewInput, ReviewOutcome } from './review.js';
