export { createPgAuditSink, loadChainHead } from './pg-audit-sink.js';
export type { ChainHead, PgAuditSinkOptions } from './pg-audit-sink.js';
export type { AuditEvent, AuditField, AuditSink } from './audit-event.js';
export { hashSourceIp, recordOf, AUDIT_ROW_COLUMNS } from './audit-record.js';
export type { AuditRow } from './audit-record.js';
export {
  HASH_ALGORITHMS,
  GENESIS_HASH,
  isHashAlgorithm,
  jcs,
  canonicalRecord,
  canonicalBytes,
  chainHash,
  eventHash,
} from './canonical.js';
export type { AuditRecord, CanonicalRecord, HashAlgorithm } from './canonical.js';
export {
  checkpointMessage,
  checkpointLine,
  parseCheckpointLine,
  signCheckpoint,
  checkpointSignatureValid,
  keyIdOf,
} from './checkpoint.js';
export type { Checkpoint, CheckpointBody } from './checkpoint.js';
export { createCheckpointer, systemTimer } from './checkpointer.js';
export type { Checkpointer, CheckpointerOptions, Timer } from './checkpointer.js';
export { ensureSigningKey, generateSigningKey } from './signing-key.js';
export type { SigningKey } from './signing-key.js';
export { checkCheckpoints, createLogCheck } from './verify-core.js';
export type { LogCheck, Problem, VerifyResult } from './verify-core.js';
export { verifyAuditLog, readDbCheckpoints, parseCheckpointFile } from './verify-audit-log.js';
export type { Queryable, VerifyAuditLogOptions } from './verify-audit-log.js';
export { createAuditReader, VERIFY_CACHE_MS } from './audit-reader.js';
export type { AuditEventFilter, AuditReader, StoredAuditEvent } from './audit-reader.js';
export { openAuditLog } from './audit-log.js';
export type { AuditLog, AuditLogOptions } from './audit-log.js';
