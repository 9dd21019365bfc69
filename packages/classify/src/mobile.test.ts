import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidMobile, normaliseMobile } from './mobile.js';

describe('mobile numbers', () => {
  describe.each([
    ['13812345678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['0086-199-0000-1111', '19900001111'],
    ['8615912345678', '15912345678'],
    ['186-1000-2000', '18610002000'],
  ])('%j', (raw, bare) => {
    it(`is valid as ${bare}`, () => {
      expect(isValidMobile(raw)).toBe(true);
      expect(normaliseMobile(raw)).toBe(bare);
    });
  });

  describe.each([
    ['12812345678', 'second digit 2'],
    ['1381234567', 'ten digits'],
    ['138123456789', 'twelve digits'],
    ['+85 13812345678', 'a foreign country code'],
    ['010-62345678', 'a landline'],
    ['1381234567a', 'a letter'],
  ])('%j', (raw, what) => {
    it(`is invalid (${what})`, () => {
      expect(isValidMobile(raw)).toBe(false);
      expect(normaliseMobile(raw)).toBeUndefined();
    });
  });

  it('accepts every 1[3-9] number with any prefix, spacing and hyphenation', () => {
    const mobile = fc
      .tuple(fc.integer({ min: 3, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }))
      .map(([d, rest]) => `1${d}${rest.join('')}`);
    fc.assert(
      fc.property(mobile, fc.constantFrom('', '+86', '0086', '86', '+86 '), fc.constantFrom('', ' ', '-'), (m, prefix, sep) => {
        const raw = prefix + [m.slice(0, 3), m.slice(3, 7), m.slice(7)].join(sep);
        return normaliseMobile(raw) === m;
      }),
    );
  });
});
