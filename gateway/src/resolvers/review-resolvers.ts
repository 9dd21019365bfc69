/**
 * GraphQL for stewards reviewing labels: the proposals awaiting review and the
 * approve / reject / edit decisions. Thin: `decideReview` (@warden/catalog)
 * holds every rule; these resolvers load the proposal, name the reviewer (the
 * calling principal) and append the decided version through the label store,
 * which audits it (`label.change`, fail closed) and reloads every gateway
 * through its notification — the next read already uses the new label.
 * Decisions on one asset are serialised (advisory lock), so two reviewers
 * cannot both decide the same version.
 */
import type { CompiledPolicies } from '@warden/access';
import { decideReview, type LabelRow, type LabelStore, type ProposedLabel, type ReviewAction, toLabel } from '@warden/catalog';
import { isLevel, type Label, type Principal, wardenError } from '@warden/core';
import type pg from 'pg';
import { callerAllowed } from './caller.js';

export interface ReviewResolverDeps {
  policies: CompiledPolicies;
  labels: LabelStore;
  control: pg.Pool;
}

type Args = Record<string, unknown>;
type Ctx = { principal?: Principal };

const DEFAULT_FIRST = 100;
const MAX_FIRST = 500;

interface Row extends LabelRow {
  proposed_by: string;
  basis: Record<string, unknown>;
  created_at: Date;
}

const COLUMNS = 'urn, version, category, level, core, pi, secret, state, mask, proposed_by, basis, created_at';

function reviewer(deps: ReviewResolverDeps, principal: Principal | undefined) {
  return { name: callerAllowed(deps.policies, principal, 'review', 'Label', 'review labels').name, canReview: true };
}

function toProposal(r: Row): ProposedLabel {
  return { ...toLabel(r), proposedBy: r.proposed_by, basis: r.basis ?? {} };
}

async function approvedOf(db: pg.Pool | pg.PoolClient, urn: string): Promise<Pick<Label, 'level' | 'core'> | undefined> {
  const { rows } = await db.query<Pick<Label, 'level' | 'core'>>(
    "SELECT level, core FROM warden.labels WHERE urn = $1 AND state = 'APPROVED' ORDER BY version DESC LIMIT 1",
    [urn],
  );
  return rows[0];
}

function optionalString(args: Args, name: string): string | undefined {
  const v = args[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw wardenError('INVALID_ARGUMENT', { argument: name, reason: 'must be a string' });
  return v;
}

function actionOf(kind: ReviewAction['kind'], args: Args): ReviewAction {
  if (kind !== 'edit') return { kind };
  const level = optionalString(args, 'level');
  if (level !== undefined && !isLevel(level)) throw wardenError('INVALID_ARGUMENT', { argument: 'level', reason: 'must be one of L1–L5' });
  const mask = optionalString(args, 'mask');
  return {
    kind,
    ...(level !== undefined ? { level } : {}),
    ...(args.category !== undefined && args.category !== null ? { category: optionalString(args, 'category') } : {}),
    ...(mask !== undefined ? { mask: mask === '' ? null : mask } : {}),
  };
}

async function decide(deps: ReviewResolverDeps, kind: ReviewAction['kind'], args: Args, ctx: Ctx) {
  const who = reviewer(deps, ctx.principal);
  const urn = String(args.urn);
  const version = args.version as number;
  const action = actionOf(kind, args);
  const reason = optionalString(args, 'reason');
  const client = await deps.control.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`warden.review:${urn}`]);
    try {
      const { rows } = await client.query<Row & { latest: number }>(
        `SELECT ${COLUMNS}, (SELECT max(version) FROM warden.labels WHERE urn = $1) AS latest
           FROM warden.labels WHERE urn = $1 AND version = $2`,
        [urn, version],
      );
      const row = rows[0];
      if (!row) throw wardenError('NOT_FOUND');
      if (row.latest !== row.version) {
        throw wardenError('INVALID_ARGUMENT', { argument: 'version', reason: `superseded by version ${row.latest}` });
      }
      const approved = await approvedOf(client, urn);
      const outcome = decideReview({
        ...(approved ? { approved } : {}),
        proposal: toProposal(row),
        reviewer: who,
        action,
        ...(reason !== undefined ? { reason } : {}),
        maskExists: (name) => deps.policies.maskRules.has(name),
      });
      if (!outcome.ok) throw wardenError(outcome.code, outcome.params);
      const { next } = outcome;
      const written = await deps.labels.append({ ...next, ...(reason ? { note: reason } : {}) });
      return {
        ...written,
        mask: written.mask ?? null,
        proposedBy: next.proposedBy,
        reviewedBy: next.reviewedBy,
        awaitingSecondReview: outcome.awaitingSecondReview,
      };
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`warden.review:${urn}`]);
    }
  } finally {
    client.release();
  }
}

export function reviewResolvers(deps: ReviewResolverDeps) {
  return {
    Query: {
      async labelProposals(_: unknown, args: Args, ctx: Ctx) {
        reviewer(deps, ctx.principal);
        const first = (args.first as number | null | undefined) ?? DEFAULT_FIRST;
        if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST) {
          throw wardenError('INVALID_ARGUMENT', { argument: 'first', reason: `must be between 1 and ${MAX_FIRST}` });
        }
        const { rows } = await deps.control.query<Row & { approved_level: string | null }>(
          `SELECT ${COLUMNS.split(', ')
            .map((c) => `c.${c}`)
            .join(', ')},
                  (SELECT a.level FROM warden.labels a WHERE a.urn = c.urn AND a.state = 'APPROVED' ORDER BY a.version DESC LIMIT 1) AS approved_level
             FROM warden.current_labels c
            WHERE c.state IN ('PENDING_REVIEW', 'RECHECK_DUE')
            ORDER BY c.created_at, c.urn
            LIMIT $1`,
          [first],
        );
        return rows.map((r) => {
          const downgrade = r.basis?.downgrade as { reason?: unknown } | undefined;
          return {
            urn: r.urn,
            version: r.version,
            category: r.category,
            level: r.level,
            core: r.core,
            pi: r.pi,
            mask: r.mask,
            state: r.state,
            proposedBy: r.proposed_by,
            proposedAt: r.created_at.toISOString(),
            approvedLevel: r.approved_level,
            firstReviewer: typeof r.basis?.firstReviewer === 'string' ? r.basis.firstReviewer : null,
            downgradeReason: typeof downgrade?.reason === 'string' ? downgrade.reason : null,
          };
        });
      },
    },
    Mutation: {
      approveLabel: (_: unknown, args: Args, ctx: Ctx) => decide(deps, 'approve', args, ctx),
      rejectLabel: (_: unknown, args: Args, ctx: Ctx) => decide(deps, 'reject', args, ctx),
      editLabel: (_: unknown, args: Args, ctx: Ctx) => decide(deps, 'edit', args, ctx),
    },
  };
}
