import { toHalfWidth, USCC_CHARSET } from '@warden/core';
import { readText } from './read-input.js';
import { REDACTED, stars } from './redaction.js';

/**
 * Unified social credit code: public, so returned normalised (half-width,
 * upper-case) — except individual businesses (个体工商户, prefix `92`), whose
 * positions 9–17 are starred: `92110108*********G`. The check character is not
 * verified here, but the shape is; anything else is redacted.
 */
export function maskUscc(value: unknown): string {
  const text = readText(value, 64);
  if (text === undefined) return REDACTED;
  const code = toHalfWidth(text).toUpperCase();
  if (code.length !== 18) return REDACTED;
  const individual = code.startsWith('92');
  for (let i = 0; i < 18; i++) {
    const c = code[i] as string;
    if (USCC_CHARSET.includes(c)) continue;
    if (individual && c === '*' && i >= 8 && i <= 16) continue;
    return REDACTED;
  }
  return individual ? code.slice(0, 8) + stars(9) + code.slice(17) : code;
}
