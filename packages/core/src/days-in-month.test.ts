import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysInMonth } from './days-in-month.js';

describe('days in a month', () => {
  describe.each([
    [2024, 2, 29],
    [2023, 2, 28],
    [2000, 2, 29],
    [1900, 2, 28],
    [1949, 12, 31],
    [1990, 4, 30],
    [2026, 0, 0],
    [2026, 13, 0],
  ])('%i-%i', (year, month, days) => {
    it(`has ${days}`, () => {
      expect(daysInMonth(year, month)).toBe(days);
    });
  });

  it('agrees with Date for every month of years 1–9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), (year, month) => {
        const lastDay = new Date(0);
        lastDay.setUTCFullYear(year, month, 0);
        return daysInMonth(year, month) === lastDay.getUTCDate();
      }),
    );
  });
});
