/**
 * Audit events into warden.audit_events with group commit and a hash chain:
 * the events that arrive while a write is in flight go out together in the
 * next multi-row INSERT, each with the next sequence number and
 * hash = H(prev_hash || canonical bytes), and each caller's promise settles
 * when its own batch commits (or fails: then the caller must withhold the
 * data it was about to return).
 *
 * The head of the chain (seq, hash) is kept in memory, loaded at the first
 * write. When another process appended first, the database refuses the batch
 * (key conflict or the chain trigger, SQLSTATE WA001): the head is reloaded
 * and the batch re-chained and retried. In the common case a batch is one
 * INSERT statement.
 *
 * The sink remembers the last (seq, hash) it committed itself. A reloaded head
 * below that seq, or a row at that seq with another hash, means the tail was
 * deleted or rewritten behind the triggers: the sink fails closed (the batch's
 * callers are rejected with AUDIT_TAMPERED, nothing is written) rather than
 * extend — and let the checkpointer sign — a forged chain.
 */
import { randomBytes } from 'node:crypto';
import { wardenError } from '@warden/core';
import type pg from 'pg';
import type { AuditSink } from './audit-event.js';
import { hashSourceIp, recordOf } from './audit-record.js';
import {
  type AuditRecord,
  type CanonicalRecord,
  canonicalBytes,
  canonicalRecord,
  chainHash,
  GENESIS_HASH,
  type HashAlgorithm,
  jcs,
} from './canonical.js';

export interface ChainHead {
  seq: number;
  hash: Buffer;
}

export interface PgAuditSinkOptions {
  maxBatch?: number;
  /** The chain's hash function (default sha256; sm3 for the commercial-cryptography profile). */
  hashAlgorithm?: HashAlgorithm;
  /** 32 bytes: source addresses are stored only as HMAC-SHA-256 under this key. Default: a random key of this sink. */
  ipKey?: Buffer;
  /** Called after each committed batch with the new head (the checkpointer counts events with it). */
  onCommit?: (head: ChainHead) => void;
  /** Conflicts with other writers tolerated per batch before its callers are failed (default 50). */
  maxRetries?: number;
}

interface Prepared {
  record: AuditRecord;
  canonical: CanonicalRecord;
}

interface Pending {
  prepared: Prepared;
  resolve: () => void;
  reject: (e: unknown) => void;
}

interface Chained {
  prepared: Prepared;
  seq: number;
  prev: Buffer;
  hash: Buffer;
}

/** A column whose value is the record's field of the same name. */
const field =
  (name: keyof AuditRecord) =>
  (c: Chained): unknown =>
    c.prepared.record[name];

/** Each column of warden.audit_events with its SQL type and where its value comes from. */
const COLUMNS: readonly (readonly [column: string, type: string, value: (c: Chained) => unknown])[] = [
  ['seq', 'int8', (c) => c.seq],
  ['event_id', 'uuid', field('event_id')],
  ['ts', 'timestamptz', field('ts')],
  ['actor_id', 'uuid', field('actor_id')],
  ['actor_name', 'text', field('actor_name')],
  ['roles', 'text[]', field('roles')],
  ['auth', 'text[]', field('auth')],
  ['source_ip', 'text', field('source_ip')],
  ['request_id', 'text', field('request_id')],
  ['action', 'text', field('action')],
  ['operation', 'text', field('operation')],
  ['operation_hash', 'text', field('operation_hash')],
  ['highest_level', 'text', field('highest_level')],
  ['fields', 'jsonb', (c) => c.prepared.canonical.json.fields],
  ['counts', 'jsonb', (c) => c.prepared.canonical.json.counts],
  ['rows', 'int', field('rows')],
  ['outcome', 'text', field('outcome')],
  ['reason_code', 'text', field('reason_code')],
  ['session_id', 'text', field('session_id')],
  ['grant_id', 'text', field('grant_id')],
  ['purpose', 'text', field('purpose')],
  ['subject', 'text', field('subject')],
  ['detail', 'jsonb', (c) => c.prepared.canonical.json.detail],
  ['alg', 'text', field('alg')],
  ['prev_hash', 'bytea', (c) => c.prev],
  ['hash', 'bytea', (c) => c.hash],
];

/** The INSERT of n events, built once per batch size (the common small sizes are kept). */
const KEEP_INSERTS_UP_TO = 64;
const inserts = new Map<number, string>();
function insertOf(n: number): string {
  let sql = inserts.get(n);
  if (sql === undefined) {
    const tuple = (r: number) => `(${COLUMNS.map(([, type], c) => `$${r * COLUMNS.length + c + 1}::${type}`).join(', ')})`;
    sql = `INSERT INTO warden.audit_events (${COLUMNS.map(([column]) => column).join(', ')}) VALUES ${Array.from({ length: n }, (_, r) => tuple(r)).join(', ')}`;
    if (n <= KEEP_INSERTS_UP_TO) inserts.set(n, sql);
  }
  return sql;
}

// The same field list (one per cached disclosure plan) serialises once.
const jsonOf = new WeakMap<object, string>();
function memoJcs(v: unknown): string {
  if (typeof v !== 'object' || v === null) return jcs(v);
  let s = jsonOf.get(v);
  if (s === undefined) {
    s = jcs(v);
    jsonOf.set(v, s);
  }
  return s;
}

