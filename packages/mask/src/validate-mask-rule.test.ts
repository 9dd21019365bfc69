import { describe, expect, it } from 'vitest';
import { validateMaskRule } from './validate-mask-rule.js';

describe.each([
  { fn: 'resident_id' },
  { fn: 'mobile' },
  { fn: 'name' },
  { fn: 'bank_card' },
  { fn: 'bank_card', finance: true },
  { fn: 'landline' },
  { fn: 'email' },
  { fn: 'address' },
  { fn: 'plate' },
  { fn: 'uscc' },
  { fn: 'amount_band', bands: [0, 1e6, 1e7] },
  { fn: 'birth_year' },
  { fn: 'date_month' },
  { fn: 'keep', first: 3, last: 4 },
  { fn: 'keep', first: 0, last: 0, char: '●' },
  { fn: 'redact' },
  { fn: 'redact', text: '' },
  { fn: 'hash' },
  { fn: 'hash', length: 32 },
  { fn: 'null' },
])('the valid rule %o', (rule) => {
  it('has no problems', () => {
    expect(validateMaskRule(rule)).toEqual([]);
  });
});

describe.each([
  { problem: 'null', rule: null, says: 'must be an object' },
  { problem: 'a string', rule: 'mobile', says: 'must be an object' },
  { problem: 'an array', rule: [{ fn: 'mobile' }], says: 'must be an object' },
  { problem: 'no fn', rule: {}, says: '"fn" must be one of' },
  { problem: 'an unknown fn', rule: { fn: 'scramble' }, says: '"fn" must be one of' },
  { problem: 'an inherited fn name', rule: { fn: 'toString' }, says: '"fn" must be one of' },
  { problem: 'an unknown property', rule: { fn: 'mobile', keep: 4 }, says: 'unknown property "keep"' },
  { problem: 'a non-boolean finance flag', rule: { fn: 'bank_card', finance: 'yes' }, says: '"finance" must be true or false' },
  { problem: 'no bands', rule: { fn: 'amount_band' }, says: '"bands" must be a list' },
  { problem: 'empty bands', rule: { fn: 'amount_band', bands: [] }, says: '"bands" must be a list' },
  { problem: 'a non-numeric band', rule: { fn: 'amount_band', bands: [0, '10'] }, says: 'finite number' },
  { problem: 'an infinite band', rule: { fn: 'amount_band', bands: [0, Number.POSITIVE_INFINITY] }, says: 'finite number' },
  { problem: 'descending bands', rule: { fn: 'amount_band', bands: [0, 10, 5] }, says: 'strictly ascending (boundary 3' },
  { problem: 'repeated bands', rule: { fn: 'amount_band', bands: [0, 0] }, says: 'strictly ascending' },
  { problem: 'keep without counts', rule: { fn: 'keep' }, says: '"first" must be a whole number' },
  { problem: 'a fractional keep count', rule: { fn: 'keep', first: 1.5, last: 1 }, says: '"first" must be a whole number' },
  { problem: 'a huge keep count', rule: { fn: 'keep', first: 1, last: 65 }, says: '"last" must be a whole number from 0 to 64' },
  { problem: 'a two-character mask char', rule: { fn: 'keep', first: 1, last: 1, char: '**' }, says: '"char" must be exactly one' },
  { problem: 'a blank mask char', rule: { fn: 'keep', first: 1, last: 1, char: ' ' }, says: '"char" must be exactly one visible' },
  { problem: 'a non-string redact text', rule: { fn: 'redact', text: 0 }, says: '"text" must be a string' },
  { problem: 'a short hash', rule: { fn: 'hash', length: 4 }, says: '"length" must be a whole number from 8 to 64' },
  { problem: 'a hash longer than SHA-256', rule: { fn: 'hash', length: 65 }, says: '"length" must be a whole number from 8 to 64' },
])('a rule with $problem', ({ rule, says }) => {
  it('is reported with a sentence naming the problem', () => {
    const problems = validateMaskRule(rule);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toContain(says);
  });
});

describe('a rule with several problems', () => {
  it('has every one reported', () => {
    expect(validateMaskRule({ fn: 'keep', first: -1, last: 'x', colour: 'red' })).toHaveLength(3);
  });
});
