/**
 * The canonical form of an audit row and the chain hash over it (pure).
 * Canonical bytes: the UTF-8 of the RFC 8785 (JCS) serialisation of the row
 * as stored — snake_case column names sorted by UTF-16 code units, no
 * whitespace, every column present (null when empty), ts as
 * YYYY-MM-DDTHH:mm:ss.sssZ in UTC, jsonb values in JCS too. The hash of row n
 * is H(prev_hash || canonical bytes), prev_hash of row 1 being 32 zero bytes.
 * packages/audit/README.md documents it for anyone re-implementing a verifier.
 */
import { createHash } from 'node:crypto';

export type HashAlgorithm = 'sha256' | 'sm3';
export const HASH_ALGORITHMS: readonly HashAlgorithm[] = ['sha256', 'sm3'];

export function isHashAlgorithm(v: unknown): v is HashAlgorithm {
  return v === 'sha256' || v === 'sm3';
}

/** prev_hash of the first event. Never mutate it. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** One row of warden.audit_events as the chain covers it: every column but seq, prev_hash and hash. */
export interface AuditRecord {
  event_id: string;
  ts: Date;
  actor_id: string | null;
  actor_name: string;
  roles: readonly string[];
  auth: readonly string[];
  /** HMAC-SHA-256 (hex) of the source address, never the address. */
  source_ip: string | null;
  request_id: string | null;
  action: string;
  operation: string | null;
  operation_hash: string | null;
  highest_level: string | null;
  fields: unknown;
  counts: unknown;
  rows: number;
  outcome: string;
  reason_code: string | null;
  session_id: string | null;
  grant_id: string | null;
  purpose: string | null;
  subject: string | null;
  detail: unknown;
  alg: HashAlgorithm;
}

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function encodeError(what: string): TypeError {
  return new TypeError(`audit canonical form: cannot encode ${what}`);
}

function str(s: string): string {
  if (LONE_SURROGATE.test(s)) throw encodeError('a string with a lone surrogate');
  return JSON.stringify(s);
}

/** RFC 8785 JSON Canonicalization Scheme; refuses what JSON would silently drop or alter (BigInt, NaN, ±Infinity). */
export function jcs(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return str(value);
    case 'number':
      if (!Number.isFinite(value)) throw encodeError(String(value));
      return JSON.stringify(value); // ECMAScript Number-to-String is exactly JCS's number form
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw encodeError('a BigInt');
    case 'object': {
      if (value === null) return 'null';
      const withJson = value as { toJSON?: () => unknown };
      if (typeof withJson.toJSON === 'function') return jcs(withJson.toJSON());
      if (Array.isArray(value))
        return `[${value.map((v) => (v === undefined || typeof v === 'function' || typeof v === 'symbol' ? 'null' : jcs(v))).join(',')}]`;
      const o = value as Record<string, unknown>;
      const keys = Object.keys(o)
        .filter((k) => o[k] !== undefined && typeof o[k] !== 'function' && typeof o[k] !== 'symbol')
        .sort();
      return `{${keys.map((k) => `${str(k)}:${jcs(o[k])}`).join(',')}}`;
    }
    default:
      throw encodeError(`a ${typeof value}`);
  }
}

/** The timestamp format of the canonical form (UTC, milliseconds). */
export function canonicalTs(ts: Date): string {
  if (!(ts instanceof Date) || Number.isNaN(ts.getTime())) throw encodeError('an invalid timestamp');
  return ts.toISOString();
}

/** The canonical JSON of a record, split where seq's value goes, and the JCS of its jsonb columns (what the INSERT sends). */
export interface CanonicalRecord {
  before: string;
  after: string;
  json: { fields: string; counts: string; detail: string | null };
}

type Encoded = Record<keyof AuditRecord | 'seq', string>;

/** Column names in canonical (sorted) order, seq included. */
export const CANONICAL_KEYS: readonly (keyof Encoded)[] = (
  [
    'event_id',
    'ts',
    'actor_id',
    'actor_name',
    'roles',
    'auth',
    'source_ip',
    'request_id',
    'action',
    'operation',
    'operation_hash',
    'highest_level',
    'fields',
    'counts',
    'rows',
    'outcome',
    'reason_code',
    'session_id',
    'grant_id',
    'purpose',
    'subject',
    'detail',
    'alg',
    'seq',
  ] as const
)
  .slice()
  .sort();

const SEQ_AT = CANONICAL_KEYS.indexOf('seq');
/** The keys before and after seq, each with its serialised `"key":` prefix (computed once, not per event). */
const prefixed = (keys: readonly (keyof Encoded)[]) =>
  keys.map((k) => [k as Exclude<keyof Encoded, 'seq'>, `${JSON.stringify(k)}:`] as const);
const BEFORE_SEQ = prefixed(CANONICAL_KEYS.slice(0, SEQ_AT));
const AFTER_SEQ = prefixed(CANONICAL_KEYS.slice(SEQ_AT + 1));

const nullable = (s: string | null) => (s === null ? 'null' : str(s));

/** `encode` serialises the jsonb columns (pass a memoising jcs for values shared between events). */
export function canonicalRecord(r: AuditRecord, encode: (v: unknown) => string = jcs): CanonicalRecord {
  if (!Number.isSafeInteger(r.rows)) throw encodeError(`rows ${r.rows}`);
  const json = {
    fields: encode(r.fields),
    counts: encode(r.counts),
    detail: r.detail === null || r.detail === undefined ? null : encode(r.detail),
  };
  const e: Omit<Encoded, 'seq'> = {
    event_id: str(r.event_id),
    ts: str(canonicalTs(r.ts)),
    actor_id: nullable(r.actor_id),
    actor_name: str(r.actor_name),
    roles: jcs(r.roles),
    auth: jcs(r.auth),
    source_ip: nullable(r.source_ip),
    request_id: nullable(r.request_id),
    action: str(r.action),
    operation: nullable(r.operation),
    operation_hash: nullable(r.operation_hash),
    highest_level: nullable(r.highest_level),
    fields: json.fields,
    counts: json.counts,
    rows: String(r.rows),
    outcome: str(r.outcome),
    reason_code: nullable(r.reason_code),
    session_id: nullable(r.session_id),
    grant_id: nullable(r.grant_id),
    purpose: nullable(r.purpose),
    subject: nullable(r.subject),
    detail: json.detail ?? 'null',
    alg: str(r.alg),
  };
  const part = (keys: typeof BEFORE_SEQ) => keys.map(([k, prefix]) => `${prefix}${e[k]}`).join(',');
  return {
    before: `{${part(BEFORE_SEQ)},"seq":`,
    after: `${AFTER_SEQ.length ? ',' : ''}${part(AFTER_SEQ)}}`,
    json,
  };
}

/** The canonical bytes of a record at sequence number `seq`. */
export function canonicalBytes(c: CanonicalRecord, seq: number): Buffer {
  if (!Number.isSafeInteger(seq) || seq < 1) throw encodeError(`seq ${seq}`);
  return Buffer.from(`${c.before}${seq}${c.after}`, 'utf8');
}

/** H(prev || bytes). */
export function chainHash(alg: HashAlgorithm, prev: Buffer, bytes: Buffer): Buffer {
  return createHash(alg).update(prev).update(bytes).digest();
}

/** The hash of a record at `seq` after `prev`. */
export function eventHash(r: AuditRecord, seq: number, prev: Buffer, encode?: (v: unknown) => string): Buffer {
  return chainHash(r.alg, prev, canonicalBytes(canonicalRecord(r, encode), seq));
}
