import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openSecret, sealSecret } from './seal-secret.js';

const key = randomBytes(32);
const id = '6f1c2d7e-0000-4000-8000-000000000001';

describe('sealed secrets', () => {
  it('opens what it sealed, with the same key and binding (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.string(), (bytes, aad) => {
        const plain = Buffer.from(bytes);
        expect(openSecret(key, sealSecret(key, plain, aad), aad).equals(plain)).toBe(true);
      }),
    );
  });

  it('seals strings as UTF-8, versioned, with a fresh IV each time', () => {
    const a = sealSecret(key, 'JBSWY3DPEHPK3PXP', id);
    const b = sealSecret(key, 'JBSWY3DPEHPK3PXP', id);
    expect(a[0]).toBe(1);
    expect(a.length).toBe(1 + 12 + 16 + 16);
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('JBSWY3DPEHPK3PXP'))).toBe(false);
    expect(openSecret(key, a, id).toString('utf8')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses another binding (a secret moved to another principal)', () => {
    const sealed = sealSecret(key, 'secret', id);
    expect(() => openSecret(key, sealed, `${id.slice(0, -1)}2`)).toThrow(/does not open/);
    expect(() => openSecret(key, sealed, '')).toThrow(/does not open/);
  });

  it('refuses another key', () => {
    expect(() => openSecret(randomBytes(32), sealSecret(key, 'secret', id), id)).toThrow(/does not open/);
  });

  it('refuses any single changed byte (property)', () => {
    const sealed = sealSecret(key, 'a TOTP seed of twenty bytes', id);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: sealed.length - 1 }), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const tampered = Buffer.from(sealed);
        tampered[i] = (tampered[i] as number) ^ x;
        expect(() => openSecret(key, tampered, id)).toThrow();
      }),
    );
  });

  it('refuses truncated values, unknown versions and keys that are not 32 bytes', () => {
    const sealed = sealSecret(key, 'secret', id);
    expect(() => openSecret(key, sealed.subarray(0, 28), id)).toThrow(/known version/);
    const v2 = Buffer.from(sealed);
    v2[0] = 2;
    expect(() => openSecret(key, v2, id)).toThrow(/known version/);
    expect(() => sealSecret(randomBytes(16), 'secret', id)).toThrow(/32 bytes/);
    expect(() => openSecret(randomBytes(31), sealed, id)).toThrow(/32 bytes/);
  });
});
