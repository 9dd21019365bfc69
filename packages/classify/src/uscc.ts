/**
 * Unified social credit codes, GB 32100-2015, and the organisation code
 * (GB 11714-1997) embedded at positions 9–17 (STANDARDS.md §2).
 */
import { toHalfWidth, USCC_CHARSET } from '@warden/core';

const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;
const USCC_SHAPE = /^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$/;

function usccValue(c: string): number {
  const v = USCC_CHARSET.indexOf(c);
  if (v < 0 || c.length !== 1) throw new RangeError(`'${c}' is not a USCC character`);
  return v;
}

/** The check character for the first 17 characters. Throws RangeError on length or charset. */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError('usccCheckChar needs exactly 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += usccValue(first17[i] as string) * (USCC_WEIGHTS[i] as number);
  return USCC_CHARSET[(31 - (sum % 31)) % 31] as string;
}

/**
 * True for an 18-character code over the USCC charset, with a 6-digit region
 * code at positions 3–8 and the right check character. Expects normalised
 * input (see normaliseUscc). The organisation-code check is separate
 * (checkUsccOrganisationCode): a mismatch there is a warning, not a rejection.
 */
export function isValidUscc(s: string): boolean {
  return s.length === 18 && USCC_SHAPE.test(s) && usccCheckChar(s.slice(0, 17)) === s[17];
}

/** Trims, turns full-width characters half-width and upper-cases. */
export function normaliseUscc(s: string): string {
  return toHalfWidth(s.trim()).toUpperCase();
}

function orgValue(c: string): number {
  const code = c.charCodeAt(0);
  if (c.length === 1 && code >= 48 && code <= 57) return code - 48;
  if (c.length === 1 && code >= 65 && code <= 90) return code - 55; // A = 10 … Z = 35
  throw new RangeError(`'${c}' is not an organisation code character`);
}

/** GB 11714 check character for an 8-character organisation code body: 11 − Σ mod 11, 10 → X, 11 → 0. */
export function organisationCodeCheckChar(first8: string): string {
  if (first8.length !== 8) throw new RangeError('organisationCodeCheckChar needs exactly 8 characters');
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += orgValue(first8[i] as string) * (ORG_WEIGHTS[i] as number);
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** True when positions 9–17 of a USCC form an organisation code with a valid GB 11714 check. */
export function checkUsccOrganisationCode(s: string): boolean {
  if (s.length !== 18 || !/^[0-9A-Z]{8}[0-9X]$/.test(s.slice(8, 17))) return false;
  return organisationCodeCheckChar(s.slice(8, 16)) === s[16];
}
