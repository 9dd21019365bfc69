import { describe, expect, it } from 'vitest';
import { keyedHash } from './keyed-hash.js';

const KEY_A = Buffer.alloc(32, 0xa1);
const KEY_B = Buffer.alloc(32, 0xb2);

describe('keyed hash', () => {
  it('matches the HMAC-SHA256 test vector of RFC 4231 (test case 6)', () => {
    const key = Buffer.alloc(131, 0xaa);
    expect(keyedHash(key, 'Test Using Larger Than Block-Size Key - Hash Key First')).toBe(
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    );
  });

  it('the same value under the same key always gives the same pseudonym', () => {
    expect(keyedHash(KEY_A, '110101199003077777')).toBe(keyedHash(Buffer.from(KEY_A), ['110101', '199003077777'].join('')));
    expect(keyedHash(KEY_A, '110101199003077777')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the same value under a different key gives a different pseudonym', () => {
    expect(keyedHash(KEY_A, '110101199003077777')).not.toBe(keyedHash(KEY_B, '110101199003077777'));
  });

  it('different values under the same key give different pseudonyms', () => {
    expect(keyedHash(KEY_A, '110101199003077777')).not.toBe(keyedHash(KEY_A, '110101199003077778'));
  });

  it('the pseudonym does not contain the value', () => {
    expect(keyedHash(KEY_A, '13800138000')).not.toContain('13800138000');
  });

  it('refuses a key shorter than 32 bytes', () => {
    expect(() => keyedHash(Buffer.alloc(31, 1), 'value')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
