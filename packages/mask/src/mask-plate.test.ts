import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMask } from './compile-mask.js';
import { REDACTED } from './redaction.js';

const mask = compileMask({ fn: 'plate' });

describe.each([
  { written: 'an ordinary plate', input: '京A12345', expected: '京A1***5' },
  { written: 'a new-energy plate', input: '粤BD12345', expected: '粤BD****5' },
  { written: 'a middle dot and lower case', input: '沪c·5x678', expected: '沪C5***8' },
  { written: 'a driving-school suffix', input: '川A1234学', expected: '川A1***学' },
  { written: 'a full-width letter', input: '浙Ａ88888', expected: '浙A8***8' },
])('$written', ({ input, expected }) => {
  it('keeps the province, the letter and the first and last of the rest', () => {
    expect(mask(input)).toBe(expected);
  });
  it('masks to the same value when masked again', () => {
    expect(mask(expected)).toBe(expected);
  });
});

describe.each([
  { what: 'no province', input: 'A12345' },
  { what: 'an unknown province character', input: '中A12345' },
  { what: 'too few characters', input: '京A1234' },
  { what: 'too many characters', input: '京A1234567' },
  { what: 'a suffix in the middle', input: '京A12学45' },
  { what: 'an empty string', input: '' },
  { what: 'a number', input: 12345 },
])('a plate field holding $what', ({ input }) => {
  it('is fully redacted', () => {
    expect(mask(input)).toBe(REDACTED);
  });
});

describe('plate mask properties', () => {
  it('never shows more than 4 characters of any plate', () => {
    const plates = fc
      .tuple(
        fc.constantFrom(...'京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼'),
        fc.stringMatching(/^[A-Z][A-Z0-9]{5,6}$/),
      )
      .map(([p, rest]) => p + rest);
    fc.assert(
      fc.property(plates, (plate) => {
        const out = mask(plate) as string;
        expect(out).toHaveLength(plate.length);
        expect(out.replaceAll('*', '')).toBe(plate.slice(0, 3) + plate.slice(-1));
      }),
    );
  });
});
