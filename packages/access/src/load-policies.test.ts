import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isWardenError } from '@warden/core';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { dutyConflict, loadPolicies } from './load-policies.js';

const POLICIES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../policies');
const dirs: string[] = [];
async function copyPolicies(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'warden-policies-'));
  dirs.push(dir);
  await cp(POLICIES_DIR, dir, { recursive: true, filter: (src) => !src.includes('node_modules') });
  return dir;
}
async function edit(dir: string, file: string, fn: (s: string) => string): Promise<void> {
  const p = path.join(dir, file);
  await writeFile(p, fn(await readFile(p, 'utf8')));
}
async function problems(dir: string): Promise<string[]> {
  try {
    await loadPolicies(dir);
  } catch (e) {
    if (isWardenError(e) && e.code === 'POLICY_INVALID')
      return (e.params.list as { file: string; reason: string }[]).map((p) => `${p.file}: ${p.reason}`);
    throw e;
  }
  return [];
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('loading policies', () => {
  it('compiles the shipped policies', async () => {
    const p = await loadPolicies(POLICIES_DIR);
    expect([...p.roles.keys()].sort()).toEqual(['analyst', 'app', 'auditor', 'officer', 'steward', 'sysadmin']);
    expect(p.labels.length).toBeGreaterThan(100);
    expect(p.maskRules.get('resident_id')).toEqual({ fn: 'resident_id' });
  });

  it('lists every problem with its file and reason, not just the first', async () => {
    const dir = await copyPolicies();
    await edit(dir, 'roles.yaml', (s) => s.replace('clearance: { clear: L2, mask: L4 }', 'clearance: { clear: L9, mask: L4 }'));
    await edit(dir, 'masking.yaml', (s) => s.replace('plate: { fn: plate }', 'plate: { fn: teleport }'));
    await edit(dir, 'labels/enterprise.yaml', (s) =>
      s
        .replace(
          'legal_rep_mobile: { category: enterprise.person.mobile, level: L4, pi: pi, mask: mobile }',
          'legal_rep_mobile: { category: enterprise.person.mobile, level: L4, pi: pi, mask: nonexistent }',
        )
        .replace(
          'contact_email: { category: enterprise.contact.email, level: L3, pi: pi, mask: email }',
          'contact_email: { category: enterprise.contact.email, level: L3, pi: pi }',
        )
        .replace(
          'status: { category: enterprise.registry.status, level: L1 }',
          'status: { category: enterprise.registry.status, level: L1, core: true }',
        ),
    );
    const list = await problems(dir);
    expect(list).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^roles\.yaml: \/roles\/app\/clearance\/clear must be equal to one of the allowed values/),
        expect.stringMatching(/^masking\.yaml: rule plate: /),
        'labels/enterprise.yaml: enterprises.legal_rep_mobile: unknown masking rule nonexistent',
        'labels/enterprise.yaml: enterprises.contact_email: an L3 column needs a masking rule',
        'labels/enterprise.yaml: enterprises.status: core data (核心数据) is refused at registration',
      ]),
    );
    expect(list.length).toBeGreaterThanOrEqual(5);
  });

  it('reports YAML syntax errors with the file', async () => {
    const dir = await copyPolicies();
    await edit(dir, 'levels.yaml', (s) => `${s}\n  - { id: L6, name: [unclosed\n`);
    expect((await problems(dir))[0]).toMatch(/^levels\.yaml: YAML: /);
  });

  it('refuses a missing file and an unknown property', async () => {
    const dir = await copyPolicies();
    await rm(path.join(dir, 'masking.yaml'));
    await edit(dir, 'roles.yaml', (s) => s.replace('duty: business', 'duty: business\n    superpowers: true'));
    const list = await problems(dir);
    expect(list).toContain('masking.yaml: cannot read: ENOENT');
    expect(list.some((p) => p.startsWith('roles.yaml: /roles/app must NOT have additional properties (superpowers)'))).toBe(true);
  });

  it('checks combination rules: known columns, a real raise', async () => {
    const dir = await copyPolicies();
    await edit(dir, 'labels/enterprise.yaml', (t) =>
      t
        .replace('withAny: [legal_rep_mobile, contact_email, legal_rep_home_address]', 'withAny: [legal_rep_fax]')
        .replace('field: legal_rep_name\n        level: L3', 'field: legal_rep_name\n        level: L2'),
    );
    const list = await problems(dir);
    expect(list).toContain('labels/enterprise.yaml: enterprises.combinations[0]: legal_rep_fax is not a column of enterprises');
    expect(list).toContain('labels/enterprise.yaml: enterprises.combinations[0]: L2 does not raise legal_rep_name above its L2');
  });

  it('compiles the combination rule of the legal representative’s name', async () => {
    const p = await loadPolicies(POLICIES_DIR);
    expect(p.combinations).toEqual([
      {
        urn: 'urn:warden:enterprise:public.enterprises.legal_rep_name',
        level: 'L3',
        withAny: [
          'urn:warden:enterprise:public.enterprises.legal_rep_mobile',
          'urn:warden:enterprise:public.enterprises.contact_email',
          'urn:warden:enterprise:public.enterprises.legal_rep_home_address',
        ],
        reason: 'a name with contact data identifies and reaches a person',
      },
    ]);
  });

  it('refuses a clear ceiling above the mask ceiling', async () => {
    const dir = await copyPolicies();
    await edit(dir, 'roles.yaml', (s) => s.replace('clearance: { clear: L1, mask: L2 }', 'clearance: { clear: L3, mask: L2 }'));
    expect(await problems(dir)).toEqual(['roles.yaml: role sysadmin: clearance.clear L3 is above clearance.mask L2']);
  });
});

