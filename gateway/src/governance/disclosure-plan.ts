/**
 * The disclosure plan of one operation for one principal context: for every
 * selected field bound to a column, the decision and the function that
 * applies it, plus the columns each table must fetch (denied ones are never
 * read from the store). Compiled once and cached; applied per row by the
 * governed field resolvers.
 */
import { type CompiledPolicies, decideDisclosure, labelInContext } from '@warden/access';
import type { AuditField } from '@warden/audit';
import { atLeast, type Decision, type Grant, type Label, type Level, maxLevel, type Principal, wardenError } from '@warden/core';
import type { Bindings } from '../schema/bindings.js';

export type Apply = (value: unknown, ctx: GovernedContext) => unknown;

export interface FieldPlan {
  coordinate: string;
  urn: string;
  level?: Level;
  decision: Decision;
  apply: Apply;
  /** Counted in the audit event (L3 and above). */
  audited: boolean;
}

export interface DisclosurePlan {
  fields: Map<string, FieldPlan>;
  /** Columns to fetch per table type (always including id). */
  columns: Map<string, string[]>;
  /** Coordinates the caller sees in clear (filters are allowed only on these). */
  clear: Set<string>;
  audit: { touchesL3: boolean; highestLevel?: Level; fields: AuditField[] };
  /** Grants that clear fields in this plan, with the highest level each clears. */
  grantsUsed: Map<string, Level>;
}

export interface GovernedContext {
  plan: DisclosurePlan;
  counts: { CLEAR: number; MASK: number; DENY: number };
  rows: number;
  denied: Set<string>;
}

export type MaskCompiler = (ruleName: string, rule: Extract<Decision, { action: 'MASK' }>['rule']) => (v: unknown) => string | null;

function denyApply(coordinate: string, code: string, level: Level | undefined, audited: boolean): Apply {
  return (_v, ctx) => {
    if (audited) ctx.counts.DENY += 1;
    if (!ctx.denied.has(coordinate)) {
      ctx.denied.add(coordinate);
      throw wardenError(code as 'ASSET_NOT_APPROVED', { level: level ?? 'this', field: coordinate });
    }
    return null;
  };
}

export function compilePlan(input: {
  coordinates: Iterable<string>;
  /** Coordinates used only as filters: decided and audited, never fetched. */
  filters?: Iterable<string>;
  bindings: Bindings;
  policies: CompiledPolicies;
  labels: { get(urn: string): Label | undefined };
  principal: Principal;
  grants: readonly Grant[];
  now: Date;
  mask: MaskCompiler;
}): DisclosurePlan {
  const { bindings, policies, labels, principal, grants, now } = input;
  const fields = new Map<string, FieldPlan>();
  const columns = new Map<string, Set<string>>();
  const clear = new Set<string>();
  const auditFields: AuditField[] = [];
  let highestLevel: Level | undefined;
  let touchesL3 = false;
  const grantsUsed = new Map<string, Level>();

  const selected = new Set(input.coordinates);
  const bound = [...new Set([...selected, ...(input.filters ?? [])])].flatMap((coordinate) => {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const table = bindings.tables.get(typeName);
    if (!table) return [];
    if (!columns.has(typeName)) columns.set(typeName, new Set(['id']));
    const col = table.columns.get(fieldName);
    return col ? [{ coordinate, typeName, col }] : []; // relations carry no column of their own
  });
  const base = bound.map((b) => {
    const label = labels.get(b.col.urn);
    return { ...b, label, decision: decideDisclosure(policies, principal, label, grants, now) };
  });
  // What the operation discloses at all decides what it discloses together (combination rules).
  const disclosed = new Set(base.filter((b) => selected.has(b.coordinate) && b.decision.action !== 'DENY').map((b) => b.col.urn));
  for (const b of base) {
    const { coordinate, typeName, col } = b;
    const label = labelInContext(b.label, disclosed, policies.combinations);
    const decision = label === b.label ? b.decision : decideDisclosure(policies, principal, label, grants, now);
    const level = label?.state === 'APPROVED' ? label.level : undefined;
    const audited = level !== undefined && atLeast(level, 'L3');
    if (level) highestLevel = highestLevel ? maxLevel(highestLevel, level) : level;
    if (audited) touchesL3 = true;
    let apply: Apply;
    if (decision.action === 'CLEAR') {
      clear.add(coordinate);
      if (decision.grantId && level) {
        grantsUsed.set(decision.grantId, maxLevel(grantsUsed.get(decision.grantId) ?? level, level));
      }
      apply = audited
        ? (v, ctx) => {
            ctx.counts.CLEAR += 1;
            return v;
          }
        : (v) => v;
    } else if (decision.action === 'MASK') {
      const m = input.mask(decision.ruleName, decision.rule);
      const one = col.list ? (v: unknown) => (Array.isArray(v) ? v.map(m) : m(v)) : m;
      apply = audited
        ? (v, ctx) => {
            ctx.counts.MASK += 1;
            return one(v);
          }
        : (v) => one(v);
    } else {
      apply = denyApply(coordinate, decision.code, level, audited);
    }
    if (decision.action !== 'DENY' && selected.has(coordinate)) columns.get(typeName)?.add(col.column);
    fields.set(coordinate, { coordinate, urn: col.urn, level, decision, apply, audited });
    if (audited && level) {
      auditFields.push({
        field: coordinate,
        urn: col.urn,
        level,
        disclosure: decision.action,
        detail:
          decision.action === 'MASK'
            ? decision.ruleName
            : decision.action === 'DENY'
              ? decision.code
              : decision.grantId && `grant:${decision.grantId}`,
      });
    }
  }
  return {
    fields,
    columns: new Map([...columns].map(([t, c]) => [t, [...c]])),
    clear,
    audit: { touchesL3, highestLevel, fields: auditFields },
    grantsUsed,
  };
}
