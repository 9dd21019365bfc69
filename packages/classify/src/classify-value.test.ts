import { describe, expect, it } from 'vitest';
import { classifyValue } from './classify-value.js';
import type { ValueType } from './detection.js';
import { generateLabelledCorpus } from './labelled-corpus.js';

describe('classifyValue', () => {
  describe.each([
    ['11010519491231002X', 'resident-id'],
    ['110105491231002', 'resident-id'],
    ['91350100M000100Y43', 'uscc'],
    ['6222021234567890128', 'bank-card'],
    ['+86 138 1234 5678', 'mobile'],
    ['010-62345678', 'landline'],
    ['zhang.san@example.com', 'email'],
    ['欧阳娜娜', 'person-name'],
    ['广东省深圳市南山区科技园路8号', 'address'],
    ['京A12345', 'plate'],
  ])('%j', (value, type) => {
    it(`is classified as ${type}`, () => {
      expect(classifyValue(value)?.type).toBe(type);
    });
  });

  describe.each([
    ['110105194912310021', 'a resident ID with a wrong check, even where Luhn would pass'],
    ['91350100M000100Y42', 'a USCC with a wrong check'],
    ['6222021234567890129', 'a card off by one'],
    ['1381234567', 'a ten-digit mobile'],
    ['', 'an empty string'],
    ['hello world', 'plain text'],
    ['2026-11-29', 'a date'],
    ['x'.repeat(300), 'a very long value'],
  ])('%j', (value, what) => {
    it(`is not classified (${what})`, () => {
      expect(classifyValue(value)).toBeUndefined();
    });
  });

  it('does not take a resident-ID-shaped value with a bad check for a Luhn-valid bank card', () => {
    // 44030419900101001 + every check digit: exactly one is the ID's, the others are not IDs;
    // whichever passes Luhn must still not be reported as a card.
    for (const d of '0123456789X') {
      const result = classifyValue(`44030419900101001${d}`);
      expect(result === undefined || result.type === 'resident-id').toBe(true);
    }
  });
});

describe('labelled corpus', () => {
  const corpus = generateLabelledCorpus(20261129, 2000);

  it('is deterministic', () => {
    expect(generateLabelledCorpus(7, 50)).toEqual(generateLabelledCorpus(7, 50));
  });

  describe.each(['resident-id', 'uscc', 'bank-card', 'mobile'] as ValueType[])('%s', (type) => {
    it('is found with recall ≥ 99 % and precision ≥ 97 %', () => {
      let truePositives = 0;
      let labelled = 0;
      let predicted = 0;
      const misses: string[] = [];
      for (const item of corpus) {
        const got = classifyValue(item.value)?.type === type;
        if (item.label === type) labelled++;
        if (got) predicted++;
        if (got && item.label === type) truePositives++;
        else if (got !== (item.label === type) && misses.length < 5) misses.push(`${item.value} (${item.how})`);
      }
      const recall = truePositives / labelled;
      const precision = truePositives / predicted;
      expect({ recall: recall >= 0.99, precision: precision >= 0.97, misses }).toMatchObject({ recall: true, precision: true });
    });
  });

  it('classifies every near-miss of a checksum-bearing type as something other than that type', () => {
    const wrong = corpus.filter(
      (item) => item.imitates !== undefined && item.imitates !== 'mobile' && classifyValue(item.value)?.type === item.imitates,
    );
    expect(wrong.map((w) => `${w.value} (${w.how})`)).toEqual([]);
  });

  it('detects every other type on its valid values and rejects their near-misses', () => {
    const others = corpus.filter((item) =>
      ['landline', 'email', 'person-name', 'address', 'plate'].includes(item.label ?? item.imitates ?? ''),
    );
    const wrong = others.filter(
      (item) => (classifyValue(item.value)?.type === (item.label ?? item.imitates)) !== (item.label !== undefined),
    );
    expect(wrong.map((w) => `${w.value} (${w.how})`)).toEqual([]);
  });
});
