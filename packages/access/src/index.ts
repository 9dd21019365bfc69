export { loadPolicies } from './load-policies.js';
export type { PolicyProblem } from './load-policies.js';
export { decideDisclosure, labelInContext } from './decide-disclosure.js';
export type {
  ApprovalPolicy,
  BreakGlassRule,
  CombinationRule,
  CompiledPolicies,
  DefaultLabel,
  Duty,
  GrantLevel,
  LevelApprovalRule,
  RolePolicy,
  RoleRule,
  WardenAbility,
  Action,
  Subject,
} from './policy-types.js';
export { createPrincipalStore } from './principal-store.js';
export type { PrincipalStore, CreatedPrincipal } from './principal-store.js';
export { CERT_CACHE_MS, DEFAULT_CERT_DAYS, MAX_CERT_DAYS, normaliseFingerprint } from './client-certs.js';
export type { ClientCertificateStore, IssuedPrincipalCertificate } from './client-certs.js';
export { createAccessStore } from './access-store.js';
export type { AccessRequest, AccessStore, AccessStoreOptions, Approval, GrantRecord, ReviewTask } from './access-store.js';
export { decideApproval, decideBreakGlass } from './approvals.js';
export type { AccessMode, ApprovalOutcome, BreakGlassInput, RequestInput, RequestState, RequestView } from './approvals.js';
export { grantCovers, urnPatternToRegExp } from './grant-match.js';
export { createUserStore, IDLE_TIMEOUT_MS, ADMIN_IDLE_TIMEOUT_MS, ABSOLUTE_TIMEOUT_MS } from './user-store.js';
export type { UserStore, UserStoreOptions, Session, SessionCheck, UserSummary } from './user-store.js';
export type { Actor } from './audit-actor.js';
export { MAX_FAILURES, FAILURE_WINDOW_MS, LOCK_MS } from './auth-attempts.js';
