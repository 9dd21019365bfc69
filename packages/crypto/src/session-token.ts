/**
 * Session tokens for people: `wds_<43 base64url>` (32 random bytes, 256
 * bits). Only the SHA-256 of the whole token is stored; its hex is the
 * session id that audit events carry (a hash, never the token).
 */
import { createHash, randomBytes } from 'node:crypto';

const SESSION_TOKEN = /^wds_[A-Za-z0-9_-]{43}$/;

export interface GeneratedSessionToken {
  /** Shown to its owner once, never stored. */
  token: string;
  /** SHA-256 of the token: the stored key. */
  hash: Buffer;
}

export function generateSessionToken(): GeneratedSessionToken {
  const token = `wds_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

/** The stored key of a presented token, or undefined for anything not exactly in the format. */
export function sessionTokenHash(token: string): Buffer | undefined {
  if (typeof token !== 'string' || !SESSION_TOKEN.test(token)) return undefined;
  const body = token.slice(4);
  // 43 base64url characters hold 258 bits; a canonical encoding of 32 bytes leaves the last 2 at zero.
  if (Buffer.from(body, 'base64url').toString('base64url') !== body) return undefined;
  return hashToken(token);
}

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
