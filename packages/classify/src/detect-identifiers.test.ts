import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectBankCard, detectResidentId, detectUscc } from './detect-identifiers.js';
import { luhnCheckDigit } from './luhn.js';
import { PROVINCE_CODES } from './resident-id.js';
import { validResidentId as residentId } from './test-support.js';
import { organisationCodeCheckChar, usccCheckChar } from './uscc.js';
import { USCC_CHARSET } from '@warden/core';

const usccChar = fc.constantFrom(...USCC_CHARSET);
const uscc = fc
  .tuple(
    fc.array(usccChar, { minLength: 2, maxLength: 2 }),
    fc.constantFrom(...PROVINCE_CODES, '10'),
    fc.stringMatching(/^\d{4}$/),
    fc.array(usccChar, { minLength: 9, maxLength: 9 }),
  )
  .map(([head, province, county, org]) => {
    const f = head.join('') + province + county + org.join('');
    return f + usccCheckChar(f);
  });

const card = fc
  .tuple(
    fc.constantFrom('62', '4', '5', '35'),
    fc.integer({ min: 16, max: 19 }),
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 18, maxLength: 18 }),
  )
  .map(([prefix, length, rest]) => {
    const body = prefix + rest.join('').slice(0, length - 1 - prefix.length);
    return body + luhnCheckDigit(body);
  });

/** The value with the character at `i` (mod length) replaced by the `shift`-th other character of `alphabet`. */
function changeOne(value: string, i: number, shift: number, alphabet: string): string {
  const at = i % value.length;
  const from = alphabet.indexOf(value[at] as string);
  const to = alphabet[(from + 1 + (shift % (alphabet.length - 1))) % alphabet.length] as string;
  return value.slice(0, at) + to + value.slice(at + 1);
}

describe('resident ID detector', () => {
  describe.each([
    ['11010519491231002X', 'the GB 11643 example', 0.99],
    ['11010519491231002x', 'a lower-case check x', 0.99],
    ['１１０１０５１９４９１２３１００２Ｘ', 'full-width digits', 0.99],
    [' 440304199001010011 ', 'surrounding spaces', 0.99],
    ['110105491231002', 'a 15-digit legacy ID', 0.7],
  ])('%j', (value, what, confidence) => {
    it(`is a resident ID (${what})`, () => {
      expect(detectResidentId(value)).toMatchObject({ type: 'resident-id', confidence });
    });
  });

  describe.each([
    ['110105194912310021', 'a wrong check character'],
    ['110105194902300012', 'born on 30 February'],
    ['000105194912310025', 'region 00'],
    ['910105194912310020', 'province 91'],
    ['110105185012310023', 'born in 1850'],
    ['1101051949123100', 'sixteen digits'],
    ['110105491331002', 'a 15-digit ID with month 13'],
    ['000105491231002', 'a 15-digit ID in region 00'],
    ['11010519491231002Y', 'a letter other than X'],
  ])('%j', (value, what) => {
    it(`is not a resident ID (${what})`, () => {
      expect(detectResidentId(value)).toBeUndefined();
    });
  });

  it('detects every generated valid ID', () => {
    fc.assert(fc.property(residentId, (id) => detectResidentId(id)?.type === 'resident-id'));
  });

  it('never detects an ID with one character changed', () => {
    fc.assert(
      fc.property(residentId, fc.nat(), fc.nat(), (id, i, shift) => detectResidentId(changeOne(id, i, shift, '0123456789X')) === undefined),
    );
  });
});

describe('USCC detector', () => {
  describe.each([
    ['91350100M000100Y43', 'a valid code', 0.98],
    ['91350100m000100y43', 'lower case', 0.98],
    ['９１３５０１００Ｍ０００１００Ｙ４３', 'full-width', 0.98],
  ])('%j', (value, what, confidence) => {
    it(`is a USCC (${what})`, () => {
      expect(detectUscc(value)).toMatchObject({ type: 'uscc', confidence });
    });
  });

  it('flags a code whose embedded organisation code fails GB 11714, and still detects it', () => {
    const org = '12345678';
    const wrong = organisationCodeCheckChar(org) === '1' ? '2' : '1';
    const first17 = `91110000${org}${wrong}`;
    expect(detectUscc(first17 + usccCheckChar(first17))).toEqual({ type: 'uscc', confidence: 0.9, warnings: ['ORG_CODE_CHECK_FAILED'] });
    const right = `91110000${org}${organisationCodeCheckChar(org)}`;
    expect(detectUscc(right + usccCheckChar(right))).toEqual({ type: 'uscc', confidence: 0.98 });
  });

  describe.each([
    ['91350100M000100Y42', 'a wrong check character'],
    ['91350100M000100I43', 'an I'],
    ['9135A100M000100Y43', 'a letter in the region code'],
    ['91350100M000100Y4', 'seventeen characters'],
    ['91990100M000100Y4U', 'region 99, with a correct check'],
  ])('%j', (value, what) => {
    it(`is not a USCC (${what})`, () => {
      expect(detectUscc(value)).toBeUndefined();
    });
  });

  it('detects every generated valid code', () => {
    fc.assert(fc.property(uscc, (code) => detectUscc(code)?.type === 'uscc'));
  });

  it('never detects a code with one character changed', () => {
    fc.assert(fc.property(uscc, fc.nat(), fc.nat(), (code, i, shift) => detectUscc(changeOne(code, i, shift, USCC_CHARSET)) === undefined));
  });
});

describe('bank card detector', () => {
  describe.each([
    ['6222021234567890128', 'a UnionPay card, 19 digits', 0.95],
    ['6222 0212 3456 7890 128', 'grouped with spaces', 0.95],
    ['4111111111111111', 'a Visa test number', 0.85],
    ['9558801234567890128', 'an older 19-digit domestic card', 0.75],
  ])('%j', (value, what, confidence) => {
    it(`is a bank card (${what})`, () => {
      expect(detectBankCard(value)).toMatchObject({ type: 'bank-card', confidence });
    });
  });

  describe.each([
    ['6222021234567890129', 'Luhn off by one'],
    ['4111111111111112', 'a Visa number off by one'],
    ['411111111111111', 'fifteen digits'],
    ['62220212345678901234', 'twenty digits'],
    ['1111111111111111113', 'a Luhn-valid number with no issuer prefix'],
    ['9558801234567897', 'a Luhn-valid 16-digit number starting 9'],
    ['6222-0212-3456-7890-12a', 'a letter'],
    [' 4111111111111111-', 'a trailing hyphen'],
  ])('%j', (value, what) => {
    it(`is not a bank card (${what})`, () => {
      expect(detectBankCard(value)).toBeUndefined();
    });
  });

  it('detects every generated Luhn-valid card', () => {
    fc.assert(fc.property(card, (c) => detectBankCard(c)?.type === 'bank-card'));
  });

  it('never detects a card with one digit changed', () => {
    fc.assert(fc.property(card, fc.nat(), fc.nat(), (c, i, shift) => detectBankCard(changeOne(c, i, shift, '0123456789')) === undefined));
  });
});