describe('separation of duties', () => {
  it('refuses to combine system, security and audit duties', async () => {
    const p = await loadPolicies(POLICIES_DIR);
    expect(dutyConflict(p, ['sysadmin', 'auditor'])).toBe('audit + system');
    expect(dutyConflict(p, ['officer', 'sysadmin'])).toBe('security + system');
  });

  it('allows business roles beside one administrative duty', async () => {
    const p = await loadPolicies(POLICIES_DIR);
    expect(dutyConflict(p, ['analyst', 'officer'])).toBeUndefined();
    expect(dutyConflict(p, ['app', 'steward'])).toBeUndefined();
  });
});

describe('approval rules (approvals.yaml)', () => {
  it('compiles the shipped rules: L3 and L4 one officer, L5 two, 14 days, MFA 5 min, break-glass 60 min', async () => {
    const { approvals } = await loadPolicies(POLICIES_DIR);
    expect(approvals.levels.L3).toMatchObject({ approvals: 1, approverRoles: ['officer'], maxDurationHours: 336, approverMfaMinutes: 5 });
    expect(approvals.levels.L3.bulkNeedsApproval).toBe(false);
    expect(approvals.levels.L4).toMatchObject({ approvals: 1, bulkNeedsApproval: true, bulkExport: true });
    expect(approvals.levels.L5).toMatchObject({ approvals: 2, bulkNeedsApproval: true, bulkExport: false });
    expect(approvals.breakGlass).toMatchObject({ maxMinutes: 60, mfaMinutes: 5, roles: ['analyst', 'officer'], reviewRoles: ['officer'] });
  });

  it('refuses approver and reviewer roles that are unknown or cannot approve Access', async () => {
    const dir = await copyPolicies();
    await edit(dir, 'approvals.yaml', (s) =>
      s
        .replace('L3:\n    approvals: 1\n    approver_roles: [officer]', 'L3:\n    approvals: 1\n    approver_roles: [overlord]')
        .replace('L4:\n    approvals: 1\n    approver_roles: [officer]', 'L4:\n    approvals: 1\n    approver_roles: [analyst]')
        .replace('roles: [analyst, officer]', 'roles: [analyst, intern]')
        .replace('review_roles: [officer]', 'review_roles: [auditor]'),
    );
    expect(await problems(dir)).toEqual([
      'approvals.yaml: levels.L3.approver_roles: unknown role overlord',
      'approvals.yaml: levels.L4.approver_roles: role analyst cannot approve Access (roles.yaml)',
      'approvals.yaml: break_glass.roles: unknown role intern',
      'approvals.yaml: break_glass.review_roles: role auditor cannot approve Access (roles.yaml)',
    ]);
  });

  it('refuses rules that get looser as the level rises, and single approval of important data', async () => {
    const dir = await copyPolicies();
    await edit(dir, 'approvals.yaml', (s) =>
      s
        .replace('approvals: 2', 'approvals: 1')
        .replace('bulk_needs_approval: true\n    bulk_export: false', 'bulk_needs_approval: false\n    bulk_export: true'),
    );
    expect(await problems(dir)).toEqual([
      'approvals.yaml: levels.L5: bulk must need approval as it does at L4',
      'approvals.yaml: levels.L5: important data needs at least 2 distinct approvers',
      'approvals.yaml: levels.L5.bulk_export: important data is never exported in bulk',
    ]);
    const dir2 = await copyPolicies();
    await edit(dir2, 'approvals.yaml', (s) => s.replace('L3:\n    approvals: 1', 'L3:\n    approvals: 3'));
    expect(await problems(dir2)).toEqual(["approvals.yaml: levels.L4: 1 approvals are fewer than L3's 3"]);
  });

  it('refuses bulk export at L4 when L3 forbids it', async () => {
    const dir = await copyPolicies();
    await edit(dir, 'approvals.yaml', (s) =>
      s.replace('bulk_export: true\n    max_row_cap: 10000\n', 'bulk_export: false\n    max_row_cap: 10000\n'),
    );
    expect(await problems(dir)).toEqual(['approvals.yaml: levels.L4: bulk export cannot be allowed when L3 forbids it']);
  });

  it('refuses bulk export of L5 data at load (migration 005 would refuse it at insert)', async () => {
    const dir = await copyPolicies();
    await edit(dir, 'approvals.yaml', (s) =>
      s.replace('bulk_export: false\n    max_row_cap: 100\n', 'bulk_export: true\n    max_row_cap: 100\n'),
    );
    expect(await problems(dir)).toEqual(['approvals.yaml: levels.L5.bulk_export: important data is never exported in bulk']);
  });

  it('loads L5 without bulk export (deny twin: the shipped L5 rule)', async () => {
    const dir = await copyPolicies();
    expect(await problems(dir)).toEqual([]);
    expect((await loadPolicies(dir)).approvals.levels.L5.bulkExport).toBe(false);
  });

  it('refuses break-glass reaching L5 at load (migration 005 would refuse the grant at insert)', async () => {
    const dir = await copyPolicies();
    await edit(dir, 'approvals.yaml', (s) => s.replace('max_level: L4', 'max_level: L5'));
    expect(await problems(dir)).toEqual([
      'approvals.yaml: break_glass.max_level: break-glass never reaches L5 (important data needs dual approval)',
    ]);
  });

  it('loads break-glass up to L3 or L4', async () => {
    for (const level of ['L3', 'L4']) {
      const dir = await copyPolicies();
      await edit(dir, 'approvals.yaml', (s) => s.replace('max_level: L4', `max_level: ${level}`));
      expect(await problems(dir)).toEqual([]);
      expect((await loadPolicies(dir)).approvals.breakGlass.maxLevel).toBe(level);
    }
  });

  it('caps what a policies directory may loosen: 14 days, MFA 5 minutes, break-glass 60 minutes', async () => {
    const dir = await copyPolicies();
    await edit(dir, 'approvals.yaml', (s) =>
      s
        .replace('max_duration_days: 14', 'max_duration_days: 15')
        .replace('approver_mfa_minutes: 5', 'approver_mfa_minutes: 6')
        .replace('max_minutes: 60', 'max_minutes: 61')
        .replace('reason_min_length: 20', 'reason_min_length: 2'),
    );
    expect(await problems(dir)).toEqual(
      expect.arrayContaining([
        'approvals.yaml: /levels/L3/max_duration_days must be <= 14',
        'approvals.yaml: /levels/L3/approver_mfa_minutes must be <= 5',
        'approvals.yaml: /break_glass/max_minutes must be <= 60',
        'approvals.yaml: /break_glass/reason_min_length must be >= 10',
      ]),
    );
  });

  it('refuses a missing level, an unknown property, a break-glass cap above its level, and a missing file', async () => {
    const dir = await copyPolicies();
    await edit(dir, 'approvals.yaml', (s) =>
      s.replace('  L5:\n', '  L2:\n').replace('  row_cap: 100\n', '  row_cap: 100\n  skip_review: true\n'),
    );
    const list = await problems(dir);
    expect(list).toEqual(
      expect.arrayContaining([
        "approvals.yaml: /levels must have required property 'L5'",
        'approvals.yaml: /levels must NOT have additional properties (L2)',
        'approvals.yaml: /break_glass must NOT have additional properties (skip_review)',
      ]),
    );
    const dir2 = await copyPolicies();
    await edit(dir2, 'approvals.yaml', (s) => s.replace('  row_cap: 100\n', '  row_cap: 5000\n'));
    expect(await problems(dir2)).toEqual(["approvals.yaml: break_glass.row_cap 5000 is above L4's max_row_cap 1000"]);
    const dir3 = await copyPolicies();
    await rm(path.join(dir3, 'approvals.yaml'));
    expect(await problems(dir3)).toEqual(['approvals.yaml: cannot read: ENOENT']);
  });
});
