/**
 * Checksum-bearing identifiers: resident ID (GB 11643, and the 15-digit
 * legacy form), USCC (GB 32100, with the GB 11714 organisation-code check as
 * a warning) and bank cards (Luhn, 16–19 digits). Char-code loops, no
 * allocation on the common path; results are shared frozen objects.
 */
import { daysInMonth, USCC_CHARSET } from '@warden/core';
import { type Detection, detection } from './detection.js';
import { isDigitCode, prepareValue } from './prepare-value.js';
import { PROVINCE_CODES } from './resident-id.js';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK = '10X98765432';
const PROVINCE = new Uint8Array(100);
for (const p of PROVINCE_CODES) PROVINCE[Number(p)] = 1;

const RESIDENT_ID = detection('resident-id', 0.99);
const LEGACY_RESIDENT_ID = detection('resident-id', 0.7, ['LEGACY_RESIDENT_ID']);
const USCC = detection('uscc', 0.98);
const USCC_ORG_WARNING = detection('uscc', 0.9, ['ORG_CODE_CHECK_FAILED']);
const CARD_UNIONPAY = detection('bank-card', 0.95);
const CARD_INTERNATIONAL = detection('bank-card', 0.85);
const CARD_DOMESTIC_OLD = detection('bank-card', 0.75);

function digitsAt(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) n = n * 10 + (s.charCodeAt(i) - 48);
  return n;
}

function allDigits(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isDigitCode(s.charCodeAt(i))) return false;
  return true;
}

/**
 * Province in the first two digits and a date YYYYMMDD (1900–2099) at
 * `dateAt` (YYMMDD after `century` when it is not -1): a real date when
 * `real`, else any day 1–31 of a month 1–12. Digits already checked.
 */
function plausibleBody(s: string, dateAt: number, century: number, real: boolean): boolean {
  if (PROVINCE[digitsAt(s, 0, 2)] !== 1) return false;
  const year = century < 0 ? digitsAt(s, dateAt, 4) : century + digitsAt(s, dateAt, 2);
  const at = century < 0 ? dateAt + 4 : dateAt + 2;
  const month = digitsAt(s, at, 2);
  const day = digitsAt(s, at + 2, 2);
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  return day <= (real ? daysInMonth(year, month) : 31);
}

/**
 * True for 17 digits (+ digit or X) with a province and a birth-date shape
 * (month 1–12, day 1–31), whatever the check character and whether the date
 * exists: an ID-shaped value, which classifyValue judges as a resident ID only
 * (a bad check or 30 February does not fall through to USCC or bank card).
 */
export function looksLikeResidentId(s: string): boolean {
  if (s.length !== 18 || !allDigits(s, 0, 17)) return false;
  const last = s.charCodeAt(17);
  return (isDigitCode(last) || last === 88 || last === 120) && plausibleBody(s, 6, -1, false);
}

/** Resident ID on a prepared (trimmed, half-width) value. */
export function residentIdDetection(s: string): Detection | undefined {
  if (s.length === 18) {
    if (!looksLikeResidentId(s) || !plausibleBody(s, 6, -1, true)) return undefined;
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += (s.charCodeAt(i) - 48) * (ID_WEIGHTS[i] as number);
    const check = ID_CHECK.charCodeAt(sum % 11);
    const last = s.charCodeAt(17);
    return last === check || (last === 120 && check === 88) ? RESIDENT_ID : undefined;
  }
  if (s.length === 15) return allDigits(s, 0, 15) && plausibleBody(s, 6, 1900, true) ? LEGACY_RESIDENT_ID : undefined;
  return undefined;
}

/** Resident identity number: 18 characters with check, province 11–82 and a real birth date; or the 15-digit legacy form. */
export function detectResidentId(value: string): Detection | undefined {
  return residentIdDetection(prepareValue(value));
}

/** USCC character values by char code, lower case folded; -1 outside the charset. */
const USCC_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < USCC_CHARSET.length; i++) {
  USCC_VALUE[USCC_CHARSET.charCodeAt(i)] = i;
  USCC_VALUE[USCC_CHARSET.toLowerCase().charCodeAt(i)] = i;
}
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

function usccValueAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c < 128 ? (USCC_VALUE[c] as number) : -1;
}

/** GB 11714 organisation code at positions 9–17 (upper-case values: digit, or letter − 55). */
function organisationCodeOk(s: string): boolean {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = s.charCodeAt(8 + i);
    const v = isDigitCode(c) ? c - 48 : (c & 0xdf) - 55;
    sum += v * (ORG_WEIGHTS[i] as number);
  }
  const r = 11 - (sum % 11);
  const expected = r === 10 ? 88 : r === 11 ? 48 : 48 + r;
  const actual = s.charCodeAt(16);
  return actual === expected || (expected === 88 && actual === 120);
}

/** USCC on a prepared value. */
export function usccDetection(s: string): Detection | undefined {
  if (s.length !== 18 || !allDigits(s, 2, 8)) return undefined;
  const province = digitsAt(s, 2, 2);
  if (province !== 10 && PROVINCE[province] !== 1) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = usccValueAt(s, i);
    if (v < 0) return undefined;
    sum += v * (USCC_WEIGHTS[i] as number);
  }
  if (usccValueAt(s, 17) !== (31 - (sum % 31)) % 31) return undefined;
  return organisationCodeOk(s) ? USCC : USCC_ORG_WARNING;
}

/** Unified social credit code: charset, region code (a province, or 10 for central bodies), mod-31 check; a failed organisation-code check is a warning flag. */
export function detectUscc(value: string): Detection | undefined {
  return usccDetection(prepareValue(value));
}

/**
 * Bank card on a prepared value: 16–19 digits (spaces or hyphens between
 * groups allowed) passing Luhn, starting 3–6 (62 UnionPay: highest
 * confidence) or, for 19 digits, 9 (older domestic cards).
 */
export function bankCardDetection(s: string): Detection | undefined {
  const len = s.length;
  if (len < 16 || len > 23) return undefined;
  let sum = 0;
  let n = 0;
  let first = 0;
  let second = 0;
  for (let i = len - 1; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 45) {
      if (i === 0 || i === len - 1) return undefined;
      continue;
    }
    if (!isDigitCode(c)) return undefined;
    let d = c - 48;
    if (n % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    n++;
    second = first;
    first = c - 48;
  }
  if (n < 16 || n > 19 || sum % 10 !== 0) return undefined;
  if (first === 6 && second === 2) return CARD_UNIONPAY;
  if (first >= 3 && first <= 6) return CARD_INTERNATIONAL;
  return first === 9 && n === 19 ? CARD_DOMESTIC_OLD : undefined;
}

/** Bank card number: 16–19 digits with a valid Luhn check digit and a card-issuer prefix. */
export function detectBankCard(value: string): Detection | undefined {
  return bankCardDetection(prepareValue(value));
}
