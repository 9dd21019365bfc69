import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from './password.js';

describe('password hashes', () => {
  it('verifies the password it was made from and nothing else', async () => {
    const stored = await hashPassword('Correct-Horse-9');
    expect(stored).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword('Correct-Horse-9', stored)).toBe(true);
    expect(await verifyPassword('correct-Horse-9', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts: the same password hashes differently each time', async () => {
    const [a, b] = await Promise.all([hashPassword('Same-Password-1'), hashPassword('Same-Password-1')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('Same-Password-1', b)).toBe(true);
  });

  it('answers false without a stored hash, for the dummy itself and for malformed or extravagant stored values', async () => {
    expect(await verifyPassword('anything', undefined)).toBe(false);
    expect(await verifyPassword('anything', DUMMY_PASSWORD_HASH)).toBe(false);
    expect(await verifyPassword('anything', 'plaintext')).toBe(false);
    expect(await verifyPassword('anything', `$scrypt$ln=30,r=8,p=1$${'A'.repeat(22)}$${'A'.repeat(43)}`)).toBe(false);
  });

  it('the dummy hash uses the parameters of real hashes (an unknown user costs the same work)', async () => {
    const params = (h: string) => h.split('$')[2];
    expect(params(DUMMY_PASSWORD_HASH)).toBe(params(await hashPassword('Whatever-it-is-1')));
  });

  it('round-trips any password, Unicode included (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }), fc.string({ maxLength: 40 }), async (pw, other) => {
        const stored = await hashPassword(pw);
        expect(await verifyPassword(pw, stored)).toBe(true);
        if (other.normalize('NFKC') !== pw.normalize('NFKC')) expect(await verifyPassword(other, stored)).toBe(false);
      }),
      { numRuns: 8 },
    );
  });
});
