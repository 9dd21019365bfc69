/**
 * Reading the audit log for auditors: pages in seq order (keyset), filtered,
 * and the verification verdict (one run at a time, shared by whoever asks
 * while it runs, and kept for up to 60 s: a full recomputation of the chain
 * per call would let any auditor load the database at will).
 */
import { type Clock, type Level, systemClock } from '@warden/core';
import type pg from 'pg';
import { AUDIT_ROW_COLUMNS, type AuditRow } from './audit-record.js';
import type { AuditField } from './audit-event.js';
import type { HashAlgorithm } from './canonical.js';
import { verifyAuditLog } from './verify-audit-log.js';
import type { VerifyResult } from './verify-core.js';

export interface AuditEventFilter {
  actorName?: string;
  action?: string;
  outcome?: string;
  /** ts ≥ from. */
  from?: Date;
  /** ts < to. */
  to?: Date;
  /** highest_level ≥ minLevel (events without a level are left out). */
  minLevel?: Level;
  grantId?: string;
}

/** A stored event as auditors see it (hashes in hex; the source address only as its keyed hash). */
export interface StoredAuditEvent {
  seq: number;
  eventId: string;
  ts: Date;
  actorId: string | null;
  actorName: string;
  roles: string[];
  auth: string[];
  sourceIpHash: string | null;
  requestId: string | null;
  action: string;
  operation: string | null;
  operationHash: string | null;
  highestLevel: string | null;
  fields: AuditField[];
  counts: Partial<Record<'CLEAR' | 'MASK' | 'DENY', number>>;
  rows: number;
  outcome: string;
  reasonCode: string | null;
  sessionId: string | null;
  grantId: string | null;
  purpose: string | null;
  subject: string | null;
  detail: Record<string, unknown> | null;
  alg: string;
  prevHash: string;
  hash: string;
}

export interface AuditReader {
  /** Up to `first` events with seq > `after`, in seq order. */
  page(input: { first: number; after?: number; filter?: AuditEventFilter }): Promise<{ events: StoredAuditEvent[]; hasNextPage: boolean }>;
  /** The verdict, recomputed when the last one is older than the reader's cacheMs (default 60 s). */
  verify(): Promise<VerifyResult & { verifiedAt: Date }>;
}

/** How long a verification verdict is served again before the chain is recomputed. */
export const VERIFY_CACHE_MS = 60_000;

function view(r: AuditRow): StoredAuditEvent {
  return {
    seq: Number(r.seq),
    eventId: r.event_id,
    ts: r.ts,
    actorId: r.actor_id,
    actorName: r.actor_name,
    roles: [...r.roles],
    auth: [...r.auth],
    sourceIpHash: r.source_ip,
    requestId: r.request_id,
    action: r.action,
    operation: r.operation,
    operationHash: r.operation_hash,
    highestLevel: r.highest_level,
    fields: (r.fields ?? []) as AuditField[],
    counts: (r.counts ?? {}) as StoredAuditEvent['counts'],
    rows: r.rows,
    outcome: r.outcome,
    reasonCode: r.reason_code,
    sessionId: r.session_id,
    grantId: r.grant_id,
    purpose: r.purpose,
    subject: r.subject,
    detail: (r.detail ?? null) as Record<string, unknown> | null,
    alg: r.alg,
    prevHash: r.prev_hash.toString('hex'),
    hash: r.hash.toString('hex'),
  };
}

const PAGE_SQL = `SELECT ${AUDIT_ROW_COLUMNS} FROM warden.audit_events e
  WHERE e.seq > $1
    AND ($2::text IS NULL OR e.actor_name = $2)
    AND ($3::text IS NULL OR e.action = $3)
    AND ($4::text IS NULL OR e.outcome = $4)
    AND ($5::timestamptz IS NULL OR e.ts >= $5)
    AND ($6::timestamptz IS NULL OR e.ts < $6)
    AND ($7::text IS NULL OR e.highest_level >= $7)
    AND ($8::text IS NULL OR e.grant_id = $8)
  ORDER BY e.seq LIMIT $9`;

export function createAuditReader(
  pool: Pick<pg.Pool, 'query'>,
  opts: { publicKeyPem: string; checkpointFile?: string; hashAlgorithm?: HashAlgorithm; clock?: Clock; cacheMs?: number },
): AuditReader {
  const clock = opts.clock ?? systemClock;
  const cacheMs = opts.cacheMs ?? VERIFY_CACHE_MS;
  let running: Promise<VerifyResult & { verifiedAt: Date }> | undefined;
  let last: (VerifyResult & { verifiedAt: Date }) | undefined;
  return {
    async page({ first, after = 0, filter = {} }) {
      const { rows } = await pool.query<AuditRow>(PAGE_SQL, [
        after,
        filter.actorName ?? null,
        filter.action ?? null,
        filter.outcome ?? null,
        filter.from ?? null,
        filter.to ?? null,
        filter.minLevel ?? null,
        filter.grantId ?? null,
        first + 1,
      ]);
      return { events: rows.slice(0, first).map(view), hasNextPage: rows.length > first };
    },
    verify() {
      if (last && clock.now().getTime() - last.verifiedAt.getTime() < cacheMs) return Promise.resolve(last);
      running ??= (async () => {
        try {
          const result = await verifyAuditLog({
            pool,
            publicKeyPem: opts.publicKeyPem,
            checkpointFile: opts.checkpointFile,
            hashAlgorithm: opts.hashAlgorithm,
          });
          last = { ...result, verifiedAt: clock.now() };
          return last;
        } finally {
          running = undefined;
        }
      })();
      return running;
    },
  };
}
