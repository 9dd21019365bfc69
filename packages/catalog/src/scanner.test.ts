import type { ValueType } from '@warden/classify';
import { describe, expect, it } from 'vitest';
import { propose, type ScanTally, TYPE_RULES } from './scanner.js';

function tally(sampled: number, hits: [ValueType, number, number][] = []): ScanTally {
  return { sampled, hits: new Map(hits.map(([t, n, c]) => [t, { n, confidence: n * c }])) };
}

describe('combining value hits and the column name', () => {
  it.each([
    ['values alone', tally(100, [['resident-id', 100, 0.99]]), 'col_a', 'resident-id', 0.99],
    ['values confirmed by the name', tally(100, [['mobile', 60, 0.95]]), 'contact_mobile', 'mobile', 0.96],
    ['the name alone on an empty column', tally(0), 'sfzh', 'resident-id', 0.54],
    ['the name with values the detectors do not confirm (cards failing Luhn)', tally(100), 'bank_card_no', 'bank-card', 0.51],
  ] as const)('proposes from %s', (_what, t, name, type, confidence) => {
    const p = propose(t, name);
    expect(p.type).toBe(type);
    expect(p.confidence).toBeCloseTo(confidence, 2);
  });

  it.each([
    ['free text', tally(100), 'remarks'],
    ['a few stray hits', tally(100, [['person-name', 10, 0.6]]), 'note'],
    ['an empty column without a telling name', tally(0), 'col_b'],
    ['an ambiguous name only', tally(0), 'xm'],
  ] as const)('proposes nothing for %s', (_what, t, name) => {
    expect(propose(t, name).type).toBeUndefined();
  });

  it('keeps the evidence: sample, hits, ratio and the hint', () => {
    expect(propose(tally(50, [['mobile', 25, 0.95]]), 'lxdh').evidence).toEqual({
      sampled: 50,
      hits: 25,
      hitRatio: 0.5,
      hint: { type: 'mobile', weight: expect.any(Number), matched: 'lxdh' },
    });
  });

  it('maps every detector type to a level inside its own range of consistent levels', () => {
    for (const rule of Object.values(TYPE_RULES)) {
      expect(rule.level >= rule.range[0] && rule.level <= rule.range[1]).toBe(true);
    }
    expect(TYPE_RULES['resident-id']).toMatchObject({ level: 'L4', pi: 'sensitive_pi', mask: 'resident_id' });
    expect(TYPE_RULES.mobile).toMatchObject({ level: 'L3', mask: 'mobile' });
  });
});
