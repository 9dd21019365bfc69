import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMask } from './compile-mask.js';
import { REDACTED } from './redaction.js';

const standard = compileMask({ fn: 'bank_card' });
const finance = compileMask({ fn: 'bank_card', finance: true });

describe.each([
  { written: 'a 16-digit card', input: '6222021234561234', last4: '************1234', first6: '622202******1234' },
  { written: 'a 19-digit card with spaces', input: '6222 0212 3456 7890 123', last4: '***************0123', first6: '622202*********0123' },
  { written: 'a card with hyphens', input: '6222-0212-3456-1234', last4: '************1234', first6: '622202******1234' },
  {
    written: 'a 15-digit card, too short for first 6 + last 4',
    input: '378282246310005',
    last4: '***********0005',
    first6: '***********0005',
  },
  { written: 'a card stored as a bigint', input: 6222021234567890123n, last4: '***************0123', first6: '622202*********0123' },
])('$written', ({ input, last4, first6 }) => {
  it('shows only the last 4 digits to ordinary roles, keeping the length', () => {
    expect(standard(input)).toBe(last4);
  });
  it('shows first 6 and last 4 to finance roles when 6 digits still stay hidden', () => {
    expect(finance(input)).toBe(first6);
  });
  it('masks to the same value when masked again', () => {
    expect(standard(last4)).toBe(last4);
    expect(finance(first6)).toBe(first6);
  });
});

describe.each([
  { what: '11 digits', input: '13812341234' },
  { what: '20 digits', input: '62220212345678901234' },
  { what: 'letters', input: '6222ABCD12341234' },
  { what: 'an empty string', input: '' },
  { what: 'an object', input: { card: '6222021234561234' } },
  { what: 'a huge string', input: '6'.repeat(100_000) },
])('a bank card field holding $what', ({ input }) => {
  it('is fully redacted for every role', () => {
    expect(standard(input)).toBe(REDACTED);
    expect(finance(input)).toBe(REDACTED);
  });
});

describe('bank card mask properties', () => {
  const cards = fc.stringMatching(/^\d{12,19}$/);

  it('never shows more than the last 4 digits to ordinary roles', () => {
    fc.assert(
      fc.property(cards, (card) => {
        const out = standard(card) as string;
        expect(out).toHaveLength(card.length);
        expect(out.replaceAll('*', '')).toBe(card.slice(-4));
      }),
    );
  });

  it('never shows more than first 6 + last 4 to finance roles and always hides at least 6 digits', () => {
    fc.assert(
      fc.property(cards, (card) => {
        const out = finance(card) as string;
        expect(out.replaceAll('*', '').length).toBeLessThanOrEqual(10);
        expect(out.split('*').length - 1).toBeGreaterThanOrEqual(6);
      }),
    );
  });
});
