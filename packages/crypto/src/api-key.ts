/**
 * API keys for service principals: `wdn_<keyId>_<secret>`, where keyId is 12
 * lowercase hex characters (6 random bytes) used to look the key up, and
 * secret is 32 random bytes in unpadded base64url (43 characters).
 *
 * Only `secretHash` is stored. It is plain SHA-256: the secret carries 256 bits
 * of entropy, so it cannot be guessed or brute-forced and a slow password KDF
 * (scrypt, argon2) would add cost per request without adding security. Passwords
 * chosen by people are a different matter and must not use this.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface GeneratedApiKey {
  /** The whole key, shown to its owner once and never stored. */
  key: string;
  keyId: string;
  /** SHA-256 of the secret, lowercase hex: the only part that is stored. */
  secretHash: string;
}

export interface ParsedApiKey {
  keyId: string;
  secret: string;
}

const API_KEY_PATTERN = /^wdn_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const SHA256_HEX_PATTERN = /^[0-9a-f]{64}$/;

export function generateApiKey(): GeneratedApiKey {
  const keyId = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { key: `wdn_${keyId}_${secret}`, keyId, secretHash: hashSecret(secret) };
}

/**
 * Splits a presented key into its id and secret. Anything that is not exactly
 * the format `generateApiKey` produces — wrong prefix, length, alphabet, a
 * non-canonical base64url ending, or not a string at all — gives undefined.
 */
export function parseApiKey(key: string): ParsedApiKey | undefined {
  if (typeof key !== 'string') return undefined;
  const match = API_KEY_PATTERN.exec(key);
  if (match === null) return undefined;
  const [, keyId, secret] = match;
  if (keyId === undefined || secret === undefined) return undefined;
  // 43 base64url characters hold 258 bits; a canonical encoding of 32 bytes leaves the last 2 at zero.
  if (Buffer.from(secret, 'base64url').toString('base64url') !== secret) return undefined;
  return { keyId, secret };
}

/** Compares in constant time; a malformed stored hash never matches. */
export function verifyApiKeySecret(secret: string, storedHash: string): boolean {
  if (typeof secret !== 'string' || typeof storedHash !== 'string' || !SHA256_HEX_PATTERN.test(storedHash)) return false;
  const presented = createHash('sha256').update(secret, 'utf8').digest();
  return timingSafeEqual(presented, Buffer.from(storedHash, 'hex'));
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
