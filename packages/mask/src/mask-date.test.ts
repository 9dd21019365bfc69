import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMask } from './compile-mask.js';
import { REDACTED } from './redaction.js';

const birthYear = compileMask({ fn: 'birth_year' });
const dateMonth = compileMask({ fn: 'date_month' });

describe.each([
  { written: 'an ISO date', input: '1990-05-01', year: '1990', month: '1990-05' },
  { written: 'slashes and no padding', input: '1990/5/1', year: '1990', month: '1990-05' },
  { written: 'a compact date', input: '19900501', year: '1990', month: '1990-05' },
  { written: 'a Chinese date', input: '1990年5月1日', year: '1990', month: '1990-05' },
  { written: 'a timestamp', input: '1990-05-01T08:30:00+08:00', year: '1990', month: '1990-05' },
  { written: 'a leap day', input: '2000-02-29', year: '2000', month: '2000-02' },
  { written: 'a Date at Beijing midnight on New Year', input: new Date('1989-12-31T16:00:00Z'), year: '1990', month: '1990-01' },
  { written: 'a year and month', input: '1990-05', year: '1990', month: '1990-05' },
])('$written', ({ input, year, month }) => {
  it('becomes the year for birth_year', () => {
    expect(birthYear(input)).toBe(year);
  });
  it('becomes the year and month for date_month', () => {
    expect(dateMonth(input)).toBe(month);
  });
  it('masks to the same value when masked again', () => {
    expect(birthYear(year)).toBe(year);
    expect(dateMonth(month)).toBe(month);
  });
});

describe.each([
  { what: 'a day that does not exist', input: '2023-02-29' },
  { what: 'month 13', input: '1990-13-01' },
  { what: 'year zero', input: '0000-01-01' },
  { what: 'an invalid Date', input: new Date(Number.NaN) },
  { what: 'the last representable Date, past year 9999 in Beijing', input: new Date(8.64e15) },
  { what: 'a number', input: 19900501 },
  { what: 'words', input: 'last Tuesday' },
  { what: 'an empty string', input: '' },
  { what: 'an object', input: { year: 1990 } },
])('a date field holding $what', ({ input }) => {
  it('is fully redacted', () => {
    expect(birthYear(input)).toBe(REDACTED);
    expect(dateMonth(input)).toBe(REDACTED);
  });
});

describe('a bare year', () => {
  it('is kept by birth_year but redacted by date_month, which needs a month', () => {
    expect(birthYear('1990')).toBe('1990');
    expect(dateMonth('1990')).toBe(REDACTED);
  });
});

describe('date mask properties', () => {
  it('keeps only the Beijing calendar year and month of any valid Date', () => {
    const dates = fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(dates, (date) => {
        const iso = new Date(date.getTime() + 8 * 3600_000).toISOString();
        expect(birthYear(date)).toBe(iso.slice(0, 4));
        expect(dateMonth(date)).toBe(iso.slice(0, 7));
      }),
    );
  });
});
