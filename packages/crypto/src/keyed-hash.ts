/**
 * Keyed pseudonyms for sensitive values (ID numbers, phone numbers, IP
 * addresses) in audit records and logs: HMAC-SHA256, lowercase hex. The same
 * value under the same key always gives the same pseudonym, so records can be
 * correlated; without the key a pseudonym cannot be reversed by hashing
 * guesses, which a plain hash of a low-entropy value would allow.
 */
import { createHmac } from 'node:crypto';
import { wardenError } from '@warden/core';

/** Shorter keys weaken HMAC-SHA256 below its 256-bit strength. */
export const KEYED_HASH_MIN_KEY_BYTES = 32;

export function keyedHash(key: Buffer, value: string): string {
  if (key.length < KEYED_HASH_MIN_KEY_BYTES) {
    throw wardenError('CONFIG_INVALID', {
      reason: `the pseudonymisation key must be at least ${KEYED_HASH_MIN_KEY_BYTES} bytes, not ${key.length}`,
    });
  }
  return createHmac('sha256', key).update(value, 'utf8').digest('hex');
}
