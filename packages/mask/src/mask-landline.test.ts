import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMask } from './compile-mask.js';
import { REDACTED } from './redaction.js';

const mask = compileMask({ fn: 'landline' });

describe.each([
  { written: 'a Beijing number', input: '010-62751234', expected: '010-******34' },
  { written: 'a Shanghai number without hyphen', input: '02164871234', expected: '021-******34' },
  { written: 'a four-digit area code', input: '0755-26781234', expected: '0755-******34' },
  { written: 'a seven-digit local number', input: '(0311) 8765432', expected: '0311-*****32' },
  { written: 'a +86 prefix', input: '+86 10 62751234', expected: '010-******34' },
  { written: 'a local number only', input: '6275 1234', expected: '******34' },
])('$written', ({ input, expected }) => {
  it('keeps the area code and the last 2 digits', () => {
    expect(mask(input)).toBe(expected);
  });
  it('masks to the same value when masked again', () => {
    expect(mask(expected)).toBe(expected);
  });
});

describe.each([
  { what: 'a mobile number', input: '13812341234' },
  { what: 'an extension', input: '010-62751234-8001' },
  { what: 'a local number starting with 1', input: '010-12345678' },
  { what: 'too few digits', input: '010-12345' },
  { what: 'letters', input: '010-ABCDEFGH' },
  { what: 'an empty string', input: '' },
  { what: 'an array', input: ['010', '62751234'] },
])('a landline field holding $what', ({ input }) => {
  it('is fully redacted', () => {
    expect(mask(input)).toBe(REDACTED);
  });
});

describe('landline mask properties', () => {
  it('shows only the area code and last 2 digits of any well-formed landline', () => {
    const numbers = fc.tuple(
      fc.stringMatching(/^0(?:10|2\d|[3-9]\d{2})$/),
      fc.constantFrom('', '-', ' '),
      fc.stringMatching(/^[2-9]\d{6,7}$/),
    );
    fc.assert(
      fc.property(numbers, ([area, sep, local]) => {
        const out = mask(area + sep + local);
        expect(out).toBe(`${area}-${'*'.repeat(local.length - 2)}${local.slice(-2)}`);
      }),
    );
  });
});
