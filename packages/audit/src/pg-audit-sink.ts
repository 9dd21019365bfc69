/**
 * Audit events into warden.audit_events with group commit: the events that
 * arrive while a write is in flight go out together in the next multi-row
 * INSERT, and each caller's promise settles when its own batch commits (or
 * fails: then the caller must withhold the data it was about to return).
 */
import type pg from 'pg';
import type { AuditEvent, AuditSink } from './audit-event.js';

/** Each column of warden.audit_events with its SQL type and where its value comes from. */
const COLUMNS: readonly (readonly [column: string, type: string, value: (e: AuditEvent) => unknown])[] = [
  ['event_id', 'uuid', (e) => e.eventId],
  ['ts', 'timestamptz', (e) => e.ts],
  ['actor_id', 'uuid', (e) => e.actorId ?? null],
  ['actor_name', 'text', (e) => e.actorName],
  ['roles', 'text[]', (e) => e.roles],
  ['auth', 'text[]', (e) => e.auth],
  ['source_ip', 'text', (e) => e.sourceIp ?? null],
  ['request_id', 'text', (e) => e.requestId ?? null],
  ['action', 'text', (e) => e.action],
  ['operation', 'text', (e) => e.operation ?? null],
  ['operation_hash', 'text', (e) => e.operationHash ?? null],
  ['highest_level', 'text', (e) => e.highestLevel ?? null],
  ['fields', 'jsonb', (e) => json(e.fields)],
  ['counts', 'jsonb', (e) => JSON.stringify(e.counts)],
  ['rows', 'int', (e) => e.rows],
  ['outcome', 'text', (e) => e.outcome],
  ['reason_code', 'text', (e) => e.reasonCode ?? null],
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

interface Pending {
  event: AuditEvent;
  resolve: () => void;
  reject: (e: unknown) => void;
}

// The same field list (one per cached disclosure plan) serialises once.
const fieldsJson = new WeakMap<object, string>();
function json(fields: AuditEvent['fields']): string {
  let s = fieldsJson.get(fields);
  if (s === undefined) {
    s = JSON.stringify(fields);
    fieldsJson.set(fields, s);
  }
  return s;
}

export function createPgAuditSink(pool: pg.Pool, opts: { maxBatch?: number } = {}): AuditSink {
  const maxBatch = opts.maxBatch ?? 500;
  let queue: Pending[] = [];
  let draining = false;
  let flushing: Promise<void> = Promise.resolve();
  let closed = false;

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
          const values = batch.flatMap((p) => COLUMNS.map(([, , value]) => value(p.event)));
          await pool.query(insertOf(batch.length), values);
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
        queue.push({ event, resolve, reject });
        if (!draining) queueMicrotask(() => void flush());
      });
    },
    async close() {
      closed = true;
      await flush(); // waits for a batch in flight as well as for the queue
    },
  };
}
