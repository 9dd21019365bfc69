import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  convertLegacyResidentId,
  isValidLegacyResidentId,
  isValidResidentId,
  normaliseResidentId,
  residentIdBirthDate,
  residentIdCheckChar,
} from './resident-id.js';
import { validResidentId as validId } from './test-support.js';

const NOW = new Date('2026-11-01T00:00:00Z');

describe('resident ID check character', () => {
  describe.each([
    ['11010519491231002', 'X'],
    ['44030419900101001', '1'],
    ['11010119800101001', '0'],
    ['32010219950815123', '4'],
  ])('for %s', (body, check) => {
    it(`is ${check}`, () => {
      expect(residentIdCheckChar(body)).toBe(check);
    });
  });

  it('refuses anything but 17 digits', () => {
    expect(() => residentIdCheckChar('1101051949123100')).toThrow(RangeError);
    expect(() => residentIdCheckChar('1101051949123100A')).toThrow(RangeError);
  });
});

describe('resident ID validation', () => {
  describe.each([
    ['11010519491231002X', 'the GB 11643 example'],
    ['11010519491231002x', 'a lower-case check x'],
    ['440304199001010011', 'a Shenzhen ID'],
    ['810000200002290011', 'a Hong Kong resident ID born on a leap day'],
  ])('%s', (id, what) => {
    it(`is valid (${what})`, () => {
      expect(isValidResidentId(id, NOW)).toBe(true);
    });
  });

  describe.each([
    ['110105194912310021', 'a wrong check character'],
    ['11010519491231002', 'seventeen characters'],
    ['11010519491231002XX', 'nineteen characters'],
    ['110105194902300020', 'the 30th of February'],
    ['110105190002290025', 'the 29th of February 1900, not a leap year'],
    ['110105189912310023', 'a birth year before 1900'],
    ['101105194912310029', 'province 10, which does not exist'],
    ['910105194912310029', 'province 91, which does not exist'],
    ['1101051949123100X2', 'an X before the check position'],
    ['１１０１０５１９４９１２３１００２Ｘ', 'full-width digits before normalisation'],
    [' 11010519491231002X', 'surrounding space before normalisation'],
  ])('%s', (id, what) => {
    it(`is invalid (${what})`, () => {
      expect(isValidResidentId(id, NOW)).toBe(false);
    });
  });

  it('rejects a birth date after now, and accepts it when now is later', () => {
    const body = '11010520270105001';
    const id = body + residentIdCheckChar(body);
    expect(isValidResidentId(id, NOW)).toBe(false);
    expect(isValidResidentId(id, new Date('2027-01-05T12:00:00Z'))).toBe(true);
    expect(isValidResidentId(id)).toBe(true);
  });

  it('accepts every generated ID with a valid region, date and check', () => {
    fc.assert(fc.property(validId, (id) => isValidResidentId(id, NOW)));
  });

  it('rejects every generated ID with any single character changed', () => {
    fc.assert(
      fc.property(validId, fc.nat(17), fc.constantFrom(...'0123456789X'), (id, pos, c) => {
        fc.pre(id[pos] !== c);
        return !isValidResidentId(id.slice(0, pos) + c + id.slice(pos + 1), NOW);
      }),
    );
  });

  it('reads the birth date of a valid ID', () => {
    expect(residentIdBirthDate('11010519491231002X')).toBe('1949-12-31');
    expect(residentIdBirthDate('110105194902300020')).toBeUndefined();
  });
});

describe('resident ID normalisation', () => {
  describe.each([
    ['  11010519491231002x ', '11010519491231002X'],
    ['１１０１０５１９４９１２３１００２Ｘ', '11010519491231002X'],
    ['１１０１０５１９４９１２３１００２ｘ', '11010519491231002X'],
    ['110105194912310021', '110105194912310021'],
  ])('of %j', (raw, normal) => {
    it(`gives ${normal}`, () => {
      expect(normaliseResidentId(raw)).toBe(normal);
      expect(isValidResidentId(normaliseResidentId(raw), NOW)).toBe(normal !== '110105194912310021');
    });
  });

  it('is idempotent', () => {
    fc.assert(fc.property(fc.string(), (s) => normaliseResidentId(normaliseResidentId(s)) === normaliseResidentId(s)));
  });

  it('leaves no space at either end, full-width or not', () => {
    const unit = fc.constantFrom(' ', '\t', '\u3000', '\u00a0', '1', 'ｘ', '！', '～');
    fc.assert(fc.property(fc.string({ unit }), (s) => normaliseResidentId(s) === normaliseResidentId(s).trim()));
  });
});

describe('legacy 15-digit resident IDs', () => {
  describe.each([
    ['110105491231002', '11010519491231002X'],
    ['440304900101001', '440304199001010011'],
  ])('%s', (legacy, modern) => {
    it(`converts to ${modern}`, () => {
      expect(convertLegacyResidentId(legacy)).toBe(modern);
      expect(isValidResidentId(convertLegacyResidentId(legacy), NOW)).toBe(true);
    });
  });

  it('refuses anything but 15 digits', () => {
    expect(() => convertLegacyResidentId('11010549123100')).toThrow(RangeError);
    expect(() => convertLegacyResidentId('11010519491231002X')).toThrow(RangeError);
  });

  it('round-trips: dropping 19 and the check from a 20th-century ID and converting back gives it again', () => {
    fc.assert(
      fc.property(validId, (id) => {
        fc.pre(id.slice(6, 8) === '19');
        return convertLegacyResidentId(id.slice(0, 6) + id.slice(8, 17)) === id;
      }),
    );
  });
});

describe('15-digit legacy resident IDs', () => {
  describe.each([
    ['110105491231002', 'born 1949-12-31'],
    ['440304960229001', 'born on the leap day of 1996'],
  ])('%s', (id, what) => {
    it(`is valid (${what})`, () => {
      expect(isValidLegacyResidentId(id, NOW)).toBe(true);
    });
  });

  describe.each([
    ['440304000229001', '29 February 1900, not a leap year'],
    ['110105491331002', 'month 13'],
    ['000105491231002', 'region 00'],
    ['11010549123100', 'fourteen digits'],
    ['11010549123100X', 'a check letter'],
  ])('%s', (id, what) => {
    it(`is invalid (${what})`, () => {
      expect(isValidLegacyResidentId(id, NOW)).toBe(false);
    });
  });

  it('is valid exactly when its 18-digit conversion is', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{15}$/),
        (id) => isValidLegacyResidentId(id, NOW) === isValidResidentId(convertLegacyResidentId(id), NOW),
      ),
    );
  });
});
