import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cents, copyNullable, copyText, copyTextArray, fixed } from './copy-format.js';

/** Inverse of COPY text escaping, as PostgreSQL reads it. */
function unescapeCopy(s: string): string {
  return s.replace(/\\(.)/g, (_m, c: string) => ({ t: '\t', n: '\n', r: '\r' })[c] ?? c);
}

describe('COPY text format', () => {
  describe.each([
    ['plain 北京市', 'plain 北京市'],
    ['a\tb', 'a\\tb'],
    ['line 1\nline 2', 'line 1\\nline 2'],
    ['D:\\资料\\执照.pdf', 'D:\\\\资料\\\\执照.pdf'],
    ['cr\r\n', 'cr\\r\\n'],
    ['\\N', '\\\\N'],
  ])('escapes %j', (raw, escaped) => {
    it(`as ${escaped}`, () => {
      expect(copyText(raw)).toBe(escaped);
    });
  });

  it('never leaves a raw tab or newline and round-trips any text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }).filter((s) => !s.includes('\0')),
        (s) => {
          const e = copyText(s);
          return !/[\t\n\r]/.test(e) && unescapeCopy(e) === s;
        },
      ),
    );
  });

  it('refuses NUL, which text columns cannot hold', () => {
    expect(() => copyText('a\0b')).toThrow(RangeError);
  });

  it('writes null as \\N and an empty string as nothing', () => {
    expect(copyNullable(null)).toBe('\\N');
    expect(copyNullable(undefined)).toBe('\\N');
    expect(copyNullable('')).toBe('');
  });

  describe.each([
    [[], '{}'],
    [['中小企业', '融资支持'], '{"中小企业","融资支持"}'],
    [['say "hi"'], '{"say \\\\"hi\\\\""}'],
    [['a,b', 'NULL', ''], '{"a,b","NULL",""}'],
    [['back\\slash'], '{"back\\\\\\\\slash"}'],
  ])('writes the array %j', (items, literal) => {
    it(`as ${literal}`, () => {
      expect(copyTextArray(items)).toBe(literal);
    });
  });
});

describe('numeric literals', () => {
  describe.each([
    [0, '0.00'],
    [5, '0.05'],
    [123456, '1234.56'],
    [-5, '-0.05'],
    [-123400, '-1234.00'],
  ])('%d cents', (n, text) => {
    it(`is ${text}`, () => {
      expect(cents(n)).toBe(text);
    });
  });

  it('writes cents exactly for every safe integer amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e15, max: 1e15 }),
        (n) => /^-?\d+\.\d{2}$/.test(cents(n)) && BigInt(cents(n).replace('.', '')) === BigInt(n),
      ),
    );
  });

  describe.each([
    [12345, 4, '1.2345'],
    [5, 4, '0.0005'],
    [-51100, 4, '-5.1100'],
  ])('%d at scale %d', (n, scale, text) => {
    it(`is ${text}`, () => {
      expect(fixed(n, scale)).toBe(text);
    });
  });
});
