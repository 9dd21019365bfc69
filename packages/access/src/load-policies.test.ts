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
