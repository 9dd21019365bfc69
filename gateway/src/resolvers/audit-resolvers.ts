/**
 * GraphQL for auditors: the audit log in pages (keyset on seq, sealed
 * cursors) and its verification. Only a principal whose roles may
 * `read AuditEvent` gets either; everyone else gets FORBIDDEN.
 *
 * Reading the log is audited too: `audit.read` (the filter in detail) and
 * `audit.verify` (the verdict in detail), appended before the answer is
 * given; when the append fails the answer is AUDIT_UNAVAILABLE.
 */
import type { CompiledPolicies } from '@warden/access';
import { randomUUID } from 'node:crypto';
import type { AuditEvent, AuditEventFilter, AuditReader, AuditSink, StoredAuditEvent } from '@warden/audit';
import { type Clock, isLevel, type Principal, systemClock, wardenError } from '@warden/core';
import { callerAllowed } from './caller.js';
import type { CursorCodec } from './cursor.js';

const AUDIT_PAGE_DEFAULT = 20;
const AUDIT_PAGE_MAX = 100;
const OUTCOMES = new Set(['ALLOWED', 'PARTIAL', 'DENIED', 'FAILED']);
const CURSOR_SCOPE = 'AuditEvent';

export interface AuditResolverDeps {
  policies: CompiledPolicies;
  reader?: AuditReader;
  cursors: CursorCodec;
  /** Where reading the log is audited (fail closed). */
  audit: AuditSink;
  clock?: Clock;
}

type Args = Record<string, unknown>;
type Ctx = { principal?: Principal; sourceIp?: string; requestId?: string };

/** Appends the auditor's own event; the answer is withheld (AUDIT_UNAVAILABLE) when that fails. */
async function audited(deps: AuditResolverDeps, ctx: Ctx, event: Pick<AuditEvent, 'action' | 'rows' | 'detail'>): Promise<void> {
  const p = ctx.principal as Principal;
  try {
    await deps.audit.append({
      eventId: randomUUID(),
      ts: (deps.clock ?? systemClock).now(),
      actorId: p.id,
      actorName: p.name,
      roles: p.roles,
      auth: p.amr,
      sessionId: p.sessionId,
      sourceIp: ctx.sourceIp,
      requestId: ctx.requestId,
      fields: [],
      counts: {},
      outcome: 'ALLOWED',
      ...event,
    });
  } catch {
    throw wardenError('AUDIT_UNAVAILABLE');
  }
}

/** The filter as the audit event records it: only what was given, times in ISO 8601. */
function filterDetail(f: AuditEventFilter): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) if (v !== undefined) out[k] = v instanceof Date ? v.toISOString() : String(v);
  return out;
}

function allowed(deps: AuditResolverDeps, principal: Principal | undefined): AuditReader {
  callerAllowed(deps.policies, principal, 'read', 'AuditEvent', 'read the audit log');
  if (!deps.reader) throw wardenError('NOT_READY');
  return deps.reader;
}

function time(v: unknown, argument: string): Date | undefined {
  if (v === undefined || v === null) return undefined;
  const d = new Date(String(v));
  if (Number.isNaN(d.getTime())) throw wardenError('INVALID_ARGUMENT', { argument, reason: 'not an ISO 8601 time' });
  return d;
}

function text(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

/** The filter argument checked and typed. */
function auditFilter(raw: unknown): AuditEventFilter {
  const f = (raw ?? {}) as Args;
  const outcome = text(f.outcome);
  if (outcome !== undefined && !OUTCOMES.has(outcome)) {
    throw wardenError('INVALID_ARGUMENT', { argument: 'filter.outcome', reason: 'one of ALLOWED, PARTIAL, DENIED, FAILED' });
  }
  const minLevel = text(f.minLevel);
  if (minLevel !== undefined && !isLevel(minLevel))
    throw wardenError('INVALID_ARGUMENT', { argument: 'filter.minLevel', reason: 'one of L1–L5' });
  return {
    actorName: text(f.actorName),
    action: text(f.action),
    outcome,
    from: time(f.from, 'filter.from'),
    to: time(f.to, 'filter.to'),
    minLevel: minLevel as AuditEventFilter['minLevel'],
    grantId: text(f.grantId),
  };
}

function eventView(e: StoredAuditEvent) {
  return {
    ...e,
    seq: String(e.seq),
    ts: e.ts.toISOString(),
    fields: e.fields.map((f) => ({ ...f, detail: f.detail ?? null })),
    counts: { clear: e.counts.CLEAR ?? 0, mask: e.counts.MASK ?? 0, deny: e.counts.DENY ?? 0 },
    detail: e.detail === null ? null : JSON.stringify(e.detail),
  };
}

export function auditResolvers(deps: AuditResolverDeps) {
  return {
    Query: {
      async auditEvents(_p: unknown, args: Args, ctx: Ctx) {
        const reader = allowed(deps, ctx.principal);
        const first = args.first === undefined || args.first === null ? AUDIT_PAGE_DEFAULT : Number(args.first);
        if (first > AUDIT_PAGE_MAX) throw wardenError('PAGE_SIZE_EXCEEDED', { max: AUDIT_PAGE_MAX });
        if (!Number.isInteger(first) || first < 1) throw wardenError('INVALID_ARGUMENT', { argument: 'first', reason: 'at least 1' });
        const after = typeof args.after === 'string' ? deps.cursors.decode(CURSOR_SCOPE, args.after) : 0;
        const filter = auditFilter(args.filter);
        const { events, hasNextPage } = await reader.page({ first, after, filter });
        await audited(deps, ctx, {
          action: 'audit.read',
          rows: events.length,
          detail: {
            filter: filterDetail(filter),
            first,
            after,
            ...(events.length ? { seqs: [events[0]?.seq, events[events.length - 1]?.seq] } : {}),
          },
        });
        const edges = events.map((e) => ({ cursor: deps.cursors.encode(CURSOR_SCOPE, e.seq), node: eventView(e) }));
        return {
          edges,
          pageInfo: {
            hasNextPage,
            hasPreviousPage: after > 0,
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges[edges.length - 1]?.cursor ?? null,
          },
        };
      },
      async auditVerification(_p: unknown, _a: Args, ctx: Ctx) {
        const r = await allowed(deps, ctx.principal).verify();
        await audited(deps, ctx, {
          action: 'audit.verify',
          rows: 0,
          detail: {
            ok: r.ok,
            events: r.events,
            checkpoints: r.checkpoints,
            ...(r.ok ? {} : { firstBadSeq: r.firstBadSeq, reason: r.reason }),
            verifiedAt: r.verifiedAt.toISOString(),
          },
        });
        return {
          ok: r.ok,
          events: r.events,
          checkpoints: r.checkpoints,
          firstBadSeq: r.firstBadSeq === undefined ? null : String(r.firstBadSeq),
          reason: r.reason ?? null,
          verifiedAt: r.verifiedAt.toISOString(),
        };
      },
    },
  };
}
