import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateApiKey, parseApiKey, verifyApiKeySecret } from './api-key.js';

const KEY = generateApiKey();
const PARSED = parseApiKey(KEY.key);
if (PARSED === undefined) throw new Error('a generated key must parse');
const { keyId: KEY_ID, secret: SECRET } = PARSED;

describe('API keys', () => {
  it('a generated key has the form wdn_<12 hex>_<43 base64url> and a SHA-256 hex secret hash', () => {
    expect(KEY.key).toMatch(/^wdn_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(KEY.keyId).toMatch(/^[0-9a-f]{12}$/);
    expect(KEY.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(KEY.key).not.toContain(KEY.secretHash);
  });

  it('a generated key parses back to its id and a secret that verifies against the stored hash', () => {
    for (let i = 0; i < 200; i += 1) {
      const generated = generateApiKey();
      const parsed = parseApiKey(generated.key);
      expect(parsed?.keyId).toBe(generated.keyId);
      expect(generated.key).toBe(`wdn_${parsed?.keyId}_${parsed?.secret}`);
      expect(verifyApiKeySecret(parsed?.secret ?? '', generated.secretHash)).toBe(true);
    }
  });

  it('two generated keys share neither id nor secret', () => {
    const other = generateApiKey();
    expect(other.keyId).not.toBe(KEY.keyId);
    expect(other.secretHash).not.toBe(KEY.secretHash);
  });

  it('a secret with one character changed does not verify', () => {
    for (let i = 0; i < SECRET.length; i += 1) {
      const tampered = SECRET.slice(0, i) + (SECRET[i] === 'A' ? 'B' : 'A') + SECRET.slice(i + 1);
      expect(verifyApiKeySecret(tampered, KEY.secretHash)).toBe(false);
    }
  });

  it("a key's secret does not verify against another key's hash", () => {
    expect(verifyApiKeySecret(SECRET, generateApiKey().secretHash)).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['too short', 'abc'],
    ['uppercase hex', KEY.secretHash.toUpperCase()],
    ['not hex', 'z'.repeat(64)],
    ['one character short', KEY.secretHash.slice(1)],
    ['one character long', `${KEY.secretHash}0`],
  ])('a stored hash that is %s never matches', (_name, storedHash) => {
    expect(verifyApiKeySecret(SECRET, storedHash)).toBe(false);
  });

  const valid = KEY.key;
  it.each([
    ['the empty string', ''],
    ['the prefix alone', 'wdn_'],
    ['a different prefix', valid.replace(/^wdn_/, 'wdx_')],
    ['an uppercase prefix', valid.replace(/^wdn_/, 'WDN_')],
    ['no separator after the id', `wdn_${KEY_ID}${SECRET}`],
    ['an id one character short', `wdn_${KEY_ID.slice(1)}_${SECRET}`],
    ['an id one character long', `wdn_${KEY_ID}0_${SECRET}`],
    ['an uppercase hex id', `wdn_${'ABCDEF012345'}_${SECRET}`],
    ['a non-hex id', `wdn_${'g'.repeat(12)}_${SECRET}`],
    ['a secret one character short', `wdn_${KEY_ID}_${SECRET.slice(1)}`],
    ['a secret one character long', `wdn_${KEY_ID}_${SECRET}A`],
    ['base64 padding', `wdn_${KEY_ID}_${SECRET.slice(0, 42)}=`],
    ['a standard-base64 "+"', `wdn_${KEY_ID}_+${SECRET.slice(1)}`],
    ['a standard-base64 "/"', `wdn_${KEY_ID}_/${SECRET.slice(1)}`],
    ['a non-canonical last character', `wdn_${KEY_ID}_${SECRET.slice(0, 42)}B`],
    ['a trailing newline', `${valid}\n`],
    ['a leading space', ` ${valid}`],
    ['a Bearer prefix', `Bearer ${valid}`],
    ['a non-ASCII character', `wdn_${KEY_ID}_${SECRET.slice(0, 42)}é`],
  ])('a key with %s does not parse', (_name, key) => {
    expect(parseApiKey(key)).toBeUndefined();
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an object', { key: valid }],
  ])('a non-string value (%s) does not parse', (_name, key) => {
    expect(parseApiKey(key as unknown as string)).toBeUndefined();
  });

  it('parsing arbitrary text never throws and accepts only the exact format', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `wdn_${s}`),
          fc.string().map((s) => `wdn_${KEY_ID}_${s}`),
        ),
        (key) => {
          const parsed = parseApiKey(key);
          if (parsed !== undefined) expect(`wdn_${parsed.keyId}_${parsed.secret}`).toBe(key);
        },
      ),
    );
  });
});
