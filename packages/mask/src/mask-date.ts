import { parseDate } from './parse-date.js';
import { REDACTED } from './redaction.js';

/** Date of birth → year only (`1990-05-01` → `1990`). */
export function maskBirthYear(value: unknown): string {
  const date = parseDate(value);
  return date === undefined ? REDACTED : pad(date.year, 4);
}

/** Date → year and month (`1990-05-01` → `1990-05`); a bare year is redacted. */
export function maskDateMonth(value: unknown): string {
  const date = parseDate(value);
  if (date?.month === undefined) return REDACTED;
  return `${pad(date.year, 4)}-${pad(date.month, 2)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
