/**
 * One cell value → the most likely type. Dispatches on length and first
 * character so that each value meets only the detectors that could match;
 * checksum-bearing types are tried first.
 */
import { bankCardDetection, looksLikeResidentId, residentIdDetection, usccDetection } from './detect-identifiers.js';
import { emailDetection, landlineDetection, mobileDetection } from './detect-contact.js';
import { addressDetection, personNameDetection, plateDetection } from './detect-text.js';
import type { Detection } from './detection.js';
import { isHanCode, prepareValue } from './prepare-value.js';

/** Longest value looked at; longer text is not a single identifier, name or address. */
const MAX_LENGTH = 256;

/**
 * Order: resident ID and USCC (18 / 15 characters, checksums), then e-mail
 * (an @), then Han text (plate, name, address), then digit strings (bank card,
 * mobile, landline). An 18-character value shaped like a resident ID
 * (province + real birth date) is judged as one only: when its check fails it
 * is reported as nothing, not as a USCC or card that happens to check.
 */
export function classifyValue(value: string): Detection | undefined {
  const s = prepareValue(value);
  const n = s.length;
  if (n === 0 || n > MAX_LENGTH) return undefined;
  if (n === 18 && looksLikeResidentId(s)) return residentIdDetection(s);
  if (n === 15) {
    const legacy = residentIdDetection(s);
    if (legacy !== undefined) return legacy;
  }
  if (n === 18) {
    const uscc = usccDetection(s);
    // A numeric code that checks as a USCC but not as an organisation code is more likely a Luhn-valid card.
    if (uscc !== undefined) return uscc.warnings === undefined ? uscc : (bankCardDetection(s) ?? uscc);
  }
  if (s.indexOf('@') > 0) return emailDetection(s);
  const c0 = s.charCodeAt(0);
  if (isHanCode(c0)) return plateDetection(s) ?? personNameDetection(s) ?? addressDetection(s);
  if (n > 30) return undefined;
  if (c0 === 48 || c0 === 40) return landlineDetection(s);
  return bankCardDetection(s) ?? mobileDetection(s) ?? landlineDetection(s);
}
