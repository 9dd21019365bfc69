import { readText } from './read-input.js';
import { REDACTED } from './redaction.js';

const MAX_ADDRESS_LENGTH = 512;
const TAIL = '****';

/** `区` that ends something other than a district: 自治区 (province), 地区 (prefecture), compounds, parks, campuses… */
const NOT_A_DISTRICT = ['自治', '地', '小', '社', '园', '校', '景', '厂', '营', '片', '街'];
const TOWN_MARKERS = ['街道', '镇', '乡'];
/** How far after the district a street/town marker may end; beyond this it is more likely a road or building name. */
const MAX_TOWN_DISTANCE = 12;
/** Without a district, how far from the start a town marker may be. */
const MAX_TOWN_OFFSET = 24;

/**
 * Address: keep up to and including the street/town level (`街道`, `镇`,
 * `乡`) that follows the district/county (`区`, `县`), or up to the district
 * when no such marker follows closely, then `****`. Without any administrative
 * keyword the whole value is redacted. The output is always a prefix of the
 * input plus `****` (only when something was cut): it never reveals more than
 * the input up to the kept level.
 */
export function maskAddress(value: unknown): string {
  const address = readText(value, MAX_ADDRESS_LENGTH);
  if (address === undefined) return REDACTED;
  const districtEnd = findDistrictEnd(address);
  const from = districtEnd === -1 ? 0 : districtEnd;
  const limit = districtEnd === -1 ? MAX_TOWN_OFFSET : districtEnd + MAX_TOWN_DISTANCE;
  const townEnd = findTownEnd(address, from, limit);
  const cut = townEnd !== -1 ? townEnd : districtEnd;
  if (cut === -1) return REDACTED;
  return cut >= address.length ? address : address.slice(0, cut) + TAIL;
}

/** Index just after the first `区`/`县` that names a district or county, or -1. */
function findDistrictEnd(address: string): number {
  for (let i = 1; i < address.length; i++) {
    const c = address[i];
    if (c === '县') return i + 1;
    if (c === '区' && isDistrict(address, i)) return i + 1;
  }
  return -1;
}

function isDistrict(address: string, at: number): boolean {
  const before = address.slice(Math.max(0, at - 2), at);
  // 新区 is a district (浦东新区, 滨海新区) when a name precedes it.
  if (before.endsWith('新')) return at >= 3;
  return !NOT_A_DISTRICT.some((word) => before.endsWith(word));
}

/** Index just after the first street/town marker starting after `from` (with a name before it) and ending by `limit`, or -1. */
function findTownEnd(address: string, from: number, limit: number): number {
  let best = -1;
  for (const marker of TOWN_MARKERS) {
    const at = address.indexOf(marker, from + 1);
    if (at === -1) continue;
    const end = at + marker.length;
    if (end <= limit && (best === -1 || end < best)) best = end;
  }
  return best;
}
