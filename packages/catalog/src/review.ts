/**
 * A steward's decision on a proposed label version, as a pure function: who
 * may decide, what the next label version is, or which error refuses it.
 *
 * - Only a holder of `review Label` decides (FORBIDDEN); nobody decides on
 *   their own proposal, nor confirms a downgrade they started (SELF_APPROVAL).
 * - Only a version awaiting review (PENDING_REVIEW, RECHECK_DUE) is decided.
 * - A downgrade — a level below the current approved one, or an edit below the
 *   proposed one — needs a written reason (≥ 10 characters) and two distinct
 *   reviewers: the first approval appends a PENDING_REVIEW version with
 *   `basis.firstReviewer`, the second, by someone else, approves it.
 * - Core data stays refused: a core label is never approved (CORE_DATA_REFUSED).
 */
import { atLeast, type ErrorCode, type Label, type Level, maxLevel } from '@warden/core';

export type ReviewAction =
  | { kind: 'approve' }
  | { kind: 'reject' }
  | { kind: 'edit'; level?: Level; category?: string; mask?: string | null };

/** A label version as stored, with who proposed it and its basis. */
export interface ProposedLabel extends Label {
  proposedBy: string;
  basis: Record<string, unknown>;
}

export interface ReviewInput {
  /** The latest APPROVED version of the asset, if any. */
  approved?: Pick<Label, 'level' | 'core'>;
  proposal: ProposedLabel;
  reviewer: { name: string; canReview: boolean };
  action: ReviewAction;
  reason?: string;
  /** Whether a masking rule of that name exists in policies/masking.yaml. */
  maskExists: (name: string) => boolean;
}

/** The next label version, ready for LabelStore.append. */
export type NextLabel = Omit<Label, 'version'> & { proposedBy: string; reviewedBy: string; basis: Record<string, unknown> };

export type ReviewOutcome =
  | { ok: true; next: NextLabel; awaitingSecondReview: boolean }
  | { ok: false; code: ErrorCode; params: Record<string, unknown> };

export const MIN_REASON_LENGTH = 10;

const refuse = (code: ErrorCode, params: Record<string, unknown> = {}): ReviewOutcome => ({ ok: false, code, params });

export function decideReview(input: ReviewInput): ReviewOutcome {
  const { proposal, reviewer, action, approved } = input;
  if (!reviewer.canReview) return refuse('FORBIDDEN', { action: 'review labels' });
  if (proposal.state !== 'PENDING_REVIEW' && proposal.state !== 'RECHECK_DUE') {
    return refuse('INVALID_ARGUMENT', { argument: 'version', reason: `label version is ${proposal.state}, not awaiting review` });
  }
  const firstReviewer = typeof proposal.basis.firstReviewer === 'string' ? proposal.basis.firstReviewer : undefined;
  if (reviewer.name === proposal.proposedBy || reviewer.name === firstReviewer) return refuse('SELF_APPROVAL');
  const reason = input.reason?.trim() || undefined;
  const review = { reviewer: reviewer.name, action: action.kind, ...(reason ? { reason } : {}) };
  const { firstReviewer: _drop, downgrade: _was, ...basis } = proposal.basis;

  if (action.kind === 'reject') {
    return {
      ok: true,
      awaitingSecondReview: false,
      next: {
        ...labelOf(proposal),
        state: 'REJECTED',
        proposedBy: proposal.proposedBy,
        reviewedBy: reviewer.name,
        basis: { ...basis, review },
      },
    };
  }

  const edited = action.kind === 'edit' ? applyEdit(proposal, action, input.maskExists) : labelOf(proposal);
  if ('code' in edited) return edited;
  if (edited.core || approved?.core) return refuse('CORE_DATA_REFUSED');

  // Below the approved level, or an edit below the proposed one.
  const references = [approved?.level, action.kind === 'edit' ? proposal.level : undefined].filter((l): l is Level => l !== undefined);
  const pendingDowngrade = firstReviewer !== undefined;
  const downgrade = pendingDowngrade || references.some((l) => !atLeast(edited.level, l));
  if (!downgrade) {
    return {
      ok: true,
      awaitingSecondReview: false,
      next: { ...edited, state: 'APPROVED', proposedBy: proposal.proposedBy, reviewedBy: reviewer.name, basis: { ...basis, review } },
    };
  }
  if (pendingDowngrade) {
    // The second, distinct reviewer confirms the downgrade the first one approved (with its reason).
    return {
      ok: true,
      awaitingSecondReview: false,
      next: {
        ...edited,
        state: 'APPROVED',
        proposedBy: proposal.proposedBy,
        reviewedBy: reviewer.name,
        basis: { ...basis, downgrade: proposal.basis.downgrade, firstReviewer, review },
      },
    };
  }
  if (!reason || reason.length < MIN_REASON_LENGTH) {
    return refuse('INVALID_ARGUMENT', {
      argument: 'reason',
      reason: `a downgrade needs a written reason of at least ${MIN_REASON_LENGTH} characters`,
    });
  }
  const from = approved ? maxLevel(approved.level, proposal.level) : proposal.level;
  return {
    ok: true,
    awaitingSecondReview: true,
    next: {
      ...edited,
      state: 'PENDING_REVIEW',
      proposedBy: proposal.proposedBy,
      reviewedBy: reviewer.name,
      basis: { ...basis, firstReviewer: reviewer.name, downgrade: { from, to: edited.level, reason }, review },
    },
  };
}

function labelOf(l: Label): Omit<Label, 'version' | 'state'> {
  return {
    urn: l.urn,
    category: l.category,
    level: l.level,
    core: l.core,
    pi: l.pi,
    secret: l.secret,
    ...(l.mask ? { mask: l.mask } : {}),
  };
}

function applyEdit(
  proposal: Label,
  edit: Extract<ReviewAction, { kind: 'edit' }>,
  maskExists: (name: string) => boolean,
): Omit<Label, 'version' | 'state'> | { ok: false; code: ErrorCode; params: Record<string, unknown> } {
  const base = labelOf(proposal);
  const category = edit.category === undefined ? base.category : edit.category.trim();
  if (!category) return { ok: false, code: 'INVALID_ARGUMENT', params: { argument: 'category', reason: 'must not be empty' } };
  const level = edit.level ?? base.level;
  const mask = edit.mask === undefined ? base.mask : edit.mask?.trim() || undefined;
  if (mask !== undefined && !maskExists(mask)) {
    return { ok: false, code: 'INVALID_ARGUMENT', params: { argument: 'mask', reason: 'no such masking rule' } };
  }
  if (atLeast(level, 'L3') && mask === undefined) {
    return { ok: false, code: 'INVALID_ARGUMENT', params: { argument: 'mask', reason: 'an L3 or higher label needs a masking rule' } };
  }
  const { mask: _old, ...rest } = base;
  return { ...rest, category, level, ...(mask ? { mask } : {}) };
}
