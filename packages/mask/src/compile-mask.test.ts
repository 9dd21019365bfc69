import type { MaskRule } from '@warden/core';
import { describe, expect, it } from 'vitest';
import { compileMask } from './compile-mask.js';
import { maskValue } from './mask-value.js';
import { REDACTED } from './redaction.js';

describe('a redact rule', () => {
  it('returns ****** for any present value by default', () => {
    expect(compileMask({ fn: 'redact' })('anything')).toBe(REDACTED);
  });
  it('returns the configured text instead when one is given', () => {
    expect(compileMask({ fn: 'redact', text: '[已脱敏]' })({ nested: true })).toBe('[已脱敏]');
  });
  it('masks its own output to itself', () => {
    const mask = compileMask({ fn: 'redact', text: '[已脱敏]' });
    expect(mask(mask('x'))).toBe('[已脱敏]');
  });
});

describe('a null rule', () => {
  it('returns null for present values', () => {
    expect(compileMask({ fn: 'null' })('110101199001011237')).toBeNull();
  });
});

describe.each<MaskRule>([
  { fn: 'resident_id' },
  { fn: 'mobile' },
  { fn: 'name' },
  { fn: 'bank_card' },
  { fn: 'landline' },
  { fn: 'email' },
  { fn: 'address' },
  { fn: 'plate' },
  { fn: 'uscc' },
  { fn: 'amount_band', bands: [0, 100] },
  { fn: 'birth_year' },
  { fn: 'date_month' },
  { fn: 'keep', first: 1, last: 1 },
  { fn: 'redact' },
  { fn: 'null' },
])('a $fn rule', (rule) => {
  const mask = compileMask(rule);
  it('returns null for null and undefined', () => {
    expect(mask(null)).toBeNull();
    expect(mask(undefined)).toBeNull();
  });
  it('redacts instead of throwing on a value whose every trap throws', () => {
    const boom = (): never => {
      throw new Error('boom');
    };
    const hostile = new Proxy({}, { get: boom, getPrototypeOf: boom, has: boom, ownKeys: boom });
    expect([REDACTED, null]).toContain(mask(hostile));
  });
});

describe.each([
  { problem: 'an unknown function', rule: { fn: 'scramble' } },
  { problem: 'a misspelt property', rule: { fn: 'bank_card', finanse: true } },
  { problem: 'unsorted bands', rule: { fn: 'amount_band', bands: [10, 5] } },
  { problem: 'a negative keep count', rule: { fn: 'keep', first: -1, last: 2 } },
])('a rule with $problem', ({ rule }) => {
  it('fails at compile time with POLICY_INVALID', () => {
    expect(() => compileMask(rule as unknown as MaskRule)).toThrow(expect.objectContaining({ code: 'POLICY_INVALID' }));
  });
});

describe('maskValue', () => {
  it('gives the same answer as the compiled mask', () => {
    expect(maskValue({ fn: 'mobile' }, '13812341234')).toBe(compileMask({ fn: 'mobile' })('13812341234'));
  });
  it('passes the HMAC key through to hash rules', () => {
    const hmacKey = Buffer.alloc(32, 7);
    expect(maskValue({ fn: 'hash' }, 'x', { hmacKey })).toBe(compileMask({ fn: 'hash' }, { hmacKey })('x'));
  });
});
