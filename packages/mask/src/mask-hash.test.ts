import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMask } from './compile-mask.js';
import { REDACTED } from './redaction.js';

const key = Buffer.from('0123456789abcdef0123456789abcdef');
const otherKey = Buffer.from('fedcba9876543210fedcba9876543210');
const mask = compileMask({ fn: 'hash' }, { hmacKey: key });

describe.each([
  { written: 'a resident ID', input: '110101199001011237' },
  { written: 'a name', input: '张三' },
  { written: 'an emoji', input: '😀' },
])('a hash pseudonym of $written', ({ input }) => {
  it('is the first 16 hex characters of HMAC-SHA256 under the configured key', () => {
    expect(mask(input)).toBe(createHmac('sha256', key).update(input).digest('hex').slice(0, 16));
  });
  it('differs under another key', () => {
    expect(compileMask({ fn: 'hash' }, { hmacKey: otherKey })(input)).not.toBe(mask(input));
  });
});

describe('a hash pseudonym', () => {
  it('has the configured length', () => {
    expect(compileMask({ fn: 'hash', length: 40 }, { hmacKey: key })('x')).toMatch(/^[0-9a-f]{40}$/);
  });
  it('is the same for a number and its decimal string, so numeric and text columns join', () => {
    expect(mask(13812341234)).toBe(mask('13812341234'));
  });
  it('is not affected when the caller later changes the key buffer', () => {
    const mutable = Buffer.from(key);
    const pinned = compileMask({ fn: 'hash' }, { hmacKey: mutable });
    const before = pinned('x');
    mutable.fill(0);
    expect(pinned('x')).toBe(before);
  });
});

describe.each([
  { what: 'an empty string', input: '' },
  { what: 'an object', input: { id: 1 } },
  { what: 'a boolean', input: false },
  { what: 'a huge string', input: 'a'.repeat(100_000) },
])('a hashed field holding $what', ({ input }) => {
  it('is fully redacted', () => {
    expect(mask(input)).toBe(REDACTED);
  });
});

describe.each([
  { problem: 'no key', options: {} },
  { problem: 'a key that is a string', options: { hmacKey: 'secret' as unknown as Buffer } },
  { problem: 'a key shorter than 16 bytes', options: { hmacKey: Buffer.alloc(15, 1) } },
])('a hash rule compiled with $problem', ({ options }) => {
  it('fails at compile time with CONFIG_INVALID', () => {
    expect(() => compileMask({ fn: 'hash' }, options)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

describe('hash mask properties', () => {
  it('is deterministic, lower-case hex of the configured length, for any string', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 8, max: 64 }), (text, length) => {
        const hash = compileMask({ fn: 'hash', length }, { hmacKey: key });
        const out = hash(text);
        expect(out).toMatch(new RegExp(`^[0-9a-f]{${length}}$`));
        expect(hash(text)).toBe(out);
      }),
    );
  });
});
