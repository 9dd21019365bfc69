/**
 * Access requests → approvals → grants, and break-glass, as pure decisions
 * over the rules of policies/approvals.yaml (issue 3 item 4). No IO: the
 * access store loads the request, asks here, and writes what comes back.
 * Anything not positively allowed is refused with an error code.
 */
import { atLeast, type ErrorCode, type Grant, type Principal } from '@warden/core';
import type { PatternResult } from './access-patterns.js';
import { type CompiledPolicies, GRANT_LEVELS, type GrantLevel, type LevelApprovalRule } from './policy-types.js';

export type RequestState = 'PENDING' | 'APPROVED' | 'DENIED' | 'CANCELLED' | 'EXPIRED';
export type AccessMode = Grant['mode'];

export interface Refusal {
  code: ErrorCode;
  params: Record<string, unknown>;
}

/** The policies an access decision reads. */
export type AccessPolicies = Pick<CompiledPolicies, 'approvals' | 'abilityFor'>;

/** A request as the decisions see it. */
export interface RequestView {
  requesterId: string;
  level: GrantLevel;
  state: RequestState;
  mode: AccessMode;
  rowCap: number;
  durationHours: number;
  bulkRequested: boolean;
  createdAt: Date;
  /** Approvals recorded so far, one per distinct approver. */
  approvals: readonly RecordedApproval[];
}

/** An approval recorded earlier, with its approver as the principal is now. */
export interface RecordedApproval {
  approverId: string;
  bulkApproved: boolean;
  /** The approver's roles now (not when approving). */
  approverRoles: readonly string[];
  /** false: the approver's principal has been disabled since. */
  approverEnabled: boolean;
}

/** What a grant gets when a request is approved, or when the glass is broken. */
export interface GrantTerms {
  expiresAt: Date;
  mode: AccessMode;
  /** false: L4+ values are cleared one record at a time. */
  bulk: boolean;
  rowCap: number;
}

export type ApprovalOutcome =
  | ({ outcome: 'refused' } & Refusal)
  | { outcome: 'recorded'; approvals: number; needed: number; bulkApproved: boolean }
  | { outcome: 'complete'; approvals: number; needed: number; bulkApproved: boolean; grant: GrantTerms };

const MIN_PURPOSE_LENGTH = 10;
const MAX_TEXT_LENGTH = 1000;
const MIN_REASON_LENGTH = 5;
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

const refuse = (code: ErrorCode, params: Record<string, unknown> = {}): Refusal => ({ code, params });
const invalid = (argument: string, reason: string): Refusal => refuse('INVALID_ARGUMENT', { argument, reason });
/** The failed branch of checkRequest and decideBreakGlass. */
const failed = (r: Refusal) => ({ ok: false as const, ...r });

export function isGrantLevel(level: string): level is GrantLevel {
  return (GRANT_LEVELS as readonly string[]).includes(level);
}

/** MFA proven in this session (its id is the proof recorded) at most `minutes` before now, and not after it. */
export function mfaFresh(principal: Principal, minutes: number, now: Date): boolean {
  if (!principal.mfaAt || !principal.sessionId) return false;
  const age = now.getTime() - principal.mfaAt.getTime();
  return age >= 0 && age <= minutes * MINUTE_MS;
}

/** A pending request nobody decided within its level's longest grant duration has expired. */
export function effectiveState(policies: AccessPolicies, req: Pick<RequestView, 'state' | 'level' | 'createdAt'>, now: Date): RequestState {
  if (req.state !== 'PENDING') return req.state;
  const ttl = policies.approvals.levels[req.level].maxDurationHours * HOUR_MS;
  return now.getTime() >= req.createdAt.getTime() + ttl ? 'EXPIRED' : 'PENDING';
}

/**
 * How fresh an officer's MFA must be for an act outside one level's rule
 * (revoking a grant, closing a review): the strictest approver rule.
 */
export function officerMfaMinutes(policies: AccessPolicies): number {
  return Math.min(...Object.values(policies.approvals.levels).map((l) => l.approverMfaMinutes));
}

