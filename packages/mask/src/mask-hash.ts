import { createHmac } from 'node:crypto';
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
    let text: string;
    if (typeof value === 'string') text = value;
    else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
    else if (typeof value === 'bigint') text = value.toString();
    else return REDACTED;
    if (text.length === 0 || text.length > MAX_HASH_INPUT) return REDACTED;
    return createHmac('sha256', secret).update(text, 'utf8').digest('hex').slice(0, length);
  };
}
