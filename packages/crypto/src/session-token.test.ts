import { describe, expect, it } from 'vitest';
import { generateSessionToken, sessionTokenHash } from './session-token.js';

describe('session tokens', () => {
  it('are wds_ and 43 base64url characters, and hash to what generation reported', () => {
    const { token, hash } = generateSessionToken();
    expect(token).toMatch(/^wds_[A-Za-z0-9_-]{43}$/);
    expect(hash).toHaveLength(32);
    expect(sessionTokenHash(token)?.equals(hash)).toBe(true);
    expect(generateSessionToken().token).not.toBe(token);
  });

  it('refuses anything not exactly in the format', () => {
    const { token } = generateSessionToken();
    for (const bad of [
      token.slice(0, -1),
      `${token}A`,
      `wdn_${token.slice(4)}`,
      token.replace('wds_', 'WDS_'),
      `wds_${'+'.repeat(43)}`,
      `wds_${'A'.repeat(42)}B`, // non-canonical: the last character carries bits beyond 32 bytes
      '',
      undefined as unknown as string,
    ]) {
      expect(sessionTokenHash(bad)).toBeUndefined();
    }
  });
});
