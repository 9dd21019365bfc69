import { daysInMonth } from '@warden/core';

/** A calendar date, possibly partial (a year, or a year and month). */
export interface DateParts {
  year: number;
  month?: number;
  day?: number;
}

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;
const DASHED = /^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2})(?:[T ][0-9:.+\-Z ]{0,30})?)?)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const CHINESE = /^(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?$/;

/**
 * Reads a date from a `Date` (in Beijing time, UTC+8, whatever the process
 * time zone) or a string: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (also with `/` or
 * `.`, and with a time after it), `YYYYMMDD`, `YYYY年M月D日`. The date must
 * exist (no 2023-02-29). Anything else is undefined.
 */
export function parseDate(value: unknown): DateParts | undefined {
  if (value instanceof Date) return fromDate(value);
  if (typeof value !== 'string' || value.length > 48) return undefined;
  const text = value.trim();
  const m = DASHED.exec(text) ?? COMPACT.exec(text) ?? CHINESE.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = m[2] === undefined ? undefined : Number(m[2]);
  const day = m[3] === undefined ? undefined : Number(m[3]);
  if (year < 1) return undefined;
  if (month !== undefined && (month < 1 || month > 12)) return undefined;
  if (day !== undefined && (month === undefined || day < 1 || day > daysInMonth(year, month))) return undefined;
  return { year, month, day };
}

function fromDate(date: Date): DateParts | undefined {
  const time = date.getTime();
  if (Number.isNaN(time)) return undefined;
  const beijing = new Date(time + BEIJING_OFFSET_MS);
  const year = beijing.getUTCFullYear();
  if (!(year >= 1 && year <= 9999)) return undefined;
  return { year, month: beijing.getUTCMonth() + 1, day: beijing.getUTCDate() };
}
