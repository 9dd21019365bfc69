import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMask } from './compile-mask.js';
import { REDACTED } from './redaction.js';

const bands = [0, 1_000_000, 10_000_000];
const mask = compileMask({ fn: 'amount_band', bands });

describe.each([
  { written: 'a negative amount', input: -3, expected: '<0' },
  { written: 'zero, the lowest boundary', input: 0, expected: '0-1000000' },
  { written: 'an amount inside the first band', input: 999_999.99, expected: '0-1000000' },
  { written: 'an amount on a boundary', input: 1_000_000, expected: '1000000-10000000' },
  { written: 'a numeric string with thousands separators', input: '2,500,000', expected: '1000000-10000000' },
  { written: 'an amount at the top boundary', input: 10_000_000, expected: '>=10000000' },
  { written: 'a bigint above all boundaries', input: 10n ** 12n, expected: '>=10000000' },
  { written: 'an exponent string', input: '3e6', expected: '1000000-10000000' },
])('$written', ({ input, expected }) => {
  it('is generalised to its band', () => {
    expect(mask(input)).toBe(expected);
  });
  it('masks to the same band when masked again', () => {
    expect(mask(expected)).toBe(expected);
  });
});

describe.each([
  { what: 'NaN', input: Number.NaN },
  { what: 'infinity', input: Number.POSITIVE_INFINITY },
  { what: 'words', input: 'two million' },
  { what: 'a currency sign', input: '¥100' },
  { what: 'an empty string', input: '' },
  { what: 'an object', input: { amount: 5 } },
])('an amount field holding $what', ({ input }) => {
  it('is fully redacted', () => {
    expect(mask(input)).toBe(REDACTED);
  });
});

describe('amount band mask properties', () => {
  it('puts every amount in the band whose boundaries enclose it', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (amount) => {
        const out = mask(amount) as string;
        if (amount < 0) expect(out).toBe('<0');
        else if (amount >= 10_000_000) expect(out).toBe('>=10000000');
        else if (amount >= 1_000_000) expect(out).toBe('1000000-10000000');
        else expect(out).toBe('0-1000000');
      }),
    );
  });

  it('never returns anything but one of the configured labels or a redaction, for any boundaries', () => {
    const sortedBands = fc
      .uniqueArray(fc.integer({ min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 8 })
      .map((b) => b.sort((x, y) => x - y));
    fc.assert(
      fc.property(sortedBands, fc.oneof(fc.double(), fc.string(), fc.anything()), (b, value) => {
        const labels = new Set([`<${b[0]}`, ...b.slice(1).map((hi, i) => `${b[i]}-${hi}`), `>=${b.at(-1)}`, REDACTED]);
        const out = compileMask({ fn: 'amount_band', bands: b })(value);
        if (value === null || value === undefined) expect(out).toBeNull();
        else expect(labels.has(out as string)).toBe(true);
      }),
    );
  });
});
