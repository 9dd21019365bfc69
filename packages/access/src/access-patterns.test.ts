import type { AssetUrn, Label, Level } from '@warden/core';
import { describe, expect, it } from 'vitest';
import { patternSyntaxProblem, resolvePatterns } from './access-patterns.js';

function label(urn: string, level: Level, over: Partial<Label> = {}): Label {
  return { urn: urn as AssetUrn, category: 'c', level, core: false, pi: 'none', secret: false, state: 'APPROVED', version: 1, ...over };
}
const E = 'urn:warden:enterprise:public.enterprises';
const LABELS = [
  label(`${E}.name`, 'L1'),
  label(`${E}.legal_rep_name`, 'L2'),
  label(`${E}.legal_rep_id_number`, 'L4'),
  label(`${E}.legal_rep_mobile`, 'L4'),
  label(`${E}.contact_email`, 'L3'),
  label('urn:warden:enterprise:public.district_indicators.total_tax_paid', 'L5'),
  label('urn:warden:investment:public.secrets.api_token', 'L4', { secret: true }),
  label('urn:warden:policy:public.core_stuff.x', 'L4', { core: true }),
];

describe('URN pattern syntax', () => {
  describe.each([
    `${E}.legal_rep_*`,
    `${E}.*`,
    'urn:warden:enterprise:public.**',
    'urn:warden:investment:**',
    'urn:warden:policy:public.policy_drafts.body',
  ])('%s', (p) => {
    it('is well formed', () => expect(patternSyntaxProblem(p)).toBeUndefined());
  });

  describe.each([
    'urn:warden:crm:public.x.y',
    'urn:warden:enterprise',
    'urn:warden:enterprise:',
    'urn:warden:enterprise:public..x',
    'urn:warden:enterprise:public.x.y.z',
    'urn:warden:enterprise:Public.X',
    'urn:warden:enterprise:public.x.***',
    'urn:other:enterprise:public.x',
    `${E}.a b`,
    `${E}.${'x'.repeat(200)}`,
  ])('%s', (p) => {
    it('is refused', () => expect(patternSyntaxProblem(p)).toBeDefined());
  });
});

describe('resolving patterns against labels', () => {
  it('takes the highest level any pattern matches, counting only L3+ columns', () => {
    expect(resolvePatterns([`${E}.legal_rep_*`], LABELS)).toEqual({
      ok: true,
      level: 'L4',
      urns: [`${E}.legal_rep_id_number`, `${E}.legal_rep_mobile`],
    });
    expect(resolvePatterns([`${E}.contact_email`], LABELS)).toMatchObject({ ok: true, level: 'L3' });
    expect(resolvePatterns([`${E}.contact_email`, 'urn:warden:enterprise:public.district_indicators.*'], LABELS)).toMatchObject({
      ok: true,
      level: 'L5',
    });
  });

  describe.each([
    ['no patterns', [], /at least one/],
    ['a pattern twice', [`${E}.contact_email`, `${E}.contact_email`], /twice/],
    ['a malformed pattern', ['select * from enterprises'], /is not a URN pattern/],
    ['a pattern matching only L1/L2 columns', [`${E}.name`], /matches no known L3\+ column/],
    ['a pattern matching nothing', [`${E}.nothing_here`], /matches no known L3\+ column/],
    ['one good and one empty pattern', [`${E}.contact_email`, `${E}.legal_rep_name`], /legal_rep_name matches no known L3\+/],
    ['a pattern reaching a secret', ['urn:warden:investment:**'], /a secret .* never granted/],
    ['a pattern reaching core data', ['urn:warden:policy:public.core_stuff.*'], /core data .* never granted/],
    ['51 patterns', Array.from({ length: 51 }, (_, i) => `${E}.c${i}`), /at most 50/],
  ] as const)('%s', (_name, patterns, reason) => {
    it('is refused with a reason', () => {
      const out = resolvePatterns(patterns, LABELS);
      expect(out.ok).toBe(false);
      expect(!out.ok && out.reason).toMatch(reason);
    });
  });
});
