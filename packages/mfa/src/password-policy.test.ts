import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatePassword, isCommonPassword, passwordProblems } from './password-policy.js';

const ctx = { name: 'zhang.wei' };

describe('password policy', () => {
  it.each(['Tr1cky-Harbour', 'quiet lantern 42', 'Ferry.Gate.Mango7', '黄河远上白云间Abc1!'])('accepts %j', (pw) => {
    expect(passwordProblems(pw, ctx)).toEqual([]);
  });

  it.each([
    ['Short-pw1', 'at least 12 characters'],
    [`Aa1-${'x'.repeat(125)}`, 'at most 128'],
    ['alllowercaseletters', 'three of'],
    ['ALLUPPER12345', 'three of'],
    ['Zhang.Wei.2024!', 'user name'],
    ['MyWangWEI-is-here1', 'user name'],
    ['Baaaad-Password-1', 'four or more'],
    ['Woaini1314!!', 'common'],
    ['WOAINI1314!!!', 'common'],
    ['5201314520!!', 'three of'],
    ['Qwertyuiop12!', 'common'],
    ['P@ssw0rd2024#', 'common'],
    ['Password!2024', 'common'],
    ['Admin@1234567', 'common'],
  ])('refuses %j (%s)', (pw, reason) => {
    const problems = passwordProblems(pw, ctx);
    expect(problems.join('; ')).toContain(reason);
  });

  it('matches the list case-insensitively, after stripping trailing digits and symbols, and with l33t undone', () => {
    expect(isCommonPassword('WoAiNi1314')).toBe(true);
    expect(isCommonPassword('woaini520!!')).toBe(true);
    expect(isCommonPassword('5201314')).toBe(true);
    expect(isCommonPassword('QWERTYUIOP')).toBe(true);
    expect(isCommonPassword('P@$$w0rd')).toBe(true);
    expect(isCommonPassword('woaini-meiyou')).toBe(false);
    expect(isCommonPassword('1314')).toBe(false);
    expect(isCommonPassword('!!!')).toBe(false);
  });

  it('checks the NFKC form, the one that is hashed: full-width letters and digits are no way round the list', () => {
    expect('Ｐａｓｓｗｏｒｄ１２３４'.normalize('NFKC')).toBe('Password1234');
    expect(passwordProblems('Ｐａｓｓｗｏｒｄ１２３４', ctx).join()).toContain('common');
    expect(passwordProblems('ＺＨＡＮＧ.ｗｅｉ.Harbour7', ctx).join()).toContain('user name');
    // The twin: full-width characters in a strong password are fine.
    expect(passwordProblems('Ｔｒ１ｃｋｙ-Harbour', ctx)).toEqual([]);
  });

  it.each(['Aa123456789!', 'Abc@12345678', '12345678Abc!', 'Xy#9876543210', 'Zq!147258369', 'Ab+34567890123'])(
    'refuses a listed or sequential digit run with at most three letters: %j',
    (pw) => {
      expect(passwordProblems(pw, ctx).join()).toContain('common');
    },
  );

  it.each([
    '1qaz@WSX3edc',
    '1qaz2wsx3edc',
    'Qwerty#2024x',
    'ASDFGH!jk42x',
    'Zaq1@wsx-Moon',
    'P0o9i8u7y6!Tt',
    'Zxcvbn!Moon7',
    '#YTREWQ-Moon7',
  ])('refuses a keyboard walk, whatever its case and symbols: %j', (pw) => {
    expect(passwordProblems(pw, ctx).join()).toContain('keyboard');
  });

  it.each(['Ab@90417362518', 'Kx7#Tr1cky-Harbour', 'Qw3rt-Lantern-Ferry', 'Walk1qa-2ws-Moon'])('accepts the strong twin %j', (pw) => {
    expect(passwordProblems(pw, ctx)).toEqual([]);
  });

  it('counts length in characters, not UTF-16 units', () => {
    expect(passwordProblems('长城长城长城Ab1!ab', ctx)).toEqual([]); // 12 characters
    expect(passwordProblems('长城长城长城Ab1!a', ctx).join()).toContain('at least 12');
  });

  it('generated passwords always pass the policy for their user (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{1,20}$/), (name) => {
        const pw = generatePassword(name);
        expect(pw).toHaveLength(20);
        expect(passwordProblems(pw, { name })).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('any password with a run of four identical characters is refused (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('a', 'Z', '7', '!', '长'), fc.string(), (pre, c, post) => {
        expect(passwordProblems(`${pre}${c.repeat(4)}${post}`, ctx).join()).toContain('four or more');
      }),
    );
  });

  it('any password containing the user name is refused, whatever its case (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.boolean(), (pre, post, upper) => {
        const name = upper ? 'LIU.YANG' : 'liu.yang';
        expect(passwordProblems(`${pre}${name}${post}`, { name: 'liu.yang' }).join()).toContain('user name');
      }),
    );
  });
});
