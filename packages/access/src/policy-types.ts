import type { MongoAbility } from '@casl/ability';
import type { AssetUrn, Level, MaskRule, StoreName } from '@warden/core';

export type Duty = 'business' | 'system' | 'security' | 'audit';
export type Action = 'read' | 'write' | 'request' | 'review' | 'approve' | 'manage' | 'introspect' | 'clear' | 'mask';
export type Subject =
  | 'StoreData'
  | 'Access'
  | 'Asset'
  | 'Label'
  | 'Lineage'
  | 'Alert'
  | 'AuditEvent'
  | 'Principal'
  | 'Schema'
  | 'Field'
  | 'all';

/** A field as CASL sees it when deciding disclosure. */
export interface FieldSubject {
  level: Level;
  rank: number;
}

export type WardenAbility = MongoAbility<[Action, Subject | (FieldSubject & { __caslSubjectType__?: 'Field' })]>;

export interface RoleRule {
  action: Action;
  subject: Subject;
  inverted?: boolean;
  conditions?: Record<string, unknown>;
  reason?: string;
}

export interface RolePolicy {
  name: string;
  description: string;
  duty: Duty;
  clearance: { clear: Level; mask: Level };
  rules: RoleRule[];
}

export interface DefaultLabel {
  store: StoreName;
  schema: string;
  table: string;
  column: string;
  owner: string;
  category: string;
  level: Level;
  pi: 'none' | 'pi' | 'sensitive_pi';
  mask?: string;
  secret: boolean;
}

/** A field whose level rises when it is disclosed together with any of others (column URNs). */
export interface CombinationRule {
  urn: AssetUrn;
  level: Level;
  withAny: AssetUrn[];
  reason: string;
}

/** The levels access requests are for: below L3 nothing needs a grant. */
export const GRANT_LEVELS = ['L3', 'L4', 'L5'] as const;
export type GrantLevel = (typeof GRANT_LEVELS)[number];

/** Approval rules of one level (policies/approvals.yaml). */
export interface LevelApprovalRule {
  level: GrantLevel;
  /** Distinct approvers needed. */
  approvals: number;
  /** Roles whose holders may approve (each holds `approve Access`). */
  approverRoles: string[];
  maxDurationHours: number;
  /** An approver's MFA must be at most this old. */
  approverMfaMinutes: number;
  /** true: a grant clears one record at a time unless bulk was requested and explicitly approved. */
  bulkNeedsApproval: boolean;
  /** false: never bulk in export mode. */
  bulkExport: boolean;
  maxRowCap: number;
}

export interface BreakGlassRule {
  maxMinutes: number;
  reasonMinLength: number;
  /** The holder's MFA must be at most this old. */
  mfaMinutes: number;
  /** Roles that may break the glass. */
  roles: string[];
  /** Roles whose holders close the review task (never the grant holder). */
  reviewRoles: string[];
  /** The highest level a break-glass grant may reach. */
  maxLevel: GrantLevel;
  rowCap: number;
}

export interface ApprovalPolicy {
  levels: Readonly<Record<GrantLevel, LevelApprovalRule>>;
  breakGlass: BreakGlassRule;
}

export interface CompiledPolicies {
  levels: { id: Level; name: string; control: string }[];
  /** Access-request approval and break-glass rules (policies/approvals.yaml). */
  approvals: ApprovalPolicy;
  maskRules: ReadonlyMap<string, MaskRule>;
  roles: ReadonlyMap<string, RolePolicy>;
  labels: DefaultLabel[];
  combinations: CombinationRule[];
  /** Abilities for a set of roles, compiled once and memoised. */
  abilityFor(roles: readonly string[]): WardenAbility;
}
