/**
 * Free-text detectors: person names (surname list + 1–2 Han characters),
 * addresses (administrative keywords) and licence plates (province
 * abbreviation + letter + 5, or 6 for new-energy plates).
 */
import { COMPOUND_SURNAMES } from '@warden/core';
import { type Detection, detection } from './detection.js';
import { isDigitCode, isHanCode, prepareValue } from './prepare-value.js';
import { COMMON_SURNAMES } from './surnames.js';

const NAME_COMPOUND = detection('person-name', 0.75);
const NAME_COMMON = detection('person-name', 0.6);
const ADDRESS_STRONG = detection('address', 0.85);
const ADDRESS = detection('address', 0.65);
const PLATE = detection('plate', 0.95);

function allHan(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isHanCode(s.charCodeAt(i))) return false;
  return true;
}

/** Person name on a prepared value: a compound surname + 1–2 Han characters, or a common surname + 1–2. */
export function personNameDetection(s: string): Detection | undefined {
  const len = s.length;
  if (len < 2 || len > 4 || !allHan(s)) return undefined;
  if (len >= 3 && COMPOUND_SURNAMES.has(s.slice(0, 2))) return NAME_COMPOUND;
  return len <= 3 && COMMON_SURNAMES.has(s[0] as string) ? NAME_COMMON : undefined;
}

/** Chinese person name (2–4 Han characters starting with a known surname). */
export function detectPersonName(value: string): Detection | undefined {
  return personNameDetection(prepareValue(value));
}

/** Administrative and street keywords, each counted once. */
const ADDRESS_KEYWORDS = '省市区县旗镇乡街道路巷弄胡同村组号楼栋幢单元室里';
const KEYWORD_BIT = new Map<number, number>(Array.from(ADDRESS_KEYWORDS, (c, i) => [c.charCodeAt(0), 1 << i]));
/** The higher divisions: 省 市 区 县 旗 镇 乡 街(道). */
const DIVISION_MASK = (1 << 8) - 1;
/** 号 (house number) anchors a street address without a division: 中山路100号. */
const ANCHOR_MASK = DIVISION_MASK | (KEYWORD_BIT.get('号'.charCodeAt(0)) as number);

/** Address on a prepared value: 6–120 characters, mostly Han, at least two distinct keywords, one of them a division or 号. */
export function addressDetection(s: string): Detection | undefined {
  const len = s.length;
  if (len < 6 || len > 120) return undefined;
  let bits = 0;
  let han = 0;
  let digits = 0;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (isHanCode(c)) {
      han++;
      const bit = KEYWORD_BIT.get(c);
      if (bit !== undefined) bits |= bit;
    } else if (isDigitCode(c)) digits++;
  }
  if (han * 2 < len || (bits & ANCHOR_MASK) === 0) return undefined;
  let distinct = 0;
  for (let b = bits; b !== 0; b &= b - 1) distinct++;
  if (distinct < 2) return undefined;
  return distinct >= 3 && digits > 0 ? ADDRESS_STRONG : ADDRESS;
}

/** Postal address (省/市/区/县/街道/路/号… keywords). */
export function detectAddress(value: string): Detection | undefined {
  return addressDetection(prepareValue(value));
}

const PLATE_PROVINCES = new Set(Array.from('京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼'));
/** Characters that may end an ordinary plate: 学 (driving school), 警, 港, 澳, 挂 (trailer), 领, 试, 超. */
const PLATE_SUFFIXES = new Set(Array.from('学警港澳挂领试超'));

/** A–Z without I and O, upper or lower case; returns the upper-case code or 0. */
function plateLetter(c: number): number {
  const u = c >= 97 && c <= 122 ? c - 32 : c;
  return u >= 65 && u <= 90 && u !== 73 && u !== 79 ? u : 0;
}

/** Licence plate on a prepared value; a separator (space, hyphen, ·) may follow the first two characters. */
export function plateDetection(s: string): Detection | undefined {
  const len = s.length;
  if (len < 7 || len > 9 || !PLATE_PROVINCES.has(s[0] as string) || plateLetter(s.charCodeAt(1)) === 0) return undefined;
  let at = 2;
  const sep = s.charCodeAt(2);
  if (sep === 32 || sep === 45 || sep === 0xb7 || sep === 0x2022) at = 3;
  const rest = len - at;
  if (rest !== 5 && rest !== 6) return undefined;
  for (let i = at; i < len; i++) {
    const c = s.charCodeAt(i);
    if (isDigitCode(c) || plateLetter(c) !== 0) continue;
    if (rest === 5 && i === len - 1 && PLATE_SUFFIXES.has(s[i] as string)) continue;
    return undefined;
  }
  if (rest === 5) return PLATE;
  // New-energy plates: D/F first (small cars) or last (large vehicles).
  const first = plateLetter(s.charCodeAt(at));
  const last = plateLetter(s.charCodeAt(len - 1));
  return first === 68 || first === 70 || last === 68 || last === 70 ? PLATE : undefined;
}

/** Licence plate: province abbreviation + letter + 5 characters, or 6 for new-energy plates (D/F). */
export function detectPlate(value: string): Detection | undefined {
  return plateDetection(prepareValue(value));
}
