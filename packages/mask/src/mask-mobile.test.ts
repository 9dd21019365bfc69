import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMask } from './compile-mask.js';
import { REDACTED } from './redaction.js';

const mask = compileMask({ fn: 'mobile' });

describe.each([
  { written: 'a bare number', input: '13812341234' },
  { written: 'a +86 prefix', input: '+8613812341234' },
  { written: 'a 0086 prefix', input: '008613812341234' },
  { written: 'an 86 prefix', input: '8613812341234' },
  { written: 'spaces and hyphens', input: '+86 138-1234-1234' },
  { written: 'a bracketed country code', input: '(+86) 138 1234 1234' },
  { written: 'full-width digits', input: '１３８１２３４１２３４' },
  { written: 'a number type', input: 13812341234 },
  { written: 'an already masked value', input: '138****1234' },
])('a mobile number written with $written', ({ input }) => {
  it('keeps the first 3 and last 4 digits without any prefix', () => {
    expect(mask(input)).toBe('138****1234');
  });
  it('masks to the same value when masked again', () => {
    expect(mask(mask(input))).toBe('138****1234');
  });
});

describe.each([
  { what: 'a number starting 12', input: '12812341234' },
  { what: 'ten digits', input: '1381234123' },
  { what: 'twelve digits', input: '138123412345' },
  { what: 'a landline', input: '010-62751234' },
  { what: 'stars in the last four', input: '1381234****' },
  { what: 'letters', input: '138abcd1234' },
  { what: 'an empty string', input: '' },
  { what: 'an object', input: { mobile: '13812341234' } },
  { what: 'a huge string', input: '1'.repeat(100_000) },
])('a mobile field holding $what', ({ input }) => {
  it('is fully redacted', () => {
    expect(mask(input)).toBe(REDACTED);
  });
});

describe('mobile mask properties', () => {
  it('shows exactly the first 3 and last 4 digits of any valid mobile number in any common notation', () => {
    const notations = fc.tuple(
      fc.stringMatching(/^1[3-9]\d{9}$/),
      fc.constantFrom('', '+86', '0086', '86', '+86 ', '(+86)'),
      fc.constantFrom('', ' ', '-'),
    );
    fc.assert(
      fc.property(notations, ([digits, prefix, sep]) => {
        const written = `${prefix}${digits.slice(0, 3)}${sep}${digits.slice(3, 7)}${sep}${digits.slice(7)}`;
        expect(mask(written)).toBe(`${digits.slice(0, 3)}****${digits.slice(7)}`);
      }),
    );
  });
});
