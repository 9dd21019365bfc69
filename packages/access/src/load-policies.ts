/**
 * Loads policies/ at start: parse every YAML file, validate it against its
 * JSON Schema, cross-check references, compile abilities. Any problem stops
 * the start; every problem is listed with its file and reason.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { atLeast, columnUrn, isLevel, LEVELS, type Level, type MaskRule, type StoreName, wardenError } from '@warden/core';
import { validateMaskRule } from '@warden/mask';
import { parseDocument } from 'yaml';
import { compileAbility } from './abilities.js';
import {
  type ApprovalPolicy,
  type CombinationRule,
  type CompiledPolicies,
  type DefaultLabel,
  type Duty,
  GRANT_LEVELS,
  type GrantLevel,
  type LevelApprovalRule,
  type RolePolicy,
  type RoleRule,
  type WardenAbility,
} from './policy-types.js';

export interface PolicyProblem {
  file: string;
  reason: string;
}

const ADMIN_DUTIES: Duty[] = ['system', 'security', 'audit'];

async function readYaml(dir: string, rel: string, problems: PolicyProblem[]): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path.join(dir, rel), 'utf8');
  } catch (e) {
    problems.push({ file: rel, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
    return undefined;
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    for (const err of doc.errors) problems.push({ file: rel, reason: `YAML: ${err.message.split('\n')[0]}` });
    return undefined;
  }
  return doc.toJS();
}

function schemaProblems(file: string, errors: ErrorObject[] | null | undefined): PolicyProblem[] {
  return (errors ?? []).map((e) => ({
    file,
    reason: `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
  }));
}

/**
 * `schemaDir`: the JSON Schemas to validate against — Warden's own, so a
 * policies directory cannot loosen its own validation (defaults to dir/schema).
 */
