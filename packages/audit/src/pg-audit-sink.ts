/**
 * Audit events into warden.audit_events with group commit: the events that
 * arrive while a write is in flight go out together in the next multi-row
 * INSERT, and each caller's promise settles when its own batch commits (or
 * fails: then the caller must withhold the data it was about to return).
 */
import type pg from 'pg';
import type { AuditEvent, AuditSink } from './audit-event.js';

const COLUMNS = [
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
] as const;
const TYPES = [
  'uuid',
  'timestamptz',
  'uuid',
  'text',
  'text[]',
  'text[]',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'jsonb',
  'jsonb',
  'int',
  'text',
  'text',
];

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

function row(e: AuditEvent): unknown[] {
  return [
    e.eventId,
    e.ts,
    e.actorId ?? null,
    e.actorName,
    e.roles,
    e.auth,
    e.sourceIp ?? null,
    e.requestId ?? null,
    e.action,
    e.operation ?? null,
    e.operationHash ?? null,
    e.highestLevel ?? null,
    json(e.fields),
    JSON.stringify(e.counts),
    e.rows,
    e.outcome,
    e.reasonCode ?? null,
  ];
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
          const rows = batch.map((p) => row(p.event));
          const values = rows.map((_, r) => `(${TYPES.map((t, c) => `$${r * TYPES.length + c + 1}::${t}`).join(', ')})`);
          await pool.query(`INSERT INTO warden.audit_events (${COLUMNS.join(', ')}) VALUES ${values.join(', ')}`, rows.flat());
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
