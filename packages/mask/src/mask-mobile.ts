import { isDigit, readCompactId, STAR } from './read-input.js';
import { REDACTED } from './redaction.js';

/**
 * Mainland mobile `1[3-9]\d{9}`: strip +86 / 0086 / 86, spaces and hyphens,
 * then first 3 + last 4 (`138****1234`). The middle four may already be `*`.
 */
export function maskMobile(value: unknown): string {
  // Fast path: a bare 11-digit string.
  if (typeof value === 'string' && value.length === 11) {
    const masked = maskBare(value);
    if (masked !== undefined) return masked;
  }
  let s = readCompactId(value);
  if (s === undefined) return REDACTED;
  if (s.startsWith('+86')) s = s.slice(3);
  else if (s.startsWith('0086')) s = s.slice(4);
  else if (s.length === 13 && s.startsWith('86')) s = s.slice(2);
  return maskBare(s) ?? REDACTED;
}

function maskBare(s: string): string | undefined {
  if (s.length !== 11 || s.charCodeAt(0) !== 49) return undefined;
  const second = s.charCodeAt(1);
  if (second < 51 || second > 57 || !isDigit(s.charCodeAt(2))) return undefined;
  for (let i = 3; i < 7; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c) && c !== STAR) return undefined;
  }
  for (let i = 7; i < 11; i++) if (!isDigit(s.charCodeAt(i))) return undefined;
  return `${s.slice(0, 3)}****${s.slice(7)}`;
}