export async function loadPolicies(dir: string, opts: { schemaDir?: string } = {}): Promise<CompiledPolicies> {
  const problems: PolicyProblem[] = [];
  const ajv = new Ajv({ allErrors: true, strict: true });
  const schemaDir = opts.schemaDir ?? path.join(dir, 'schema');
  const validators = new Map<string, ReturnType<Ajv['compile']>>();
  for (const name of ['levels', 'masking', 'roles', 'labels', 'approvals']) {
    const raw = await readFile(path.join(schemaDir, `${name}.schema.json`), 'utf8').catch(() => undefined);
    if (!raw) {
      problems.push({ file: `schema/${name}.schema.json`, reason: 'missing' });
      continue;
    }
    validators.set(name, ajv.compile(JSON.parse(raw)));
  }
  const check = (name: string, file: string, data: unknown): boolean => {
    const v = validators.get(name);
    if (!v || data === undefined) return false;
    if (v(data)) return true;
    problems.push(...schemaProblems(file, v.errors));
    return false;
  };

  // levels
  const levelsDoc = (await readYaml(dir, 'levels.yaml', problems)) as
    | { levels: { id: Level; name: string; control: string }[] }
    | undefined;
  let levels: CompiledPolicies['levels'] = [];
  if (check('levels', 'levels.yaml', levelsDoc) && levelsDoc) {
    levels = levelsDoc.levels;
    if (levels.map((l) => l.id).join() !== LEVELS.join())
      problems.push({ file: 'levels.yaml', reason: `levels must be ${LEVELS.join(', ')} in order` });
  }

  // masking rules
  const maskDoc = (await readYaml(dir, 'masking.yaml', problems)) as { rules: Record<string, unknown> } | undefined;
  const maskRules = new Map<string, MaskRule>();
  if (check('masking', 'masking.yaml', maskDoc) && maskDoc) {
    for (const [name, rule] of Object.entries(maskDoc.rules)) {
      const errs = validateMaskRule(rule);
      if (errs.length) for (const r of errs) problems.push({ file: 'masking.yaml', reason: `rule ${name}: ${r}` });
      else maskRules.set(name, rule as MaskRule);
    }
  }

  // roles
  const rolesDoc = (await readYaml(dir, 'roles.yaml', problems)) as
    | { roles: Record<string, { description: string; duty: Duty; clearance: { clear: Level; mask: Level }; abilities: RoleRule[] }> }
    | undefined;
  const roles = new Map<string, RolePolicy>();
  const rolesValid = check('roles', 'roles.yaml', rolesDoc);
  if (rolesValid && rolesDoc) {
    for (const [name, r] of Object.entries(rolesDoc.roles)) {
      if (!atLeast(r.clearance.mask, r.clearance.clear)) {
        problems.push({
          file: 'roles.yaml',
          reason: `role ${name}: clearance.clear ${r.clearance.clear} is above clearance.mask ${r.clearance.mask}`,
        });
      }
      if (ADMIN_DUTIES.includes(r.duty) && r.abilities.some((a) => a.subject === 'all')) {
        problems.push({ file: 'roles.yaml', reason: `role ${name}: an administrative role may not hold abilities on all subjects` });
      }
      roles.set(name, { name, description: r.description, duty: r.duty, clearance: r.clearance, rules: r.abilities });
    }
    for (const duty of ADMIN_DUTIES) {
      if (![...roles.values()].some((r) => r.duty === duty))
        problems.push({ file: 'roles.yaml', reason: `no role holds the ${duty} duty; the three administrative duties need a role each` });
    }
  }

  // default labels, one file per store
  const labels: DefaultLabel[] = [];
  const combinations: CombinationRule[] = [];
  const labelFiles = (await readdir(path.join(dir, 'labels')).catch(() => [] as string[])).filter((f) => f.endsWith('.yaml')).sort();
  if (!labelFiles.length) problems.push({ file: 'labels/', reason: 'no label files' });
  const seenStores = new Set<string>();
  for (const f of labelFiles) {
    const rel = `labels/${f}`;
    const doc = (await readYaml(dir, rel, problems)) as
      | {
          store: StoreName;
          schema: string;
          tables: Record<
            string,
            {
              owner: string;
              combinations?: { field: string; level: Level; withAny: string[]; reason: string }[];
              columns: Record<
                string,
                { category: string; level: Level; pi?: DefaultLabel['pi']; mask?: string; secret?: boolean; core?: boolean }
              >;
            }
          >;
        }
      | undefined;
    if (!check('labels', rel, doc) || !doc) continue;
    if (seenStores.has(doc.store)) problems.push({ file: rel, reason: `store ${doc.store} is labelled in more than one file` });
    seenStores.add(doc.store);
    for (const [table, t] of Object.entries(doc.tables)) {
      for (const [column, c] of Object.entries(t.columns)) {
        const where = `${table}.${column}`;
        if (c.core) {
          problems.push({ file: rel, reason: `${where}: core data (核心数据) is refused at registration` });
          continue;
        }
        if (c.mask !== undefined && !maskRules.has(c.mask) && maskDoc)
          problems.push({ file: rel, reason: `${where}: unknown masking rule ${c.mask}` });
        if (isLevel(c.level) && atLeast(c.level, 'L3') && c.level !== 'L5' && !c.mask && !c.secret) {
          problems.push({ file: rel, reason: `${where}: an ${c.level} column needs a masking rule` });
        }
        labels.push({
          store: doc.store,
          schema: doc.schema,
          table,
          column,
          owner: t.owner,
          category: c.category,
          level: c.level,
          pi: c.pi ?? 'none',
          mask: c.mask,
          secret: c.secret ?? false,
        });
      }
      for (const [i, k] of (t.combinations ?? []).entries()) {
        const where = `${table}.combinations[${i}]`;
        const target = t.columns[k.field];
        if (!target) problems.push({ file: rel, reason: `${where}: ${k.field} is not a column of ${table}` });
        for (const other of k.withAny)
          if (!t.columns[other]) problems.push({ file: rel, reason: `${where}: ${other} is not a column of ${table}` });
        if (target && atLeast(target.level, k.level)) {
          problems.push({ file: rel, reason: `${where}: ${k.level} does not raise ${k.field} above its ${target.level}` });
        }
        if (target && atLeast(k.level, 'L3') && !target.mask)
          problems.push({ file: rel, reason: `${where}: ${k.field} raised to ${k.level} needs a masking rule` });
        const urn = (col: string) => columnUrn(doc.store, doc.schema, table, col);
        combinations.push({ urn: urn(k.field), level: k.level, withAny: k.withAny.map(urn), reason: k.reason });
      }
    }
  }

  const approvals = await loadApprovals(dir, problems, check, rolesValid ? roles : undefined);

  if (problems.length || !approvals) {
    throw wardenError('POLICY_INVALID', { problems: problems.map((p) => `  ${p.file}: ${p.reason}`).join('\n'), list: problems });
  }

  const abilityCache = new Map<string, WardenAbility>();
  return {
    levels,
    approvals,
    maskRules,
    roles,
    labels,
    combinations,
    abilityFor(roleNames) {
      const key = [...roleNames].sort().join(',');
      let ability = abilityCache.get(key);
      if (!ability) {
        ability = compileAbility(roleNames.flatMap((n) => roles.get(n) ?? []));
        abilityCache.set(key, ability);
      }
      return ability;
    },
  };
}

