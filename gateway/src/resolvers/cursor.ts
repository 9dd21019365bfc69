/**
 * Opaque, sealed cursors: the keyset position (a row id) encrypted with
 * AES-256-GCM, so a cursor reveals nothing (not even an id the caller may not
 * see) and a forged or altered one is refused with INVALID_CURSOR.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { wardenError } from '@warden/core';

export interface CursorCodec {
  encode(scope: string, id: number): string;
  decode(scope: string, cursor: string): number;
}

export function createCursorCodec(key: Buffer): CursorCodec {
  if (key.length !== 32) throw new Error('cursor key must be 32 bytes');
  return {
    encode(scope, id) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      c.setAAD(Buffer.from(scope));
      const body = Buffer.concat([c.update(String(id), 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url');
    },
    decode(scope, cursor) {
      try {
        const raw = Buffer.from(cursor, 'base64url');
        if (raw.length < 29 || raw.length > 60) throw new Error('length');
        const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        d.setAAD(Buffer.from(scope));
        d.setAuthTag(raw.subarray(12, 28));
        const id = Number(Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8'));
        if (!Number.isSafeInteger(id)) throw new Error('id');
        return id;
      } catch (e) {
        throw wardenError('INVALID_CURSOR', {}, e);
      }
    },
  };
}
