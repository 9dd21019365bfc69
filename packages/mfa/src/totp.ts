/**
 * TOTP per RFC 6238: HMAC-SHA-1, 6 digits, 30 s steps, ±1 step of clock drift.
 * A code is accepted once: the caller keeps the last accepted step and passes
 * it back; a code of that step or an earlier one is a replay.
 */
import { randomBytes } from 'node:crypto';
import { generate, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

export const TOTP_PERIOD_SECONDS = 30;
/** 20 bytes = 160 bits, RFC 4226's recommended secret length (and the standards' minimum). */
const SECRET_BYTES = 20;
const CODE = /^[0-9]{6}$/;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'invalid' | 'replay' };

/** A fresh secret from the CSPRNG, base32 without padding (32 characters). */
export function generateTotpSecret(): string {
  return base32(randomBytes(SECRET_BYTES));
}

function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** The otpauth:// URI an authenticator app scans. */
export function totpUri(input: { account: string; secret: string; issuer?: string }): string {
  return generateURI({
    issuer: input.issuer ?? 'Warden',
    label: input.account,
    secret: input.secret,
    algorithm: 'sha1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
  });
}

/** The URI as an SVG QR code. */
export function totpQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

const epochOf = (at: Date) => Math.floor(at.getTime() / 1000);

/** The step a time falls in. */
export function totpStep(at: Date): number {
  return Math.floor(epochOf(at) / TOTP_PERIOD_SECONDS);
}

/** The code of the step `at` falls in (for tests and the benchmark). */
export function totpCode(secret: string, at: Date): Promise<string> {
  return generate({ secret, epoch: epochOf(at), period: TOTP_PERIOD_SECONDS, digits: 6, algorithm: 'sha1' });
}

/**
 * Checks a code against the steps before, at and after `now`. Accepted: the
 * matched step, to be stored as the new lastStep. A code that matches only a
 * step ≤ lastStep is a replay (reported as such so it can be alerted); anything
 * else — not 6 digits, no match — is invalid.
 */
export async function verifyTotp(secret: string, code: string, input: { now: Date; lastStep?: number }): Promise<TotpCheck> {
  if (typeof code !== 'string' || !CODE.test(code)) return { ok: false, reason: 'invalid' };
  const base = {
    secret,
    token: code,
    epoch: epochOf(input.now),
    period: TOTP_PERIOD_SECONDS,
    digits: 6 as const,
    algorithm: 'sha1' as const,
    // Seconds either side of now: with 30 it covers exactly the previous, current and next step.
    epochTolerance: TOTP_PERIOD_SECONDS,
  };
  const lastStep = input.lastStep ?? -1;
  const current = totpStep(input.now);
  // afterTimeStep: steps ≤ it are skipped (otplib refuses one beyond the window, hence the min).
  const fresh = await verify(lastStep >= 0 ? { ...base, afterTimeStep: Math.min(lastStep, current + 1) } : base);
  if (fresh.valid && current + fresh.delta > lastStep) return { ok: true, step: current + fresh.delta };
  if (lastStep < 0) return { ok: false, reason: 'invalid' };
  const any = await verify(base);
  return { ok: false, reason: any.valid ? 'replay' : 'invalid' };
}
