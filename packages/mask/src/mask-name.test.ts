import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMask } from './compile-mask.js';
import { COMPOUND_SURNAMES } from '@warden/core';
import { REDACTED } from './redaction.js';

const mask = compileMask({ fn: 'name' });

describe.each([
  { written: 'a two-character name', input: '张三', expected: '张*' },
  { written: 'a three-character name', input: '王小明', expected: '王**' },
  { written: 'a compound surname and two-character given name', input: '欧阳娜娜', expected: '欧阳**' },
  { written: 'a compound surname and one-character given name', input: '司马光', expected: '司马*' },
  { written: 'a traditional compound surname', input: '諸葛亮', expected: '諸葛*' },
  { written: 'only the two characters of a compound surname', input: '欧阳', expected: '欧*' },
  { written: 'a single character', input: '李', expected: '*' },
  { written: 'characters outside the BMP', input: '𠀀𠀁𠀂', expected: '𠀀**' },
  { written: 'surrounding spaces', input: ' 张三 ', expected: '张*' },
  { written: 'a middle dot', input: '阿依古丽·买买提', expected: '阿*******' },
  { written: 'Latin letters', input: 'John Smith', expected: 'J*********' },
])('$written', ({ input, expected }) => {
  it('keeps the surname character(s) and stars each remaining character', () => {
    expect(mask(input)).toBe(expected);
  });
  it('masks to the same value when masked again', () => {
    expect(mask(expected)).toBe(expected);
  });
});

describe.each([
  { what: 'an empty string', input: '' },
  { what: 'only spaces', input: '   ' },
  { what: 'a control character', input: '张\u0000三' },
  { what: 'a number', input: 42 },
  { what: 'an object', input: { name: '张三' } },
  { what: 'text longer than any name', input: '张'.repeat(65) },
])('a name field holding $what', ({ input }) => {
  it('is fully redacted', () => {
    expect(mask(input)).toBe(REDACTED);
  });
});

describe('name mask properties', () => {
  const cjk = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c));
  const names = fc.array(cjk, { minLength: 2, maxLength: 6 }).map((cs) => cs.join(''));

  it('keeps only the first character of a name without a compound surname, one star per remaining character', () => {
    fc.assert(
      fc.property(
        names.filter((n) => !COMPOUND_SURNAMES.has(n.slice(0, 2))),
        (name) => {
          expect(mask(name)).toBe(name[0] + '*'.repeat(name.length - 1));
        },
      ),
    );
  });

  it('keeps both characters of a compound surname followed by a given name', () => {
    const compound = fc.tuple(fc.constantFrom(...COMPOUND_SURNAMES), fc.array(cjk, { minLength: 1, maxLength: 2 }));
    fc.assert(
      fc.property(compound, ([surname, given]) => {
        expect(mask(surname + given.join(''))).toBe(surname + '*'.repeat(given.length));
      }),
    );
  });

  it('counts code points, never splitting a surrogate pair, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), (text) => {
        const out = mask(text) as string;
        expect(out).not.toMatch(/\p{Cs}/u);
        expect(Array.from(out.replaceAll('*', '')).length).toBeLessThanOrEqual(2);
      }),
    );
  });
});
