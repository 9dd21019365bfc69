import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { USCC_CHARSET } from '@warden/core';
import { checkUsccOrganisationCode, isValidUscc, normaliseUscc, organisationCodeCheckChar, usccCheckChar } from './uscc.js';

const uscChar = fc.constantFrom(...USCC_CHARSET);
/** Registration authority, type, 6-digit region, 8-character organisation body with its GB 11714 check. */
const first17 = fc
  .record({
    head: fc.constantFrom('11', '12', '13', '19', '51', '52', '53', '91', '92', '93', 'Y1'),
    region: fc.integer({ min: 110000, max: 829999 }),
    body: fc.array(uscChar, { minLength: 8, maxLength: 8 }).map((a) => a.join('')),
  })
  .map(({ head, region, body }) => `${head}${region}${body}${organisationCodeCheckChar(body)}`);
const validUscc = first17.map((f) => f + usccCheckChar(f));

// Published registrations of well-known companies (public L1 registry facts).
const REAL = ['914403001922038216', '91330100716105852F', '9144030071526726XG', '91110108551385082Q'];

describe('USCC check character', () => {
  describe.each(REAL.map((u) => [u.slice(0, 17), u[17]]))('for %s', (body, check) => {
    it(`is ${check}`, () => {
      expect(usccCheckChar(body)).toBe(check);
    });
  });

  describe.each([
    ['a short body', '9111010855138508'],
    ['a letter outside the charset', '91110108551385O82'],
    ['lower case', '91110108ma01abcd2'],
  ])('refuses %s', (_what, body) => {
    it('with a RangeError', () => {
      expect(() => usccCheckChar(body)).toThrow(RangeError);
    });
  });
});

describe('USCC validation', () => {
  describe.each(REAL)('%s', (u) => {
    it('is valid', () => {
      expect(isValidUscc(u)).toBe(true);
    });
  });

  describe.each([
    ['91110108551385082R', 'a wrong check character'],
    ['91110108551385082', 'seventeen characters'],
    ['91110108551385082QQ', 'nineteen characters'],
    ['91110108551385O82Q', 'the letter O'],
    ['9111A108551385082Q', 'a letter in the region code'],
    ['91110108551385082q', 'lower case before normalisation'],
    ['９１１１０１０８５５１３８５０８２Ｑ', 'full width before normalisation'],
  ])('%s', (u, what) => {
    it(`is invalid (${what})`, () => {
      expect(isValidUscc(u)).toBe(false);
    });
  });

  it('accepts every generated code', () => {
    fc.assert(fc.property(validUscc, (u) => isValidUscc(u) && checkUsccOrganisationCode(u)));
  });

  it('rejects every generated code with any single character changed', () => {
    fc.assert(
      fc.property(validUscc, fc.nat(17), uscChar, (u, pos, c) => {
        fc.pre(u[pos] !== c);
        return !isValidUscc(u.slice(0, pos) + c + u.slice(pos + 1));
      }),
    );
  });
});

describe('USCC normalisation', () => {
  describe.each([
    [' 91110108551385082q ', '91110108551385082Q'],
    ['９１１１０１０８５５１３８５０８２Ｑ', '91110108551385082Q'],
    ['９１１１０１０８ｍａ０１', '91110108MA01'],
    ['\u3000９１１１０１０８ｍａ０１\u3000', '91110108MA01'],
  ])('of %j', (raw, normal) => {
    it(`gives ${normal}`, () => {
      expect(normaliseUscc(raw)).toBe(normal);
    });
  });

  it('is idempotent', () => {
    fc.assert(fc.property(fc.string(), (s) => normaliseUscc(normaliseUscc(s)) === normaliseUscc(s)));
  });

  it('leaves no space at either end, full-width or not', () => {
    const unit = fc.constantFrom(' ', '\t', '\u3000', '\u00a0', '9', 'ｑ', '！', '～');
    fc.assert(fc.property(fc.string({ unit }), (s) => normaliseUscc(s) === normaliseUscc(s).trim()));
  });
});

describe('organisation code (GB 11714) inside a USCC', () => {
  describe.each([
    ['19220382', '1'],
    ['71610585', '2'],
    ['71526726', 'X'],
    ['55138508', '2'],
  ])('body %s', (body, check) => {
    it(`has check ${check}`, () => {
      expect(organisationCodeCheckChar(body)).toBe(check);
    });
  });

  it('maps 11 − Σ mod 11 = 11 to 0', () => {
    // Σ = 0 for an all-zero body, so the check is 11 → '0'.
    expect(organisationCodeCheckChar('00000000')).toBe('0');
  });

  it('passes for real codes and fails (a warning, not a rejection) when only the organisation check is wrong', () => {
    for (const u of REAL) expect(checkUsccOrganisationCode(u)).toBe(true);
    const body = '91110108551385083';
    const u = body + usccCheckChar(body);
    expect(isValidUscc(u)).toBe(true);
    expect(checkUsccOrganisationCode(u)).toBe(false);
  });

  it('fails for every generated code whose organisation check is replaced by another digit', () => {
    fc.assert(
      fc.property(validUscc, fc.constantFrom(...'0123456789X'), (u, c) => {
        fc.pre(u[16] !== c);
        return !checkUsccOrganisationCode(`${u.slice(0, 16)}${c}${u[17]}`);
      }),
    );
  });
});
