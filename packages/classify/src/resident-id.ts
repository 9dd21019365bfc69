/**
 * Resident identity numbers, GB 11643-1999: `AAAAAA YYYYMMDD SSS C`, ISO 7064
 * MOD 11-2 check character (STANDARDS.md §2). Pure: `now` is an argument.
 */
import { daysInMonth, toHalfWidth } from '@warden/core';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';

/** First two digits of a valid administrative division code (provinces, municipalities, regions, SARs). */
export const PROVINCE_CODES: readonly string[] = [
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
];
const PROVINCES = new Set(PROVINCE_CODES);

/** Earliest birth year accepted; nobody older holds a live identity number. */
const MIN_BIRTH_YEAR = 1900;

/** The check character for the first 17 digits. Throws RangeError unless given exactly 17 ASCII digits. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('residentIdCheckChar needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] as number);
  return CHECK[sum % 11] as string;
}

/** The birth date encoded in positions 7–14, as YYYY-MM-DD, when it is a real date. */
export function residentIdBirthDate(id: string): string | undefined {
  const m = /^\d{6}(\d{4})(\d{2})(\d{2})/.exec(id);
  if (!m) return undefined;
  const day = Number(m[3]);
  return day >= 1 && day <= daysInMonth(Number(m[1]), Number(m[2])) ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

/**
 * True for an 18-character resident ID with a valid province, a real birth
 * date from 1900 on (not after `now` when given) and the right check character.
 * Lower-case `x` is accepted; other raw input should go through normaliseResidentId first.
 */
export function isValidResidentId(s: string, now?: Date): boolean {
  if (s.length !== 18 || !/^\d{17}[\dXx]$/.test(s)) return false;
  if (!PROVINCES.has(s.slice(0, 2))) return false;
  const birth = residentIdBirthDate(s);
  if (!birth || Number(birth.slice(0, 4)) < MIN_BIRTH_YEAR) return false;
  if (now && birth > now.toISOString().slice(0, 10)) return false;
  return residentIdCheckChar(s.slice(0, 17)) === s[17]?.toUpperCase();
}

/**
 * True for a 15-digit legacy ID (issued 1984–1999): a valid province and a real
 * birth date 19YYMMDD (not after `now` when given). It has no check character.
 */
export function isValidLegacyResidentId(s: string, now?: Date): boolean {
  if (s.length !== 15 || !/^\d{15}$/.test(s)) return false;
  if (!PROVINCES.has(s.slice(0, 2))) return false;
  const birth = residentIdBirthDate(`${s.slice(0, 6)}19${s.slice(6)}`);
  return birth !== undefined && !(now && birth > now.toISOString().slice(0, 10));
}

/** Trims, turns full-width digits and letters half-width and upper-cases the check `x`. */
export function normaliseResidentId(s: string): string {
  return toHalfWidth(s.trim()).replace(/x$/, 'X');
}

/** A 15-digit legacy ID (1984–1999) as its 18-digit form: `19` inserted before the two-digit year, check appended. */
export function convertLegacyResidentId(id15: string): string {
  if (!/^\d{15}$/.test(id15)) throw new RangeError('convertLegacyResidentId needs exactly 15 digits');
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return first17 + residentIdCheckChar(first17);
}