function canApprove(policies: AccessPolicies, p: { roles: readonly string[] }, roles: readonly string[]): boolean {
  return p.roles.some((r) => roles.includes(r)) && policies.abilityFor(p.roles).can('approve', 'Access');
}

/**
 * The earlier approvals that still count: their approver is still an enabled
 * principal holding an approver role of the level. One whose approver was
 * disabled or lost the role since does not (it counts again if restored).
 */
export function countedApprovals(policies: AccessPolicies, req: Pick<RequestView, 'level' | 'approvals'>): RecordedApproval[] {
  const roles = policies.approvals.levels[req.level].approverRoles;
  return req.approvals.filter((a) => a.approverEnabled && canApprove(policies, { roles: a.approverRoles }, roles));
}

function textProblem(argument: string, value: unknown, min: number): Refusal | undefined {
  if (typeof value !== 'string' || value.trim().length < min) return invalid(argument, `at least ${min} characters are needed`);
  if (value.length > MAX_TEXT_LENGTH) return invalid(argument, `at most ${MAX_TEXT_LENGTH} characters`);
  return undefined;
}

function intProblem(argument: string, value: unknown, min: number, max: number): Refusal | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    return invalid(argument, `must be a whole number from ${min} to ${max}`);
  return undefined;
}

function modeProblem(mode: unknown): Refusal | undefined {
  return mode === 'read' || mode === 'export' ? undefined : invalid('mode', 'must be read or export');
}

export interface RequestInput {
  patterns: string[];
  purpose: string;
  mode: AccessMode;
  rowCap: number;
  durationHours: number;
  bulk?: boolean;
}

/**
 * Checks a new access request: the requester may `request Access`, the
 * patterns resolved to L3+ columns, and every argument is within the rules of
 * the request's level. Returns the level, or the refusal.
 */
export function checkRequest(
  policies: AccessPolicies,
  requester: Principal,
  input: RequestInput,
  patterns: PatternResult,
): { ok: true; level: GrantLevel; rule: LevelApprovalRule } | ({ ok: false } & Refusal) {
  if (!policies.abilityFor(requester.roles).can('request', 'Access')) return failed(refuse('FORBIDDEN', { action: 'request Access' }));
  if (!patterns.ok) return failed(invalid('patterns', patterns.reason));
  const level = patterns.level;
  if (!isGrantLevel(level)) return failed(invalid('patterns', 'access requests are for L3+ data'));
  const rule = policies.approvals.levels[level];
  const problem =
    textProblem('purpose', input.purpose, MIN_PURPOSE_LENGTH) ??
    modeProblem(input.mode) ??
    intProblem('rowCap', input.rowCap, 1, rule.maxRowCap) ??
    intProblem('durationHours', input.durationHours, 1, rule.maxDurationHours) ??
    (input.bulk !== undefined && typeof input.bulk !== 'boolean' ? invalid('bulk', 'must be true or false') : undefined) ??
    (input.bulk && input.mode === 'export' && !rule.bulkExport ? invalid('bulk', `${level} data is never exported in bulk`) : undefined);
  return problem ? failed(problem) : { ok: true, level, rule };
}

/** The terms of the grant an approved request becomes. */
export function grantTerms(rule: LevelApprovalRule, req: RequestView, bulkApproved: boolean[], now: Date): GrantTerms {
  const hours = Math.min(req.durationHours, rule.maxDurationHours);
  const bulkAllowed = req.mode === 'read' || rule.bulkExport;
  const bulk = rule.bulkNeedsApproval ? req.bulkRequested && bulkApproved.every(Boolean) && bulkAllowed : bulkAllowed;
  return {
    expiresAt: new Date(now.getTime() + hours * HOUR_MS),
    mode: req.mode,
    bulk,
    rowCap: Math.min(req.rowCap, rule.maxRowCap),
  };
}

