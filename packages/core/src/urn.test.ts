import { describe, expect, it } from 'vitest';
import { levelRank, maxLevel } from './levels.js';
import { columnUrn, parseUrn, tableUrn } from './urn.js';

describe('asset URNs', () => {
  it('round-trips a column URN', () => {
    const urn = columnUrn('enterprise', 'public', 'enterprises', 'legal_rep_mobile');
    expect(urn).toBe('urn:warden:enterprise:public.enterprises.legal_rep_mobile');
    expect(parseUrn(urn)).toEqual({
      source: 'enterprise',
      schema: 'public',
      table: 'enterprises',
      column: 'legal_rep_mobile',
      kind: 'column',
    });
  });

  it('parses table and source URNs', () => {
    expect(parseUrn(tableUrn('policy', 'public', 'policy_drafts'))?.kind).toBe('table');
    expect(parseUrn('urn:warden:investment')?.kind).toBe('source');
  });

  it.each([
    'urn:other:enterprise:public.t',
    'urn:warden:Enterprise:public.t',
    'urn:warden:enterprise:public',
    'urn:warden:enterprise:a.b.c.d',
    'urn:warden:enterprise:public.t;drop',
  ])('refuses %s', (u) => {
    expect(parseUrn(u)).toBeUndefined();
  });
});

describe('the level lattice', () => {
  it('orders L1 below L5 and takes the higher of two', () => {
    expect(levelRank('L1')).toBeLessThan(levelRank('L5'));
    expect(maxLevel('L2', 'L4')).toBe('L4');
    expect(maxLevel('L4', 'L2')).toBe('L4');
  });
});
