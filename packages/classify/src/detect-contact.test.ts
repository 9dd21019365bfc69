import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectEmail, detectLandline, detectMobile } from './detect-contact.js';

describe('mobile detector', () => {
  describe.each([
    ['13812345678', 'bare'],
    ['+86 138 1234 5678', '+86 and spaces'],
    ['0086-199-0000-1111', '0086 and hyphens'],
    ['8615912345678', '86 without separator'],
    ['１３８１２３４５６７８', 'full-width'],
  ])('%j', (value, what) => {
    it(`is a mobile number (${what})`, () => {
      expect(detectMobile(value)).toEqual({ type: 'mobile', confidence: 0.95 });
    });
  });

  describe.each([
    ['1381234567', 'ten digits'],
    ['138123456789', 'twelve digits'],
    ['12812345678', 'second digit 2'],
    ['23812345678', 'first digit 2'],
    ['+85 13812345678', 'a foreign country code'],
    ['+13812345678', 'a plus without 86'],
    ['1381234567a', 'a letter'],
    ['010-62345678', 'a landline'],
  ])('%j', (value, what) => {
    it(`is not a mobile number (${what})`, () => {
      expect(detectMobile(value)).toBeUndefined();
    });
  });

  it('detects every 1[3-9] number with any prefix and separator', () => {
    const mobile = fc.tuple(fc.integer({ min: 3, max: 9 }), fc.stringMatching(/^\d{9}$/)).map(([d, rest]) => `1${d}${rest}`);
    fc.assert(
      fc.property(mobile, fc.constantFrom('', '+86', '0086', '86', '+86 '), fc.constantFrom('', ' ', '-'), (m, prefix, sep) => {
        return detectMobile(prefix + [m.slice(0, 3), m.slice(3, 7), m.slice(7)].join(sep))?.type === 'mobile';
      }),
    );
  });

  it('never detects a number one digit short or long', () => {
    fc.assert(fc.property(fc.stringMatching(/^1[3-9]\d{8}$|^1[3-9]\d{10}$/), (m) => detectMobile(m) === undefined));
  });
});

describe('landline detector', () => {
  describe.each([
    ['010-62345678', 'Beijing'],
    ['01062345678', 'Beijing without a hyphen'],
    ['(0755) 2345 6789', 'brackets and spaces'],
    ['0571-8765432', 'a 7-digit local number'],
    ['+86 10 6234 5678', '+86 without the trunk 0'],
    ['010-62345678-8001', 'a hyphenated extension'],
    ['021-62345678转123', 'an extension with 转'],
    ['0755-23456789 ext. 12', 'an ext. extension'],
  ])('%j', (value, what) => {
    it(`is a landline (${what})`, () => {
      expect(detectLandline(value)).toEqual({ type: 'landline', confidence: 0.85 });
    });
  });

  describe.each([
    ['010-12345678', 'a local number starting 1'],
    ['010-6234567', 'a 7-digit local number after a 3-digit area code'],
    ['011-62345678', 'area code 011'],
    ['0571-876543', 'a 6-digit local number'],
    ['13812345678', 'a mobile number'],
    ['62345678', 'no area code'],
    ['010-62345678转', 'an empty extension'],
  ])('%j', (value, what) => {
    it(`is not a landline (${what})`, () => {
      expect(detectLandline(value)).toBeUndefined();
    });
  });
});

describe('email detector', () => {
  describe.each([['zhang.san@example.com'], ['li+tag@mail.example.com.cn'], ['Ｗ@example.cn']])('%j', (value) => {
    it('is an e-mail address', () => {
      expect(detectEmail(value)).toEqual({ type: 'email', confidence: 0.98 });
    });
  });

  describe.each([
    ['zhang.san@example', 'no top-level domain'],
    ['@example.com', 'no local part'],
    ['zhang..san@example.com', 'two dots'],
    ['zhang san@example.com', 'a space'],
    ['zhang.san.example.com', 'no @'],
  ])('%j', (value, what) => {
    it(`is not an e-mail address (${what})`, () => {
      expect(detectEmail(value)).toBeUndefined();
    });
  });
});
