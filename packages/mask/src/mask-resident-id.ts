import { isDigit, readCompactId, STAR } from './read-input.js';
import { REDACTED, stars } from './redaction.js';

/**
 * Resident ID (GB 11643): first 3 + last 4, same length, `*` between. 18-digit
 * and 15-digit legacy numbers; lower-case x becomes X. Never first 6 + last 4:
 * that leaves about 2,700 candidates. The checksum is not verified — masking
 * must not depend on data quality — but the shape is: anything else is redacted.
 * `*` is accepted anywhere so that a masked ID masks to itself.
 */
export function maskResidentId(value: unknown): string {
  // Fast path: a clean string needs no normalisation.
  if (typeof value === 'string') {
    const masked = maskCompact(value);
    if (masked !== undefined) return masked;
  }
  const id = readCompactId(value);
  return (id !== undefined && maskCompact(id)) || REDACTED;
}

function maskCompact(id: string): string | undefined {
  const n = id.length;
  if (n !== 18 && n !== 15) return undefined;
  for (let i = 0; i < n - 1; i++) {
    const c = id.charCodeAt(i);
    if (!isDigit(c) && c !== STAR) return undefined;
  }
  const last = id.charCodeAt(n - 1);
  if (isDigit(last) || last === STAR || (n === 18 && last === 88)) return id.slice(0, 3) + stars(n - 7) + id.slice(n - 4);
  if (n === 18 && last === 120) return `${id.slice(0, 3)}${stars(11)}${id.slice(14, 17)}X`;
  return undefined;
}
