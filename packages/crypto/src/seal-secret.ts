/**
 * Small secrets at rest (TOTP seeds): AES-256-GCM under a 32-byte key, the
 * sealed value bound by AAD to what it belongs to (the principal id), so a
 * sealed secret copied to another row does not open there.
 *
 * Format, version 1: 0x01 | 12-byte random IV | ciphertext | 16-byte tag.
 * The version byte is authenticated too (it is part of the AAD).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const V1 = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;

function aadOf(version: number, aad: string): Buffer {
  return Buffer.concat([Buffer.of(version), Buffer.from(aad, 'utf8')]);
}

function checkKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== 32) throw new Error('a sealing key is 32 bytes');
}

export function sealSecret(key: Buffer, plaintext: Buffer | string, aad: string): Buffer {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aadOf(V1, aad));
  const body = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(V1), iv, body, cipher.getAuthTag()]);
}

/** The plaintext, or an error for a wrong key, wrong AAD, unknown version or any changed byte. */
export function openSecret(key: Buffer, sealed: Buffer, aad: string): Buffer {
  checkKey(key);
  if (!Buffer.isBuffer(sealed) || sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== V1) {
    throw new Error('not a sealed secret of a known version');
  }
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aadOf(V1, aad));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch (e) {
    throw new Error('the sealed secret does not open (wrong key or binding, or altered)', { cause: e });
  }
}