/**
 * One approver acts on a request. Refused: not an approver of the level
 * (FORBIDDEN), the requester (SELF_APPROVAL), MFA older than the level allows
 * or no session proof (MFA_REQUIRED), not pending (REQUEST_NOT_PENDING),
 * approved by this approver already (ALREADY_APPROVED), bulk approved that was
 * not requested or a note over MAX_TEXT_LENGTH (INVALID_ARGUMENT). Otherwise recorded, or complete once the
 * level's number of distinct approvers is reached: then the grant's terms.
 * Only approvals whose approver is still an enabled approver count
 * (countedApprovals), so a request whose earlier approver was disabled or
 * lost the role stays pending. With bulk needing approval, every counted
 * approval must approve bulk.
 */
export function decideApproval(
  policies: AccessPolicies,
  req: RequestView,
  approver: Principal,
  input: { bulk?: boolean; note?: string },
  now: Date,
): ApprovalOutcome {
  const no = (r: Refusal): ApprovalOutcome => ({ outcome: 'refused', ...r });
  const rule = policies.approvals.levels[req.level];
  if (!canApprove(policies, approver, rule.approverRoles)) return no(refuse('FORBIDDEN', { action: 'approve Access' }));
  if (approver.id === req.requesterId) return no(refuse('SELF_APPROVAL'));
  if (!mfaFresh(approver, rule.approverMfaMinutes, now)) return no(refuse('MFA_REQUIRED', { minutes: rule.approverMfaMinutes }));
  const state = effectiveState(policies, req, now);
  if (state !== 'PENDING') return no(refuse('REQUEST_NOT_PENDING', { state }));
  if (req.approvals.some((a) => a.approverId === approver.id)) return no(refuse('ALREADY_APPROVED'));
  if (input.bulk !== undefined && typeof input.bulk !== 'boolean') return no(invalid('bulk', 'must be true or false'));
  const bulkApproved = input.bulk === true;
  if (bulkApproved && !req.bulkRequested) return no(invalid('bulk', 'the request did not ask for bulk'));
  if (input.note !== undefined && (typeof input.note !== 'string' || input.note.length > MAX_TEXT_LENGTH))
    return no(invalid('note', `at most ${MAX_TEXT_LENGTH} characters`));
  const counted = countedApprovals(policies, req);
  const approvers = new Set([...counted.map((a) => a.approverId), approver.id]);
  const approvals = approvers.size;
  if (approvals < rule.approvals) return { outcome: 'recorded', approvals, needed: rule.approvals, bulkApproved };
  const grant = grantTerms(rule, req, [...counted.map((a) => a.bulkApproved), bulkApproved], now);
  return { outcome: 'complete', approvals, needed: rule.approvals, bulkApproved, grant };
}

/**
 * An approver denies a pending request: an approver of its level who is not
 * the requester, with MFA as fresh as the level's approvals need (MFA_REQUIRED).
 */
export function denyRefusal(
  policies: AccessPolicies,
  req: RequestView,
  approver: Principal,
  reason: unknown,
  now: Date,
): Refusal | undefined {
  const rule = policies.approvals.levels[req.level];
  if (!canApprove(policies, approver, rule.approverRoles)) return refuse('FORBIDDEN', { action: 'deny Access' });
  if (approver.id === req.requesterId) return refuse('SELF_APPROVAL');
  if (!mfaFresh(approver, rule.approverMfaMinutes, now)) return refuse('MFA_REQUIRED', { minutes: rule.approverMfaMinutes });
  const state = effectiveState(policies, req, now);
  if (state !== 'PENDING') return refuse('REQUEST_NOT_PENDING', { state });
  return textProblem('reason', reason, MIN_REASON_LENGTH);
}

/** Only the requester cancels, and only a pending request. */
export function cancelRefusal(policies: AccessPolicies, req: RequestView, requester: Principal, now: Date): Refusal | undefined {
  if (requester.id !== req.requesterId) return refuse('FORBIDDEN', { action: 'cancel this request' });
  const state = effectiveState(policies, req, now);
  return state === 'PENDING' ? undefined : refuse('REQUEST_NOT_PENDING', { state });
}

