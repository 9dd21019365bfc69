/**
 * Runs the YAML policy suites in policies/tests/ against the compiled
 * policies with a frozen clock. A role or a decision outcome that no case
 * exercises fails the suite, and so does a role without an allow and a deny case.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { subject } from '@casl/ability';
import {
  type CompiledPolicies,
  decideApproval,
  decideBreakGlass,
  decideDisclosure,
  type GrantLevel,
  type RequestView,
} from '@warden/access';
import { type Grant, type Label, type Level, parseUrn, type Principal } from '@warden/core';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadWardenPolicies, POLICIES_DIR } from './index.js';

interface DisclosureSuite {
  now: string;
  principals: Record<string, { roles: string[]; kind: Principal['kind']; mfaAt?: string }>;
  grants: Record<string, { principal: string; patterns: string[]; mode: Grant['mode']; level: Level; expiresAt: string }>;
  cases: {
    name: string;
    principal: string;
    field: string;
    grants?: string[];
    state?: Label['state'];
    core?: boolean;
    secret?: boolean;
    expect: string;
  }[];
}
interface AbilitySuite {
  cases: { name: string; roles: string[]; action: string; subject: string; expect: boolean }[];
}

const disclosure = parse(await readFile(path.join(POLICIES_DIR, 'tests/disclosure.yaml'), 'utf8'), { schema: 'core' }) as DisclosureSuite;
const abilities = parse(await readFile(path.join(POLICIES_DIR, 'tests/abilities.yaml'), 'utf8')) as AbilitySuite;
let policies: CompiledPolicies;

beforeAll(async () => {
  policies = await loadWardenPolicies();
});

function labelFor(field: string, c: DisclosureSuite['cases'][number]): Label | undefined {
  const urn = `urn:warden:${field}`;
  const p = parseUrn(urn);
  const d = policies.labels.find((l) => p && l.store === p.source && l.schema === p.schema && l.table === p.table && l.column === p.column);
  if (!d) return undefined;
  return {
    urn: urn as Label['urn'],
    category: d.category,
    level: d.level as Level,
    core: c.core ?? false,
    pi: d.pi,
    secret: c.secret ?? d.secret,
    state: c.state ?? 'APPROVED',
    mask: d.mask,
    version: 1,
  };
}

function principalFor(id: string): Principal {
  const p = disclosure.principals[id];
  if (!p) throw new Error(`unknown principal ${id} in the suite`);
  return { id, name: id, kind: p.kind, roles: p.roles, amr: ['key'], mfaAt: p.mfaAt ? new Date(p.mfaAt) : undefined };
}

function grantsFor(ids: string[] = []): Grant[] {
  return ids.map((id) => {
    const g = disclosure.grants[id];
    if (!g) throw new Error(`unknown grant ${id} in the suite`);
    return {
      id,
      principalId: g.principal,
      patterns: g.patterns,
      mode: g.mode,
      level: g.level,
      expiresAt: new Date(g.expiresAt),
      revoked: false,
      bulk: true,
      rowsUsed: 0,
      uses: 0,
      breakGlass: false,
    };
  });
}

function outcome(d: ReturnType<typeof decideDisclosure>): string {
  return d.action === 'CLEAR' ? 'CLEAR' : d.action === 'MASK' ? `MASK ${d.ruleName}` : `DENY ${d.code}`;
}

describe('disclosure policy suite', () => {
  it.each(disclosure.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const label = labelFor(c.field, c);
    const decision = decideDisclosure(policies, principalFor(c.principal), label, grantsFor(c.grants), new Date(disclosure.now));
    expect(outcome(decision)).toBe(c.expect);
  });

  it('exercises every role with an allow and a deny case', () => {
    for (const role of policies.roles.keys()) {
      const cases = disclosure.cases.filter((c) => principalFor(c.principal).roles.includes(role));
      expect(
        cases.some((c) => !c.expect.startsWith('DENY')),
        `${role} has no allow case`,
      ).toBe(true);
      expect(
        cases.some((c) => c.expect.startsWith('DENY')),
        `${role} has no deny case`,
      ).toBe(true);
    }
  });

  it('exercises every deny code the decision can give', () => {
    const codes = new Set(disclosure.cases.map((c) => c.expect).filter((e) => e.startsWith('DENY')));
    for (const code of ['ASSET_NOT_APPROVED', 'CORE_DATA_REFUSED', 'SECRET_NEVER_RETURNED', 'INSUFFICIENT_LEVEL', 'APPROVAL_REQUIRED']) {
      expect(codes.has(`DENY ${code}`), code).toBe(true);
    }
  });
});

describe('ability policy suite', () => {
  it.each(abilities.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(policies.abilityFor(c.roles).can(c.action as never, c.subject as never)).toBe(c.expect);
  });

  it('exercises every role with an allow and a deny case', () => {
    for (const role of policies.roles.keys()) {
      const cases = abilities.cases.filter((c) => c.roles.includes(role));
      expect(
        cases.some((c) => c.expect),
        `${role} has no allow case`,
      ).toBe(true);
      expect(
        cases.some((c) => !c.expect),
        `${role} has no deny case`,
      ).toBe(true);
    }
  });

  it('fields are decided by level with CASL subjects', () => {
    const ability = policies.abilityFor(['app']);
    expect(ability.can('mask', subject('Field', { level: 'L4', rank: 4 }) as never)).toBe(true);
    expect(ability.can('mask', subject('Field', { level: 'L5', rank: 5 }) as never)).toBe(false);
  });
});

interface ApprovalSuite {
  now: string;
  principals: Record<string, { roles: string[]; mfaAt?: string; disabled?: boolean }>;
  approvals: {
    name: string;
    level: GrantLevel;
    requester?: string;
    approver: string;
    approvedBy?: string[];
    bulk?: boolean;
    approveBulk?: boolean;
    state?: RequestView['state'];
    createdAt?: string;
    expect: string;
  }[];
  breakGlass: { name: string; principal: string; level: GrantLevel; minutes: number; reason?: string; expect: string }[];
}

const approvalSuite = parse(await readFile(path.join(POLICIES_DIR, 'tests/approvals.yaml'), 'utf8'), { schema: 'core' }) as ApprovalSuite;

function approvalPrincipal(id: string): Principal {
  const p = approvalSuite.principals[id];
  if (!p) throw new Error(`unknown principal ${id} in the suite`);
  return {
    id,
    name: id,
    kind: 'user',
    roles: p.roles,
    amr: ['pwd', 'otp'],
    mfaAt: p.mfaAt ? new Date(p.mfaAt) : undefined,
    sessionId: `s-${id}`,
  };
}

describe('approval policy suite', () => {
  const now = new Date(approvalSuite.now);

  it.each(approvalSuite.approvals.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const req: RequestView = {
      requesterId: c.requester ?? 'analyst-1',
      level: c.level,
      state: c.state ?? 'PENDING',
      mode: 'read',
      rowCap: 10,
      durationHours: 24,
      bulkRequested: c.bulk ?? false,
      createdAt: c.createdAt ? new Date(c.createdAt) : now,
      approvals: (c.approvedBy ?? []).map((approverId) => ({
        approverId,
        bulkApproved: c.approveBulk ?? false,
        approverRoles: approvalPrincipal(approverId).roles,
        approverEnabled: !approvalSuite.principals[approverId]?.disabled,
      })),
    };
    const out = decideApproval(policies, req, approvalPrincipal(c.approver), { bulk: c.approveBulk }, now);
    const got =
      out.outcome === 'refused'
        ? `refused ${out.code}`
        : out.outcome === 'recorded'
          ? 'recorded'
          : `complete ${out.grant.bulk ? 'bulk' : 'single-record'}`;
    expect(got).toBe(c.expect);
  });

  it.each(approvalSuite.breakGlass.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const patterns = { ok: true as const, level: c.level, urns: [] };
    const input = { patterns: [], reason: c.reason ?? 'Fraud hotline case 4711: verify the representative', minutes: c.minutes };
    const out = decideBreakGlass(policies, approvalPrincipal(c.principal), input, patterns, now);
    expect(out.ok ? `grant ${out.terms.bulk ? 'bulk' : 'single-record'}` : `refused ${out.code}`).toBe(c.expect);
  });

  it('exercises every level with an allow and a deny, and every refusal code', () => {
    for (const level of ['L3', 'L4', 'L5']) {
      const cases = approvalSuite.approvals.filter((c) => c.level === level);
      expect(
        cases.some((c) => !c.expect.startsWith('refused')),
        `${level} has no allow case`,
      ).toBe(true);
      expect(
        cases.some((c) => c.expect.startsWith('refused')),
        `${level} has no deny case`,
      ).toBe(true);
    }
    const codes = new Set(approvalSuite.approvals.map((c) => c.expect));
    for (const code of ['FORBIDDEN', 'SELF_APPROVAL', 'MFA_REQUIRED', 'ALREADY_APPROVED', 'REQUEST_NOT_PENDING'])
      expect(codes.has(`refused ${code}`), code).toBe(true);
    expect(approvalSuite.breakGlass.some((c) => c.expect.startsWith('grant'))).toBe(true);
    expect(approvalSuite.breakGlass.some((c) => c.expect.startsWith('refused'))).toBe(true);
  });
});
