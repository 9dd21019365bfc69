import { columnUrn, type Label } from '@warden/core';
import { describe, expect, it } from 'vitest';
import { labelInContext } from './decide-disclosure.js';

const NAME = columnUrn('enterprise', 'public', 'enterprises', 'legal_rep_name');
const MOBILE = columnUrn('enterprise', 'public', 'enterprises', 'legal_rep_mobile');
const DISTRICT = columnUrn('enterprise', 'public', 'enterprises', 'district');
const label: Label = {
  urn: NAME,
  category: 'enterprise.person.legal_rep_name',
  level: 'L2',
  core: false,
  pi: 'pi',
  secret: false,
  state: 'APPROVED',
  mask: 'name',
  version: 1,
};
const rules = [{ urn: NAME, level: 'L3' as const, withAny: [MOBILE], reason: 'joins inherit the maximum' }];

describe('a label in the context of what else is disclosed', () => {
  it('rises to the rule’s level when a partner is disclosed with it', () => {
    expect(labelInContext(label, new Set([NAME, MOBILE]), rules)?.level).toBe('L3');
  });

  it('keeps its own level without a partner', () => {
    expect(labelInContext(label, new Set([NAME, DISTRICT]), rules)).toBe(label);
  });

  it('never lowers a level', () => {
    const l4 = { ...label, level: 'L4' as const };
    expect(labelInContext(l4, new Set([MOBILE]), rules)?.level).toBe('L4');
  });

  it('leaves a missing label missing (still not served)', () => {
    expect(labelInContext(undefined, new Set([MOBILE]), rules)).toBeUndefined();
  });
});
