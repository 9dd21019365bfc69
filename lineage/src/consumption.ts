/**
 * Consumption lineage (ARCHITECTURE step 9: app ──received──▶ field, clear or
 * masked). The governed read path hands every delivered field to `record`,
 * which only adds to in-memory counters per principal, UTC day, field and
 * disclosure; a background flush upserts them into `warden.consumption` every
 * `flushMs` and on `close`. Recording never waits on IO and never fails a
 * read: a failed flush keeps its counters for the next one (up to
 * `maxPending` keys, beyond which new keys are dropped and counted) — this is
 * lineage, the audit log is the record of L3+ reads.
 */
import type pg from 'pg';

export type ReceivedDisclosure = 'CLEAR' | 'MASK';

/** One field delivered by a read, and how. */
export interface ReceivedField {
  urn: string;
  disclosure: ReceivedDisclosure;
}

export interface ConsumptionRecorder {
  /** Adds one read of these fields by `principal`, returning `rows` rows, to today's counters. */
  record(principal: { id: string; name: string }, fields: readonly ReceivedField[], rows: number): void;
  /** Writes the pending counters now (also run every flushMs); resolves when written, never rejects. */
  flush(): Promise<void>;
  /** Stops the timer and flushes what is pending. */
  close(): Promise<void>;
  /** Counter keys dropped because the pending set was full (the database unreachable for long). */
  readonly dropped: number;
}

/** Who received a field, and how, over all recorded days. */
export interface FieldConsumer {
  urn: string;
  principalId: string;
  principalName: string;
  disclosure: ReceivedDisclosure;
  reads: number;
  rows: number;
  /** First and last UTC day (YYYY-MM-DD) with a read. */
  firstDay: string;
  lastDay: string;
}

/** One counter: reads and rows of one field by one principal on one UTC day with one disclosure. */
interface Pending {
  principalId: string;
  principalName: string;
  day: string;
  urn: string;
  disclosure: ReceivedDisclosure;
  reads: number;
  rows: number;
}

/** The pending counters of one principal on one day, by field and disclosure; the name is the latest one recorded. */
interface Bucket {
  principalId: string;
  principalName: string;
  day: string;
  fields: Map<string, Partial<Record<ReceivedDisclosure, Pending>>>;
}

const DAY_MS = 86_400_000;

const UPSERT = `INSERT INTO warden.consumption AS c (principal_id, principal_name, day, urn, disclosure, reads, rows)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::date[], $4::text[], $5::text[], $6::bigint[], $7::bigint[])
  ON CONFLICT (principal_id, day, urn, disclosure) DO UPDATE
  SET reads = c.reads + EXCLUDED.reads, rows = c.rows + EXCLUDED.rows, principal_name = EXCLUDED.principal_name, updated_at = now()`;

export function createConsumptionRecorder(
  pool: pg.Pool,
  opts: { now?: () => Date; flushMs?: number; maxPending?: number; log?: (message: string) => void } = {},
): ConsumptionRecorder {
  const now = opts.now ?? (() => new Date());
  const maxPending = opts.maxPending ?? 100_000;
  // Counters in creation order (the flush batch), indexed by day → principal → field → disclosure so
  // that recording a known counter allocates nothing: no key strings, no objects.
  let pending: Pending[] = [];
  let index = new Map<string, Map<string, Bucket>>();
  let dropped = 0;
  let running: Promise<void> | undefined;
  let closed = false;
  // The UTC day of the last record, recomputed only when the clock leaves it.
  let day = '';
  let dayStart = 0;
  let dayEnd = 0;

  function today(): string {
    const t = now().getTime();
    if (t < dayStart || t >= dayEnd) {
      dayStart = t - (((t % DAY_MS) + DAY_MS) % DAY_MS);
      dayEnd = dayStart + DAY_MS;
      day = new Date(dayStart).toISOString().slice(0, 10);
    }
    return day;
  }

  function bucketOf(day: string, principalId: string, principalName: string): Bucket {
    let principals = index.get(day);
    if (!principals) {
      principals = new Map();
      index.set(day, principals);
    }
    let bucket = principals.get(principalId);
    if (!bucket) {
      bucket = { principalId, principalName, day, fields: new Map() };
      principals.set(principalId, bucket);
    }
    bucket.principalName = principalName;
    return bucket;
  }

  function add(bucket: Bucket, urn: string, disclosure: ReceivedDisclosure, reads: number, rows: number) {
    let slot = bucket.fields.get(urn);
    const hit = slot?.[disclosure];
    if (hit) {
      hit.reads += reads;
      hit.rows += rows;
    } else if (pending.length < maxPending) {
      if (!slot) {
        slot = {};
        bucket.fields.set(urn, slot);
      }
      const p = { principalId: bucket.principalId, principalName: bucket.principalName, day: bucket.day, urn, disclosure, reads, rows };
      slot[disclosure] = p;
      pending.push(p);
    } else dropped += 1;
  }

  async function write(): Promise<void> {
    if (!pending.length) return;
    const batch = pending;
    pending = [];
    index = new Map();
    try {
      await pool.query(UPSERT, [
        batch.map((p) => p.principalId),
        batch.map((p) => p.principalName),
        batch.map((p) => p.day),
        batch.map((p) => p.urn),
        batch.map((p) => p.disclosure),
        batch.map((p) => p.reads),
        batch.map((p) => p.rows),
      ]);
    } catch (e) {
      opts.log?.(`consumption flush failed, keeping ${batch.length} counters: ${String(e)}`);
      for (const p of batch) add(bucketOf(p.day, p.principalId, p.principalName), p.urn, p.disclosure, p.reads, p.rows);
    }
  }

  function flush(): Promise<void> {
    // One flush at a time; a call during one waits for it and then writes what came in since.
    const next = (running ?? Promise.resolve()).then(write);
    running = next;
    return next;
  }

  const timer = setInterval(() => void flush(), opts.flushMs ?? 5_000);
  timer.unref();

  return {
    record(principal, fields, rows) {
      if (closed || !fields.length) return;
      const bucket = bucketOf(today(), principal.id, principal.name);
      for (const f of fields) add(bucket, f.urn, f.disclosure, 1, rows);
    },
    flush,
    async close() {
      closed = true;
      clearInterval(timer);
      await flush();
    },
    get dropped() {
      return dropped;
    },
  };
}

/** Who received any of `urns`, and how: one entry per field, principal and disclosure, over all days. */
export async function findConsumers(pool: pg.Pool, urns: readonly string[]): Promise<FieldConsumer[]> {
  if (!urns.length) return [];
  const r = await pool.query<{
    urn: string;
    principal_id: string;
    principal_name: string;
    disclosure: ReceivedDisclosure;
    reads: string;
    rows: string;
    first_day: string;
    last_day: string;
  }>(
    `SELECT urn, principal_id, (array_agg(principal_name ORDER BY day DESC))[1] AS principal_name, disclosure,
            sum(reads)::text AS reads, sum(rows)::text AS rows,
            to_char(min(day), 'YYYY-MM-DD') AS first_day, to_char(max(day), 'YYYY-MM-DD') AS last_day
       FROM warden.consumption WHERE urn = ANY($1::text[])
      GROUP BY urn, principal_id, disclosure
      ORDER BY urn, principal_name, disclosure`,
    [urns],
  );
  return r.rows.map((x) => ({
    urn: x.urn,
    principalId: x.principal_id,
    principalName: x.principal_name,
    disclosure: x.disclosure,
    reads: Number(x.reads),
    rows: Number(x.rows),
    firstDay: x.first_day,
    lastDay: x.last_day,
  }));
}
