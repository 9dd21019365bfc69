export { loadPolicies } from './load-policies.js';
export type { PolicyProblem } from './load-policies.js';
export { decideDisclosure, labelInContext } from './decide-disclosure.js';
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
