import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidLuhn, luhnCheckDigit } from './luhn.js';

const body = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 15, maxLength: 18 }).map((a) => a.join(''));

describe('Luhn check digit', () => {
  describe.each([
    ['7992739871', '3'],
    ['411111111111111', '1'],
    ['622202000000000000', '0'],
    ['0', '0'],
  ])('for %s', (digits, check) => {
    it(`is ${check}`, () => {
      expect(luhnCheckDigit(digits)).toBe(check);
      expect(isValidLuhn(digits + check)).toBe(true);
    });
  });

  it('refuses non-digits', () => {
    expect(() => luhnCheckDigit('4111 1111')).toThrow(RangeError);
    expect(() => luhnCheckDigit('')).toThrow(RangeError);
  });
});

describe('Luhn validation', () => {
  describe.each([
    ['79927398713', true],
    ['4111111111111111', true],
    ['79927398710', false],
    ['4111111111111112', false],
    ['4111-1111-1111-1111', false],
    ['0', false],
    ['', false],
  ])('%j', (digits, valid) => {
    it(`is ${valid ? 'valid' : 'invalid'}`, () => {
      expect(isValidLuhn(digits)).toBe(valid);
    });
  });

  it('accepts every 16–19 digit number ending in its check digit', () => {
    fc.assert(fc.property(body, (b) => isValidLuhn(b + luhnCheckDigit(b))));
  });

  it('rejects every such number with any single digit changed', () => {
    fc.assert(
      fc.property(body, fc.nat(18), fc.integer({ min: 0, max: 9 }), (b, p, d) => {
        const n = b + luhnCheckDigit(b);
        const pos = p % n.length;
        fc.pre(n[pos] !== String(d));
        return !isValidLuhn(n.slice(0, pos) + d + n.slice(pos + 1));
      }),
    );
  });
});
