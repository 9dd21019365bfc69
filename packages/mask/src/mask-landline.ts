import { isDigit, readCompactId, STAR } from './read-input.js';
import { REDACTED, stars } from './redaction.js';

/**
 * Landline `0\d{2,3}-?[2-9]\d{6,7}`: area code (010 and 02x are three digits
 * with the 0, all others four) + last 2 of the local number, as
 * `010-******78`. A +86 / 0086 prefix is dropped and the trunk 0 restored; a
 * bare 7–8 digit local number keeps its last 2 (`******78`). Extensions and
 * other shapes are redacted.
 */
export function maskLandline(value: unknown): string {
  let s = readCompactId(value);
  if (s === undefined) return REDACTED;
  if (s.startsWith('+86')) s = `0${s.slice(3)}`;
  else if (s.startsWith('0086')) s = `0${s.slice(4)}`;
  let area = '';
  if (s.charCodeAt(0) === 48) {
    const second = s.charCodeAt(1);
    const areaLength = second === 49 || second === 50 ? 3 : 4;
    area = s.slice(0, areaLength);
    for (let i = 0; i < area.length; i++) if (!isDigit(area.charCodeAt(i))) return REDACTED;
    if (area.length !== areaLength) return REDACTED;
    s = s.slice(areaLength);
  }
  const n = s.length;
  if (n < 7 || n > 8) return REDACTED;
  const first = s.charCodeAt(0);
  if (!(first === STAR || (first >= 50 && first <= 57))) return REDACTED;
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c) && c !== STAR) return REDACTED;
  }
  const local = stars(n - 2) + s.slice(n - 2);
  return area === '' ? local : `${area}-${local}`;
}
