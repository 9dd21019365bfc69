/**
 * Contact details: mainland mobile numbers, landlines (area code + 7–8 digit
 * local number, optional extension) and e-mail addresses (STANDARDS.md §2).
 */
import { type Detection, detection } from './detection.js';
import { isDigitCode, prepareValue } from './prepare-value.js';

const MOBILE = detection('mobile', 0.95);
const LANDLINE = detection('landline', 0.85);
const EMAIL = detection('email', 0.98);

/** Mobile on a prepared value: `1[3-9]` + 9 digits after an optional +86 / 0086 / 86, spaces and hyphens between digits. */
export function mobileDetection(s: string): Detection | undefined {
  const len = s.length;
  if (len < 11 || len > 20) return undefined;
  let n = 0;
  let start = s.charCodeAt(0) === 43 ? 1 : 0; // '+'
  let separators = false;
  for (let i = start; i < len; i++) {
    const c = s.charCodeAt(i);
    if (isDigitCode(c)) n++;
    else if (c === 32 || c === 45) separators = true;
    else return undefined;
  }
  const digits = separators ? s.replace(/[\s-]/g, '') : s;
  if (separators) start = digits.charCodeAt(0) === 43 ? 1 : 0;
  let at = start;
  if (n === 13 && digits.startsWith('86', start)) at += 2;
  else if (n === 15 && start === 0 && digits.startsWith('0086')) at += 4;
  else if (n !== 11 || start === 1) return undefined;
  const second = digits.charCodeAt(at + 1);
  return digits.charCodeAt(at) === 49 && second >= 51 && second <= 57 ? MOBILE : undefined;
}

/** Mainland mobile number. */
export function detectMobile(value: string): Detection | undefined {
  return mobileDetection(prepareValue(value));
}

const EXTENSION = /\s*(?:转|分机|ext\.?|[x#])\s*\d{1,6}$/i;
const HYPHEN_EXTENSION = /-\d{1,5}$/;
const LANDLINE_SEPARATORS = /[\s\-()]/g;

/**
 * The compact digits of a landline without extension: 0 + area code (010 and
 * 02x: three digits with the 8-digit local number; 03xx–09xx: four digits
 * with 7 or 8) + local number starting 2–9. +86 / 0086 replace the trunk 0.
 */
function isLandlineNumber(raw: string): boolean {
  let s = raw.replace(LANDLINE_SEPARATORS, '');
  if (s.startsWith('+86')) s = `0${s.slice(3)}`;
  else if (s.startsWith('0086')) s = `0${s.slice(4)}`;
  const len = s.length;
  if (len < 11 || len > 12 || s.charCodeAt(0) !== 48) return false;
  for (let i = 1; i < len; i++) if (!isDigitCode(s.charCodeAt(i))) return false;
  const second = s.charCodeAt(1);
  if (second === 48) return false;
  const area = second === 49 || second === 50 ? 3 : 4;
  if (second === 49 && s.charCodeAt(2) !== 48) return false; // 01x: only 010
  const local = len - area;
  if (area === 3 ? local !== 8 : local < 7 || local > 8) return false;
  const first = s.charCodeAt(area);
  return first >= 50 && first <= 57;
}

/** Landline on a prepared value. */
export function landlineDetection(s: string): Detection | undefined {
  const len = s.length;
  if (len < 10 || len > 30) return undefined;
  const c0 = s.charCodeAt(0);
  if (c0 !== 48 && c0 !== 43 && c0 !== 40) return undefined; // 0, +, (
  const ext = EXTENSION.exec(s);
  if (ext) return isLandlineNumber(s.slice(0, ext.index)) ? LANDLINE : undefined;
  if (isLandlineNumber(s)) return LANDLINE;
  const hyphen = HYPHEN_EXTENSION.exec(s);
  return hyphen && isLandlineNumber(s.slice(0, hyphen.index)) ? LANDLINE : undefined;
}

/** Landline: `0\d{2,3}-?[2-9]\d{6,7}` with separators, brackets, +86 and an optional extension (转 / ext / x / #, or a trailing -digits). */
export function detectLandline(value: string): Detection | undefined {
  return landlineDetection(prepareValue(value));
}

const EMAIL_SHAPE = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}$/;

/** E-mail on a prepared value. */
export function emailDetection(s: string): Detection | undefined {
  const at = s.indexOf('@');
  if (at < 1 || at > 64 || s.length > 254) return undefined;
  return EMAIL_SHAPE.test(s) && s.indexOf('..') < 0 && s.charCodeAt(0) !== 46 && s.charCodeAt(at - 1) !== 46 ? EMAIL : undefined;
}

/** E-mail address (local part @ dotted domain with a letter TLD). */
export function detectEmail(value: string): Detection | undefined {
  return emailDetection(prepareValue(value));
}
