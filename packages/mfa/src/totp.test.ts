import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateTotpSecret, totpCode, totpQrSvg, totpStep, totpUri, verifyTotp } from './totp.js';

/** RFC 6238 appendix B: the SHA-1 seed "12345678901234567890", base32. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const at = (seconds: number) => new Date(seconds * 1000);

describe('TOTP', () => {
  // The RFC's 8-digit SHA-1 values; 6 digits are their last six (the same truncation modulo 10^6).
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('gives the RFC 6238 test vector at T=%i', async (t, eight) => {
    expect(await totpCode(RFC_SECRET, at(t))).toBe(eight.slice(2));
    expect(await verifyTotp(RFC_SECRET, eight.slice(2), { now: at(t) })).toEqual({ ok: true, step: Math.floor(t / 30) });
  });

  it('generates 160-bit base32 secrets, all different', () => {
    const secrets = new Set(Array.from({ length: 50 }, generateTotpSecret));
    expect(secrets.size).toBe(50);
    for (const s of secrets) expect(s).toMatch(/^[A-Z2-7]{32}$/); // 32 × 5 bits = 160 bits
  });

  it('accepts the codes of the previous and next step and refuses those two steps away', async () => {
    const secret = RFC_SECRET; // fixed, so no chance collision can make this flaky
    const now = at(1_700_000_015);
    const step = totpStep(now);
    for (const d of [-1, 0, 1]) {
      const code = await totpCode(secret, at((step + d) * 30 + 5));
      expect(await verifyTotp(secret, code, { now })).toEqual({ ok: true, step: step + d });
    }
    for (const d of [-2, 2]) {
      const code = await totpCode(secret, at((step + d) * 30 + 5));
      expect(await verifyTotp(secret, code, { now })).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('refuses a code of a step already used as a replay, and a fresh one after it is accepted', async () => {
    const secret = generateTotpSecret();
    const now = at(1_700_000_015);
    const step = totpStep(now);
    const code = await totpCode(secret, now);
    expect(await verifyTotp(secret, code, { now, lastStep: step })).toEqual({ ok: false, reason: 'replay' });
    const previous = await totpCode(secret, at((step - 1) * 30));
    expect(await verifyTotp(secret, previous, { now, lastStep: step })).toEqual({ ok: false, reason: 'replay' });
    const next = await totpCode(secret, at((step + 1) * 30));
    expect(await verifyTotp(secret, next, { now, lastStep: step })).toEqual({ ok: true, step: step + 1 });
    expect(await verifyTotp(secret, code, { now, lastStep: step - 1 })).toEqual({ ok: true, step });
  });

  it('treats every window step as used when the last step lies in the future', async () => {
    const secret = generateTotpSecret();
    const now = at(1_700_000_015);
    const code = await totpCode(secret, now);
    expect(await verifyTotp(secret, code, { now, lastStep: totpStep(now) + 5 })).toEqual({ ok: false, reason: 'replay' });
  });

  it.each(['12345', '1234567', '12345a', ' 123456', '１２３４５６', '', '123 456'])('refuses %j as not six ASCII digits', async (code) => {
    expect(await verifyTotp(RFC_SECRET, code, { now: at(59) })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('accepts a code exactly when it is the code of a window step (property)', async () => {
    const secret = generateTotpSecret();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }), fc.integer({ min: -3, max: 3 }), async (t, d) => {
        const code = await totpCode(secret, at(t + d * 30));
        const result = await verifyTotp(secret, code, { now: at(t) });
        if (Math.abs(d) <= 1) expect(result).toEqual({ ok: true, step: totpStep(at(t)) + d });
        else if (result.ok) {
          // Only a chance collision with a window step's code may match (about 3 in a million).
          const window = await Promise.all([-1, 0, 1].map((w) => totpCode(secret, at(t + w * 30))));
          expect(window).toContain(code);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('builds an otpauth URI with issuer, account, SHA-1, 6 digits and 30 s, and an SVG QR code of it', async () => {
    const uri = totpUri({ account: 'zhang.wei', secret: RFC_SECRET });
    const u = new URL(uri);
    expect(u.protocol).toBe('otpauth:');
    expect(decodeURIComponent(u.pathname)).toContain('Warden:zhang.wei');
    expect(u.searchParams.get('secret')).toBe(RFC_SECRET);
    expect(u.searchParams.get('issuer')).toBe('Warden');
    expect(u.searchParams.get('digits') ?? '6').toBe('6');
    expect(u.searchParams.get('period') ?? '30').toBe('30');
    expect((u.searchParams.get('algorithm') ?? 'SHA1').toUpperCase()).toBe('SHA1');
    const svg = await totpQrSvg(uri);
    expect(svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  });
});
