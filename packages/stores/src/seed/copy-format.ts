/**
 * PostgreSQL COPY text format: columns separated by tab, rows by newline,
 * backslash escapes, `\N` for null; arrays as PostgreSQL array literals.
 */

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One text value, escaped for COPY. NUL cannot be stored in text and is refused. */
export function copyText(s: string): string {
  if (s.includes('\0')) throw new RangeError('COPY text cannot carry NUL');
  return SPECIAL.test(s) ? s.replace(SPECIAL_ALL, (c) => ESCAPES[c] as string) : s;
}

export const COPY_NULL = '\\N';

export function copyNullable(s: string | null | undefined): string {
  return s == null ? COPY_NULL : copyText(s);
}

/** A text[] value: every element double-quoted (quotes and backslashes escaped), then escaped for COPY. */
export function copyTextArray(items: readonly string[]): string {
  return copyText(`{${items.map((s) => `"${s.replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
}

/** An integer number of cents as a numeric(…, 2) literal. */
export function cents(n: number): string {
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(Math.round(n));
  const r = a % 100;
  return `${sign}${Math.floor(a / 100)}.${r < 10 ? '0' : ''}${r}`;
}

/** An integer count of 1/10^scale units as a numeric(…, scale) literal. */
export function fixed(n: number, scale: number): string {
  const sign = n < 0 ? '-' : '';
  const a = String(Math.abs(Math.round(n))).padStart(scale + 1, '0');
  return `${sign}${a.slice(0, -scale)}.${a.slice(-scale)}`;
}