/** The head of the chain as stored: the last event, or seq 0 and the genesis hash. */
export async function loadChainHead(pool: Pick<pg.Pool, 'query'>): Promise<ChainHead> {
  const { rows } = await pool.query<{ seq: string; hash: Buffer }>(
    'SELECT e.seq::text AS seq, e.hash FROM warden.audit_events e ORDER BY e.seq DESC LIMIT 1',
  );
  const last = rows[0];
  return last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
}

/**
 * Throws AUDIT_TAMPERED unless the stored chain still holds `committed` (an
 * event this process wrote) at its seq, with `head` (just loaded) at or past it.
 */
export async function assertChainHolds(
  pool: Pick<pg.Pool, 'query'>,
  head: ChainHead,
  committed: { seq: number; hash?: Buffer },
): Promise<void> {
  if (head.seq < committed.seq) {
    throw wardenError('AUDIT_TAMPERED', {
      reason: `the log ends at event ${head.seq} but event ${committed.seq} was committed (tail deleted)`,
      seq: head.seq + 1,
    });
  }
  if (committed.hash === undefined || committed.seq === 0) return;
  // At the head, the hash just loaded is the stored one: no second read.
  const stored =
    head.seq === committed.seq
      ? head.hash
      : (await pool.query<{ hash: Buffer }>('SELECT e.hash FROM warden.audit_events e WHERE e.seq = $1', [committed.seq])).rows[0]?.hash;
  if (!stored?.equals(committed.hash)) {
    throw wardenError('AUDIT_TAMPERED', {
      reason: `event ${committed.seq} no longer has the hash it was committed with (rewritten)`,
      seq: committed.seq,
    });
  }
}

/** A refusal that means another writer extended the chain first. */
function lostRace(e: unknown): boolean {
  const err = e as { code?: string; constraint?: string };
  return err.code === 'WA001' || (err.code === '23505' && err.constraint === 'audit_events_pkey');
}

export function createPgAuditSink(pool: pg.Pool, opts: PgAuditSinkOptions = {}): AuditSink {
  const maxBatch = opts.maxBatch ?? 500;
  const maxRetries = opts.maxRetries ?? 50;
  const alg = opts.hashAlgorithm ?? 'sha256';
  const ipKey = opts.ipKey ?? randomBytes(32);
  if (ipKey.length !== 32) throw new Error('the audit source-address key must be 32 bytes');
  // The few addresses a gateway sees again and again: their keyed hashes, computed once (bounded).
  const ipHashes = new Map<string, string>();
  const hashIp = (ip: string) => {
    let h = ipHashes.get(ip);
    if (h === undefined) {
      if (ipHashes.size >= 4096) ipHashes.clear();
      h = hashSourceIp(ipKey, ip);
      ipHashes.set(ip, h);
    }
    return h;
  };
  let head: ChainHead | undefined;
  /** The last event this sink committed: the stored chain must never fall behind it or differ at it. */
  let committed: ChainHead | undefined;
  let queue: Pending[] = [];
  let draining = false;
  let flushing: Promise<void> = Promise.resolve();
  let closed = false;

  function chain(batch: readonly Pending[], from: ChainHead): Chained[] {
    let prev = from.hash;
    return batch.map((p, i) => {
      const seq = from.seq + i + 1;
      const hash = chainHash(p.prepared.record.alg, prev, canonicalBytes(p.prepared.canonical, seq));
      const c = { prepared: p.prepared, seq, prev, hash };
      prev = hash;
      return c;
    });
  }

  /** Writes one batch, re-chaining it on the new head when another writer got there first. */
  async function write(batch: readonly Pending[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (head === undefined) {
        const loaded = await loadChainHead(pool);
        if (committed) await assertChainHolds(pool, loaded, committed); // fails closed: nothing written
        head = loaded;
      }
      const rows = chain(batch, head);
      try {
        await pool.query(
          insertOf(rows.length),
          rows.flatMap((c) => COLUMNS.map(([, , value]) => value(c))),
        );
      } catch (e) {
        head = undefined; // unknown now: reloaded before the next write
        if (!lostRace(e) || attempt >= maxRetries) throw e;
        if (attempt >= 2) await new Promise((r) => setTimeout(r, Math.random() * Math.min(2 ** attempt, 50)));
        continue;
      }
      const last = rows[rows.length - 1] as Chained;
      head = { seq: last.seq, hash: last.hash };
      committed = head;
      opts.onCommit?.(head);
      return;
    }
  }

  /**
   * Writes batches until the queue is empty. `draining` is cleared in the same
   * microtask as the last empty-queue check: an append that arrives after that
   * check always finds no drain running and starts one, so none is stranded.
   */
  async function drain(): Promise<void> {
    try {
      while (queue.length) {
        const batch = queue.slice(0, maxBatch);
        queue = queue.slice(batch.length);
        try {
          await write(batch);
          for (const p of batch) p.resolve();
        } catch (e) {
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      draining = false;
    }
  }

  /** One drain at a time; whoever asks while one runs shares it. */
  function flush(): Promise<void> {
    if (!draining && queue.length > 0) {
      draining = true;
      flushing = drain();
    }
    return flushing;
  }

  return {
    append(event) {
      if (closed) return Promise.reject(new Error('audit sink is closed'));
      return new Promise<void>((resolve, reject) => {
        // An event that cannot be encoded fails its own caller only, before it joins a batch.
        const record = recordOf(event, { alg, ipKey, hashIp });
        queue.push({ prepared: { record, canonical: canonicalRecord(record, memoJcs) }, resolve, reject });
        if (!draining) queueMicrotask(() => void flush());
      });
    },
    async close() {
      closed = true;
      await flush(); // waits for a batch in flight as well as for the queue
    },
  };
}
