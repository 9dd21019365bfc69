/**
 * THE disclosure decision (ARCHITECTURE.md step 4): one pure function from
 * (principal, label, grants, now) to CLEAR | MASK(rule) | DENY(code).
 * Fail closed: anything not positively allowed is denied.
 */
import { subject } from '@casl/ability';
import { atLeast, type Decision, type Grant, type Label, levelRank, maxLevel, type Principal } from '@warden/core';
import type { CombinationRule, CompiledPolicies } from './policy-types.js';
import { grantCovers } from './grant-match.js';

const DENY_NOT_APPROVED: Decision = Object.freeze({ action: 'DENY', code: 'ASSET_NOT_APPROVED' }) as Decision;
const DENY_CORE: Decision = Object.freeze({ action: 'DENY', code: 'CORE_DATA_REFUSED' }) as Decision;
const DENY_SECRET: Decision = Object.freeze({ action: 'DENY', code: 'SECRET_NEVER_RETURNED' }) as Decision;
const DENY_LEVEL: Decision = Object.freeze({ action: 'DENY', code: 'INSUFFICIENT_LEVEL' }) as Decision;
const DENY_APPROVAL: Decision = Object.freeze({ action: 'DENY', code: 'APPROVAL_REQUIRED' }) as Decision;
const CLEAR: Decision = Object.freeze({ action: 'CLEAR' }) as Decision;

export function decideDisclosure(
  policies: CompiledPolicies,
  principal: Principal,
  label: Label | undefined,
  grants: readonly Grant[],
  now: Date,
): Decision {
  if (label?.state !== 'APPROVED') return DENY_NOT_APPROVED;
  if (label.core) return DENY_CORE;
  if (label.secret) return DENY_SECRET;
  const ability = policies.abilityFor(principal.roles);
  const field = subject('Field', { level: label.level, rank: levelRank(label.level) });
  if (ability.can('clear', field)) return CLEAR;
  // Above the role's clear ceiling: clear only with MFA and a live grant (L3+; L5 grants need two approvals).
  if (atLeast(label.level, 'L3') && principal.mfaAt) {
    const grant = grants.find((g) => grantCovers(g, principal, label, 'read', now));
    if (grant) return { action: 'CLEAR', grantId: grant.id };
  }
  if (!ability.can('mask', field)) return DENY_LEVEL;
  const rule = label.mask ? policies.maskRules.get(label.mask) : undefined;
  if (!rule || !label.mask) return DENY_APPROVAL;
  return { action: 'MASK', rule, ruleName: label.mask };
}

/**
 * The label a field carries in the context of what else the operation
 * discloses: joins inherit the maximum (STANDARDS.md §1) — a field named by a
 * combination rule rises to the rule's level when any of its partners is
 * disclosed alongside it.
 */
export function labelInContext(
  label: Label | undefined,
  disclosed: ReadonlySet<string>,
  rules: readonly CombinationRule[],
): Label | undefined {
  if (!label) return label;
  let level = label.level;
  for (const r of rules) {
    if (r.urn === label.urn && r.withAny.some((u) => disclosed.has(u))) level = maxLevel(level, r.level);
  }
  return level === label.level ? label : { ...label, level };
}