interface ApprovalsDoc {
  levels: Record<
    GrantLevel,
    {
      approvals: number;
      approver_roles: string[];
      max_duration_days: number;
      approver_mfa_minutes: number;
      bulk_needs_approval: boolean;
      bulk_export: boolean;
      max_row_cap: number;
    }
  >;
  break_glass: {
    max_minutes: number;
    reason_min_length: number;
    mfa_minutes: number;
    roles: string[];
    review_roles: string[];
    max_level: GrantLevel;
    row_cap: number;
  };
}

/**
 * approvals.yaml: validated, then cross-checked against the roles (known, and
 * approvers able to `approve Access`) and for rules that never get looser as
 * the level rises, and against what migration 005 refuses (L5 bulk export,
 * break-glass reaching L5). `roles` is undefined when roles.yaml itself is invalid
 * (its problems are already listed; no cross-check then).
 */
async function loadApprovals(
  dir: string,
  problems: PolicyProblem[],
  check: (name: string, file: string, data: unknown) => boolean,
  roles: ReadonlyMap<string, RolePolicy> | undefined,
): Promise<ApprovalPolicy | undefined> {
  const file = 'approvals.yaml';
  const doc = (await readYaml(dir, file, problems)) as ApprovalsDoc | undefined;
  if (!check('approvals', file, doc) || !doc) return undefined;
  const before = problems.length;
  const approverRoles = (where: string, names: string[]) => {
    if (!roles) return;
    for (const name of names) {
      const role = roles.get(name);
      if (!role) problems.push({ file, reason: `${where}: unknown role ${name}` });
      else if (!compileAbility([role]).can('approve', 'Access'))
        problems.push({ file, reason: `${where}: role ${name} cannot approve Access (roles.yaml)` });
    }
  };
  const levels = {} as Record<GrantLevel, LevelApprovalRule>;
  let prev: LevelApprovalRule | undefined;
  for (const level of GRANT_LEVELS) {
    const l = doc.levels[level];
    approverRoles(`levels.${level}.approver_roles`, l.approver_roles);
    const rule: LevelApprovalRule = {
      level,
      approvals: l.approvals,
      approverRoles: l.approver_roles,
      maxDurationHours: l.max_duration_days * 24,
      approverMfaMinutes: l.approver_mfa_minutes,
      bulkNeedsApproval: l.bulk_needs_approval,
      bulkExport: l.bulk_export,
      maxRowCap: l.max_row_cap,
    };
    if (prev) {
      if (rule.approvals < prev.approvals)
        problems.push({ file, reason: `levels.${level}: ${rule.approvals} approvals are fewer than ${prev.level}'s ${prev.approvals}` });
      if (prev.bulkNeedsApproval && !rule.bulkNeedsApproval)
        problems.push({ file, reason: `levels.${level}: bulk must need approval as it does at ${prev.level}` });
      if (!prev.bulkExport && rule.bulkExport)
        problems.push({ file, reason: `levels.${level}: bulk export cannot be allowed when ${prev.level} forbids it` });
    }
    levels[level] = rule;
    prev = rule;
  }
  if (levels.L5.approvals < 2) problems.push({ file, reason: 'levels.L5: important data needs at least 2 distinct approvers' });
  // Migration 005 refuses both at insert time; refuse them here, at start.
  if (levels.L5.bulkExport) problems.push({ file, reason: 'levels.L5.bulk_export: important data is never exported in bulk' });
  const bg = doc.break_glass;
  if (bg.max_level === 'L5')
    problems.push({ file, reason: 'break_glass.max_level: break-glass never reaches L5 (important data needs dual approval)' });
  if (roles) for (const r of bg.roles) if (!roles.has(r)) problems.push({ file, reason: `break_glass.roles: unknown role ${r}` });
  approverRoles('break_glass.review_roles', bg.review_roles);
  const top = levels[bg.max_level];
  if (bg.row_cap > top.maxRowCap)
    problems.push({ file, reason: `break_glass.row_cap ${bg.row_cap} is above ${top.level}'s max_row_cap ${top.maxRowCap}` });
  if (problems.length > before) return undefined;
  return {
    levels,
    breakGlass: {
      maxMinutes: bg.max_minutes,
      reasonMinLength: bg.reason_min_length,
      mfaMinutes: bg.mfa_minutes,
      roles: bg.roles,
      reviewRoles: bg.review_roles,
      maxLevel: bg.max_level,
      rowCap: bg.row_cap,
    },
  };
}

/** Separation of duties: roles of two different administrative duties may not be combined. */
export function dutyConflict(policies: CompiledPolicies, roleNames: readonly string[]): string | undefined {
  const duties = new Set(
    roleNames.map((r) => policies.roles.get(r)?.duty).filter((d): d is Duty => d !== undefined && ADMIN_DUTIES.includes(d)),
  );
  return duties.size > 1 ? [...duties].sort().join(' + ') : undefined;
}
