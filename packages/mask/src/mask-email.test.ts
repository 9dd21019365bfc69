import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMask } from './compile-mask.js';
import { REDACTED } from './redaction.js';

const mask = compileMask({ fn: 'email' });

describe.each([
  { written: 'an ordinary address', input: 'zhangsan@example.com', expected: 'z***@example.com' },
  { written: 'a one-character local part', input: 'a@example.cn', expected: 'a***@example.cn' },
  { written: 'a sub-address', input: 'li.si+gov@mail.bj.gov.cn', expected: 'l***@mail.bj.gov.cn' },
  { written: 'a non-ASCII local part', input: '😀smile@example.com', expected: '😀***@example.com' },
  { written: 'surrounding spaces', input: '  wang@example.com ', expected: 'w***@example.com' },
])('$written', ({ input, expected }) => {
  it('keeps the first character of the local part and the domain', () => {
    expect(mask(input)).toBe(expected);
  });
  it('masks to the same value when masked again', () => {
    expect(mask(expected)).toBe(expected);
  });
});

describe.each([
  { what: 'no @', input: 'zhangsan.example.com' },
  { what: 'no local part', input: '@example.com' },
  { what: 'no domain', input: 'zhangsan@' },
  { what: 'whitespace inside', input: 'zhang san@example.com' },
  { what: 'an empty string', input: '' },
  { what: 'a number', input: 12345 },
  { what: 'text longer than any address', input: `${'a'.repeat(300)}@example.com` },
])('an email field holding $what', ({ input }) => {
  it('is fully redacted', () => {
    expect(mask(input)).toBe(REDACTED);
  });
});

describe('email mask properties', () => {
  it('reveals at most one character of the local part of any address', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const at = email.lastIndexOf('@');
        const expected = email.length > 254 ? REDACTED : `${email[0]}***${email.slice(at)}`;
        expect(mask(email)).toBe(expected);
      }),
    );
  });
});
