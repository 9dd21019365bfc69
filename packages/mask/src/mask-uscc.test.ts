import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMask } from './compile-mask.js';
import { REDACTED } from './redaction.js';

const mask = compileMask({ fn: 'uscc' });

describe.each([
  { written: 'a company code', input: '91110108MA01ABCD1E', expected: '91110108MA01ABCD1E' },
  { written: 'a public institution code', input: '12100000400000624D', expected: '12100000400000624D' },
  { written: 'lower case and full width', input: '９１310000ma1fl4b24g', expected: '91310000MA1FL4B24G' },
  { written: 'an individual business code', input: '92110108MA01XY9019', expected: '92110108*********9' },
  { written: 'another individual business code', input: '92440300L12345678R', expected: '92440300*********R' },
])('$written', ({ input, expected }) => {
  it('is public except positions 9–17 of individual businesses', () => {
    expect(mask(input)).toBe(expected);
  });
  it('masks to the same value when masked again', () => {
    expect(mask(expected)).toBe(expected);
  });
});

describe.each([
  { what: 'a forbidden letter (O)', input: '91110108MA01OBCD1E' },
  { what: 'stars outside an individual business code', input: '91110108*********E' },
  { what: '17 characters', input: '91110108MA01ABCD1' },
  { what: 'an old 15-digit registration number', input: '110108000000016' },
  { what: 'an empty string', input: '' },
  { what: 'an object', input: { uscc: '91110108MA01ABCD1E' } },
])('a USCC field holding $what', ({ input }) => {
  it('is fully redacted', () => {
    expect(mask(input)).toBe(REDACTED);
  });
});

describe('USCC mask properties', () => {
  it('stars exactly positions 9–17 of every individual business code and nothing else', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^92[0-9A-HJ-NP-RTUW-Y]{16}$/), (code) => {
        expect(mask(code)).toBe(`${code.slice(0, 8)}*********${code.slice(17)}`);
      }),
    );
  });
});
