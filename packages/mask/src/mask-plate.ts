import { toHalfWidth } from '@warden/core';
import { isDigit, readText, STAR } from './read-input.js';
import { REDACTED, stars } from './redaction.js';

const PROVINCES = new Set(Array.from('京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼'));
/** Characters that may end a plate: 学 (driving school), 警, 港, 澳, 挂 (trailer), 领, 试, 超. */
const SUFFIXES = new Set(Array.from('学警港澳挂领试超'));
const SEPARATORS = /[\s\-·•・.]/g;

/**
 * Licence plate: province abbreviation + letter + 5 or 6 characters (6 for
 * new-energy plates). Keeps the province, the letter and the first and last
 * of the rest: `京A12345` → `京A1***5`, `京AD12345` → `京AD****5`.
 */
export function maskPlate(value: unknown): string {
  const text = readText(value, 32);
  if (text === undefined) return REDACTED;
  const plate = toHalfWidth(text).replace(SEPARATORS, '').toUpperCase();
  const n = plate.length;
  if (n < 7 || n > 8 || !PROVINCES.has(plate[0] as string)) return REDACTED;
  if (!isLetter(plate.charCodeAt(1))) return REDACTED;
  for (let i = 2; i < n; i++) {
    const c = plate.charCodeAt(i);
    const ok = isLetter(c) || isDigit(c) || c === STAR || (i === n - 1 && SUFFIXES.has(plate[i] as string));
    if (!ok) return REDACTED;
  }
  return plate.slice(0, 3) + stars(n - 4) + plate.slice(n - 1);
}

function isLetter(code: number): boolean {
  return code >= 65 && code <= 90;
}
