/**
 * From an AuditEvent to the row the chain covers, and from a stored row back
 * (pure). What the database would normalise (UUID case) or refuse is settled
 * here, so the bytes hashed at write time are the bytes a verifier rebuilds.
 */
import { createHmac } from 'node:crypto';
import type { AuditEvent } from './audit-event.js';
import type { AuditRecord, HashAlgorithm } from './canonical.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INT4_MAX = 2_147_483_647;

function invalid(what: string): TypeError {
  return new TypeError(`audit event: ${what}`);
}

function uuid(v: string, name: string): string {
  if (typeof v !== 'string' || !UUID.test(v)) throw invalid(`${name} is not a UUID`);
  return v.toLowerCase();
}

function strings(v: readonly string[], name: string): string[] {
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw invalid(`${name} must be a list of strings`);
  return [...v];
}

/** HMAC-SHA-256 of a source address under a 32-byte key, hex: the only form an address is stored in. */
export function hashSourceIp(key: Buffer, ip: string): string {
  return createHmac('sha256', key).update(ip, 'utf8').digest('hex');
}

/** `hashIp` (default: HMAC under ipKey) lets a writer memoise the hash of addresses it sees again and again. */
export function recordOf(event: AuditEvent, input: { alg: HashAlgorithm; ipKey: Buffer; hashIp?: (ip: string) => string }): AuditRecord {
  if (!(event.ts instanceof Date) || Number.isNaN(event.ts.getTime())) throw invalid('ts is not a valid date');
  if (!Number.isInteger(event.rows) || event.rows < 0 || event.rows > INT4_MAX) throw invalid(`rows must be an integer 0–${INT4_MAX}`);
  const opt = (v: string | undefined) => (v === undefined || v === null ? null : String(v));
  return {
    event_id: uuid(event.eventId, 'eventId'),
    ts: event.ts,
    actor_id: event.actorId === undefined || event.actorId === null ? null : uuid(event.actorId, 'actorId'),
    actor_name: String(event.actorName),
    roles: strings(event.roles, 'roles'),
    auth: strings(event.auth, 'auth'),
    source_ip:
      event.sourceIp === undefined || event.sourceIp === null
        ? null
        : (input.hashIp ?? ((ip: string) => hashSourceIp(input.ipKey, ip)))(String(event.sourceIp)),
    request_id: opt(event.requestId),
    action: String(event.action),
    operation: opt(event.operation),
    operation_hash: opt(event.operationHash),
    highest_level: opt(event.highestLevel),
    fields: event.fields ?? [],
    counts: event.counts ?? {},
    rows: event.rows,
    outcome: String(event.outcome),
    reason_code: opt(event.reasonCode),
    session_id: opt(event.sessionId),
    grant_id: opt(event.grantId),
    purpose: opt(event.purpose),
    subject: opt(event.subject),
    detail: event.detail ?? null,
    alg: input.alg,
  };
}

/** A stored row of warden.audit_events, as node-postgres returns it (seq cast to text or number). */
export interface AuditRow extends Omit<AuditRecord, 'alg'> {
  seq: string | number;
  alg: string;
  prev_hash: Buffer;
  hash: Buffer;
}

/** The columns a verifier selects, in the shape AuditRow expects. */
export const AUDIT_ROW_COLUMNS =
  'seq::int8::text AS seq, event_id::text AS event_id, ts, actor_id::text AS actor_id, actor_name, roles, auth, source_ip, request_id, action, operation, operation_hash, highest_level, fields, counts, rows, outcome, reason_code, session_id, grant_id, purpose, subject, detail, alg, prev_hash, hash';
