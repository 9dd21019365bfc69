import { readText, toHalfWidth } from './read-input.js';
import { REDACTED, stars } from './redaction.js';

/** GB 32100-2015 character set: no I, O, S, V, Z. */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

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
    if (CHARSET.includes(c)) continue;
    if (individual && c === '*' && i >= 8 && i <= 16) continue;
    return REDACTED;
  }
  return individual ? code.slice(0, 8) + stars(9) + code.slice(17) : code;
}
