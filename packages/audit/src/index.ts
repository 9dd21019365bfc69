export { createPgAuditSink } from './pg-audit-sink.js';
export type { AuditEvent, AuditField, AuditSink } from './audit-event.js';
