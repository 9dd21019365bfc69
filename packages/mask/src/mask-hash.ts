import { createHmac } from 'node:crypto';
import { readScalar } from './read-input.js';
import { REDACTED } from './redaction.js';

/** Longest value pseudonymised; longer values are not join keys and are redacted. */
const MAX_HASH_INPUT = 65536;

/**
 * Keyed pseudonym for joins: HMAC-SHA256 over the UTF-8 value, hex, first
 * `length` characters. Numbers hash like their decimal string, so `13800000000`
 * and `'13800000000'` join. The key is checked when the rule is compiled.
 */
export function createHashMask(key: Buffer, length: number): (value: unknown) => string {
  const secret = Buffer.from(key);
  return (value) => {
    const text = readScalar(value, MAX_HASH_INPUT);
    if (text === undefined) return REDACTED;
    return createHmac('sha256', secret).update(text, 'utf8').digest('hex').slice(0, length);
  };
}
