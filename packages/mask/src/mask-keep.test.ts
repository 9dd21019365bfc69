import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMask } from './compile-mask.js';

describe.each([
  { rule: { fn: 'keep', first: 2, last: 2 } as const, input: 'abcdefgh', expected: 'ab****gh' },
  { rule: { fn: 'keep', first: 1, last: 0 } as const, input: '北京数据', expected: '北***' },
  { rule: { fn: 'keep', first: 0, last: 3, char: '#' } as const, input: 'ACCT-00123', expected: '#######123' },
  { rule: { fn: 'keep', first: 1, last: 1 } as const, input: '😀😁😂🤣', expected: '😀**🤣' },
  { rule: { fn: 'keep', first: 2, last: 2 } as const, input: 'abcd', expected: '****' },
  { rule: { fn: 'keep', first: 2, last: 2 } as const, input: 'abc', expected: '***' },
  { rule: { fn: 'keep', first: 1, last: 2 } as const, input: 123456, expected: '1***56' },
  { rule: { fn: 'keep', first: 1, last: 1, char: '●' } as const, input: '', expected: '●●●●●●' },
  { rule: { fn: 'keep', first: 1, last: 1 } as const, input: { a: 1 }, expected: '******' },
])('keep $rule.first first and $rule.last last of $input', ({ rule, input, expected }) => {
  const mask = compileMask(rule);
  it('replaces the code points between with the mask character, or all of them when too short', () => {
    expect(mask(input)).toBe(expected);
  });
  it('masks to the same value when masked again', () => {
    expect(mask(expected)).toBe(expected);
  });
});

describe('keep mask properties', () => {
  const rules = fc.record({
    first: fc.integer({ min: 0, max: 6 }),
    last: fc.integer({ min: 0, max: 6 }),
    char: fc.constantFrom('*', '#', '●', '🔒'),
  });

  it('shows at most first + last code points of the input and keeps its length in code points', () => {
    fc.assert(
      fc.property(rules, fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), ({ first, last, char }, text) => {
        const out = compileMask({ fn: 'keep', first, last, char })(text) as string;
        const input = Array.from(text);
        const output = Array.from(out);
        expect(output).toHaveLength(input.length);
        const hidden = input.length <= first + last ? input.length : input.length - first - last;
        const start = input.length <= first + last ? 0 : first;
        expect(output.slice(start, start + hidden).every((c) => c === char)).toBe(true);
        if (input.length > first + last) {
          expect(output.slice(0, first)).toEqual(input.slice(0, first));
          expect(output.slice(output.length - last)).toEqual(input.slice(input.length - last));
        }
      }),
    );
  });
});
