/**
 * Turning raw column values into text a mask can parse. Nothing here throws
 * and nothing calls `toString` on objects: a value that is not text (or, for
 * identifiers, a whole number) is unreadable and the mask redacts it.
 */
import { toHalfWidth } from '@warden/core';

/** Longest input any text mask reads; longer values are redacted unread. */
export const MAX_TEXT_LENGTH = 4096;

const CONTROL = /[\p{Cc}\u2028\u2029]/u;
const SEPARATORS = /[\s\-()（）]/;
const SEPARATORS_G = /[\s\-()（）]/g;

/**
 * Any scalar as text, for masks that read every value as it is (`keep`,
 * `hash`): a string, a finite number or a bigint (as its decimal string).
 * Anything else, and text that is empty or longer than `maxLength`, is undefined.
 */
export function readScalar(value: unknown, maxLength: number): string | undefined {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else if (typeof value === 'bigint') text = value.toString();
  else return undefined;
  return text.length === 0 || text.length > maxLength ? undefined : text;
}

/** A trimmed string without control characters, or undefined. */
export function readText(value: unknown, maxLength = MAX_TEXT_LENGTH): string | undefined {
  if (typeof value !== 'string' || value.length > maxLength) return undefined;
  const text = value.trim();
  if (text.length === 0 || CONTROL.test(text)) return undefined;
  return text;
}

/**
 * Text for identifier-like values (IDs, phone and card numbers): strings, and
 * non-negative whole numbers stored in numeric columns. Full-width characters
 * are folded to ASCII and separators (spaces, hyphens, brackets) removed.
 */
export function readCompactId(value: unknown, maxLength = 64): string | undefined {
  let text: string | undefined;
  if (typeof value === 'string') text = value.length > maxLength ? undefined : value;
  else if (typeof value === 'number') text = Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
  else if (typeof value === 'bigint') text = value >= 0n ? value.toString() : undefined;
  if (text === undefined || text.length === 0) return undefined;
  if (isPlainAlphanumeric(text)) return text;
  text = toHalfWidth(text);
  if (SEPARATORS.test(text)) text = text.replace(SEPARATORS_G, '');
  return text.length === 0 ? undefined : text;
}

/** Fast path: ASCII letters, digits, `*` and `+` need no folding or separator removal. */
function isPlainAlphanumeric(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 42 || c === 43)) return false;
  }
  return true;
}

/** Whether the string holds any UTF-16 surrogate, i.e. code units and code points differ. */
export function hasSurrogates(text: string): boolean {
  return SURROGATE.test(text);
}

const SURROGATE = /[\ud800-\udfff]/;

/** ASCII digit test on a char code. */
export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export const STAR = 42;
