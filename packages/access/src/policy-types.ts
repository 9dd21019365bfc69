import type { MongoAbility } from '@casl/ability';
import type { AssetUrn, Level, MaskRule, StoreName } from '@warden/core';

export type Duty = 'business' | 'system' | 'security' | 'audit';
export type Action = 'read' | 'request' | 'review' | 'approve' | 'manage' | 'introspect' | 'clear' | 'mask';
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

export interface CompiledPolicies {
  levels: { id: Level; name: string; control: string }[];
  maskRules: ReadonlyMap<string, MaskRule>;
  roles: ReadonlyMap<string, RolePolicy>;
  labels: DefaultLabel[];
  combinations: CombinationRule[];
  /** Abilities for a set of roles, compiled once and memoised. */
  abilityFor(roles: readonly string[]): WardenAbility;
}