/**
 * Revoking a grant needs `approve Access` (an officer), fresh MFA
 * (MFA_REQUIRED) and a reason; a revoked grant stays revoked.
 */
export function revokeRefusal(
  policies: AccessPolicies,
  officer: Principal,
  grant: Pick<Grant, 'revoked'> | undefined,
  grantId: string,
  reason: unknown,
  now: Date,
): Refusal | undefined {
  if (!policies.abilityFor(officer.roles).can('approve', 'Access')) return refuse('FORBIDDEN', { action: 'revoke grants' });
  const minutes = officerMfaMinutes(policies);
  if (!mfaFresh(officer, minutes, now)) return refuse('MFA_REQUIRED', { minutes });
  if (!grant) return refuse('GRANT_NOT_FOUND', { id: grantId });
  if (grant.revoked) return refuse('GRANT_REVOKED');
  return textProblem('reason', reason, MIN_REASON_LENGTH);
}

export interface BreakGlassInput {
  patterns: string[];
  reason: string;
  minutes: number;
  mode?: AccessMode;
}

/**
 * Break-glass: a self-grant for a role allowed to (FORBIDDEN otherwise), in a
 * session with fresh MFA (MFA_REQUIRED), with a reason, for at most the
 * policy's minutes, up to its highest level. The grant clears one record at a
 * time where the level's bulk needs approval (nobody approved anything here).
 */
export function decideBreakGlass(
  policies: AccessPolicies,
  principal: Principal,
  input: BreakGlassInput,
  patterns: PatternResult,
  now: Date,
): { ok: true; level: GrantLevel; terms: GrantTerms } | ({ ok: false } & Refusal) {
  const bg = policies.approvals.breakGlass;
  if (!principal.roles.some((r) => bg.roles.includes(r))) return failed(refuse('FORBIDDEN', { action: 'break glass' }));
  if (!mfaFresh(principal, bg.mfaMinutes, now)) return failed(refuse('MFA_REQUIRED', { minutes: bg.mfaMinutes }));
  const mode = input.mode ?? 'read';
  const problem =
    textProblem('reason', input.reason, bg.reasonMinLength) ?? intProblem('minutes', input.minutes, 1, bg.maxMinutes) ?? modeProblem(mode);
  if (problem) return failed(problem);
  if (!patterns.ok) return failed(invalid('patterns', patterns.reason));
  const level = patterns.level;
  if (!isGrantLevel(level)) return failed(invalid('patterns', 'break-glass is for L3+ data'));
  if (!atLeast(bg.maxLevel, level))
    return failed(invalid('patterns', `break-glass reaches at most ${bg.maxLevel}; these patterns reach ${level}`));
  const rule = policies.approvals.levels[level];
  return {
    ok: true,
    level,
    terms: {
      expiresAt: new Date(now.getTime() + input.minutes * MINUTE_MS),
      mode,
      bulk: !rule.bulkNeedsApproval && (mode === 'read' || rule.bulkExport),
      rowCap: bg.rowCap,
    },
  };
}

/**
 * Closing a break-glass review: a review role that can approve Access, fresh
 * MFA (MFA_REQUIRED), an open task, not the grant's holder.
 */
export function reviewCloseRefusal(
  policies: AccessPolicies,
  officer: Principal,
  task: { holderId: string; state: 'OPEN' | 'CLOSED' } | undefined,
  taskId: string,
  note: unknown,
  now: Date,
): Refusal | undefined {
  if (!canApprove(policies, officer, policies.approvals.breakGlass.reviewRoles)) return refuse('FORBIDDEN', { action: 'close reviews' });
  const minutes = officerMfaMinutes(policies);
  if (!mfaFresh(officer, minutes, now)) return refuse('MFA_REQUIRED', { minutes });
  if (task?.state !== 'OPEN') return refuse('REVIEW_NOT_FOUND', { id: taskId });
  if (task.holderId === officer.id) return refuse('SELF_APPROVAL');
  return textProblem('note', note, MIN_REASON_LENGTH);
}
