export { loadPolicies, dutyConflict } from './load-policies.js';
export type { PolicyProblem } from './load-policies.js';
export { decideDisclosure, DENY_NOT_APPROVED, labelInContext } from './decide-disclosure.js';
export { grantCovers, urnPatternToRegExp } from './grant-match.js';
export { compileAbility, roleRules } from './abilities.js';
export type {
  CombinationRule,
  CompiledPolicies,
  DefaultLabel,
  Duty,
  RolePolicy,
  RoleRule,
  WardenAbility,
  Action,
  Subject,
} from './policy-types.js';
export { createPrincipalStore } from './principal-store.js';
export type { PrincipalStore, CreatedPrincipal } from './principal-store.js';
