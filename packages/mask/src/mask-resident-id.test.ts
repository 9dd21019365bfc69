import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMask } from './compile-mask.js';
import { REDACTED } from './redaction.js';

const mask = compileMask({ fn: 'resident_id' });

describe.each([
  { written: 'an 18-digit ID', input: '110101199001011237', expected: '110***********1237' },
  { written: 'an ID ending in X', input: '11010519491231002X', expected: '110***********002X' },
  { written: 'an ID ending in lower-case x', input: '11010519491231002x', expected: '110***********002X' },
  { written: 'a 15-digit legacy ID', input: '110105491231002', expected: '110********1002' },
  { written: 'an ID with spaces and hyphens', input: ' 440304-19850612-3017 ', expected: '440***********3017' },
  { written: 'an ID in full-width digits', input: '１１０１０１１９９００１０１１２３７', expected: '110***********1237' },
  { written: 'a 15-digit ID stored as a number', input: 110105491231002, expected: '110********1002' },
  { written: 'an 18-digit ID stored as a bigint', input: 110101199001011237n, expected: '110***********1237' },
])('$written', ({ input, expected }) => {
  it('keeps the first 3 and last 4 characters and stars the rest', () => {
    expect(mask(input)).toBe(expected);
  });
  it('masks to the same value when masked again', () => {
    expect(mask(mask(input))).toBe(expected);
  });
});

describe.each([
  { what: '17 digits', input: '11010119900101123' },
  { what: '19 digits', input: '1101011990010112371' },
  { what: 'an X before the last position', input: '1101011990X1011237' },
  { what: 'letters', input: 'ABCDEFGHIJKLMNOPQR' },
  { what: 'a mobile number', input: '13812341234' },
  { what: 'an empty string', input: '' },
  { what: 'a negative number', input: -110105491231002 },
  { what: 'a fraction', input: 1.5 },
  { what: 'an integer too large to be exact', input: Number('110101199001011237') },
  { what: 'an object', input: { id: '110101199001011237' } },
  { what: 'an array', input: ['110101199001011237'] },
  { what: 'a boolean', input: true },
  { what: 'a huge string', input: '1'.repeat(1_000_000) },
  { what: 'emoji', input: '😀'.repeat(9) },
])('a resident ID field holding $what', ({ input }) => {
  it('is fully redacted', () => {
    expect(mask(input)).toBe(REDACTED);
  });
});

describe('resident ID mask properties', () => {
  const ids = fc.oneof(fc.stringMatching(/^\d{17}[\dXx]$/), fc.stringMatching(/^\d{15}$/));

  it('keeps the length and exactly the first 3 and last 4 characters of any well-formed ID', () => {
    fc.assert(
      fc.property(ids, (id) => {
        const out = mask(id) as string;
        const upper = id.toUpperCase();
        expect(out).toHaveLength(id.length);
        expect(out.slice(0, 3)).toBe(upper.slice(0, 3));
        expect(out.slice(-4)).toBe(upper.slice(-4));
        expect(out.slice(3, -4)).toMatch(/^\*+$/);
      }),
    );
  });

  it('never shows more than 7 characters that are not stars, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(ids, fc.string(), fc.anything()), (value) => {
        const out = mask(value);
        if (value === null || value === undefined) return;
        expect(out?.replaceAll('*', '').length ?? 0).toBeLessThanOrEqual(7);
      }),
    );
  });
});
