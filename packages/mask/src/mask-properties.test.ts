/**
 * Properties every mask must have, whatever the rule: it never throws, null
 * stays null, unreadable input is redacted (never echoed), masking is
 * idempotent, and no more input characters are shown than the rule keeps.
 */
import type { MaskRule } from '@warden/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMask } from './compile-mask.js';
import { REDACTED } from './redaction.js';

const hmacKey = Buffer.alloc(32, 0x5a);

interface Case {
  /** The rule as JSON, naming the test. */
  label: string;
  rule: MaskRule;
  /** What the rule returns for unreadable input. */
  redacted: string | null;
  /** At most this many non-mask characters of the input are shown (undefined: not a counting rule). */
  kept?: number;
  /** Well-formed values for this rule. */
  valid: fc.Arbitrary<unknown>;
}

const cjk = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c));
const cjkText = (min: number, max: number) => fc.array(cjk, { minLength: min, maxLength: max }).map((cs) => cs.join(''));

const RULES: Omit<Case, 'label'>[] = [
  {
    rule: { fn: 'resident_id' },
    redacted: REDACTED,
    kept: 7,
    valid: fc.oneof(fc.stringMatching(/^\d{17}[\dXx]$/), fc.stringMatching(/^\d{15}$/)),
  },
  { rule: { fn: 'mobile' }, redacted: REDACTED, kept: 7, valid: fc.stringMatching(/^(?:\+86|0086)?1[3-9]\d{9}$/) },
  { rule: { fn: 'name' }, redacted: REDACTED, kept: 2, valid: cjkText(1, 5) },
  { rule: { fn: 'bank_card' }, redacted: REDACTED, kept: 4, valid: fc.stringMatching(/^\d{12,19}$/) },
  { rule: { fn: 'bank_card', finance: true }, redacted: REDACTED, kept: 10, valid: fc.stringMatching(/^\d{12,19}$/) },
  { rule: { fn: 'landline' }, redacted: REDACTED, kept: 6, valid: fc.stringMatching(/^0(?:10|2\d|[3-9]\d{2})-?[2-9]\d{6,7}$/) },
  { rule: { fn: 'email' }, redacted: REDACTED, valid: fc.emailAddress() },
  {
    rule: { fn: 'address' },
    redacted: REDACTED,
    valid: fc
      .tuple(
        fc.constantFrom('北京市海淀区', '上海市浦东新区', '河北省涞水县'),
        fc.constantFrom('中关村街道', '张江镇', '赵各庄乡', ''),
        cjkText(0, 12),
      )
      .map((parts) => parts.join('')),
  },
  {
    rule: { fn: 'plate' },
    redacted: REDACTED,
    kept: 4,
    valid: fc.tuple(fc.constantFrom(...'京沪粤川'), fc.stringMatching(/^[A-Z][A-Z0-9]{5,6}$/)).map(([p, r]) => p + r),
  },
  { rule: { fn: 'uscc' }, redacted: REDACTED, valid: fc.stringMatching(/^[19][0-9A-HJ-NP-RTUW-Y]{17}$/) },
  {
    rule: { fn: 'amount_band', bands: [0, 1e6, 1e7] },
    redacted: REDACTED,
    valid: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer().map(String)),
  },
  {
    rule: { fn: 'birth_year' },
    redacted: REDACTED,
    valid: fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
  },
  {
    rule: { fn: 'date_month' },
    redacted: REDACTED,
    valid: fc
      .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
  },
  { rule: { fn: 'keep', first: 2, last: 3 }, redacted: REDACTED, kept: 5, valid: fc.string({ minLength: 1 }) },
  { rule: { fn: 'keep', first: 1, last: 1, char: '#' }, redacted: '######', valid: fc.string({ unit: 'grapheme', minLength: 1 }) },
  { rule: { fn: 'redact' }, redacted: REDACTED, kept: 0, valid: fc.string() },
  { rule: { fn: 'null' }, redacted: null, kept: 0, valid: fc.string() },
];

const CASES: Case[] = RULES.map((c) => ({ ...c, label: JSON.stringify(c.rule) }));

/** Anything a column, a JSON body or a bug could hand a mask. */
const anyValue = fc.oneof(
  fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.double(),
  fc.constantFrom('', ' ', '******', '\u0000', '😀', '𠀀𠀁', '*'.repeat(20)),
);

/** Values that are not text, numbers or dates: always unreadable. */
const unreadable = fc.oneof(
  fc.object(),
  fc.array(fc.anything()),
  fc.boolean(),
  fc.constant(''),
  fc.constant(Symbol('x')),
  fc.constant(() => '13812341234'),
);

function visible(out: string, char = '*'): number {
  return Array.from(out).filter((c) => c !== char && c !== '-').length;
}

describe.each(CASES)('the mask $label', ({ rule, redacted, valid }) => {
  const mask = compileMask(rule, { hmacKey });

  it('never throws, and returns null exactly for null and undefined (or always, for the null rule)', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const out = mask(value);
        if (value === null || value === undefined || rule.fn === 'null') expect(out).toBeNull();
        else expect(typeof out).toBe('string');
      }),
      { numRuns: 300 },
    );
  });

  it('redacts unreadable values instead of echoing them', () => {
    fc.assert(
      fc.property(unreadable, (value) => {
        expect(mask(value)).toBe(redacted);
      }),
    );
  });

  it('redacts huge strings without reading them', () => {
    expect(mask('1'.repeat(2_000_000))).toBe(redacted);
    expect(mask('😀'.repeat(1_000_000))).toBe(redacted);
  });

  it('gives the same value when a masked value is masked again', () => {
    fc.assert(
      fc.property(fc.oneof(valid, anyValue), (value) => {
        const once = mask(value);
        expect(mask(once)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });
});

describe.each(CASES.filter((c) => c.kept !== undefined))(
  'the mask $label, which keeps a fixed number of characters',
  ({ rule, kept, valid }) => {
    const mask = compileMask(rule, { hmacKey });
    const char = rule.fn === 'keep' ? (rule.char ?? '*') : '*';
    const limit = kept as number;

    it('never shows more input characters than it keeps, nor the whole input when it is longer', () => {
      fc.assert(
        fc.property(fc.oneof(valid, fc.string(), fc.string({ unit: 'binary' })), (value) => {
          const out = mask(value);
          if (out === null) return;
          expect(visible(out, char)).toBeLessThanOrEqual(limit);
          if (typeof value === 'string' && visible(value, char) > limit) expect(out.includes(value)).toBe(false);
        }),
        { numRuns: 300 },
      );
    });
  },
);

describe('the hash mask', () => {
  const mask = compileMask({ fn: 'hash' }, { hmacKey });

  it('never throws and never echoes its input, whatever it is given', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const out = mask(value);
        if (value === null || value === undefined) expect(out).toBeNull();
        else expect(out === REDACTED || /^[0-9a-f]{16}$/.test(out as string)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('redacts unreadable values', () => {
    fc.assert(
      fc.property(unreadable, (value) => {
        expect(mask(value)).toBe(REDACTED);
      }),
    );
  });
});
