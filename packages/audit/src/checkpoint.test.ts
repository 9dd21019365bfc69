import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type Checkpoint,
  checkpointLine,
  checkpointMessage,
  checkpointSignatureValid,
  keyIdOf,
  parseCheckpointLine,
  sameCheckpoint,
  signCheckpoint,
} from './checkpoint.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const body = { treeSize: 10, headHash: Buffer.alloc(32, 0xab), ts: new Date('2026-11-02T02:00:00Z'), prevSignature: null };

describe('checkpoint signatures', () => {
  it('sign {headHash, prevSignature, treeSize, ts} in JCS', () => {
    expect(checkpointMessage(body).toString()).toBe(
      `{"headHash":"${'ab'.repeat(32)}","prevSignature":null,"treeSize":10,"ts":"2026-11-02T02:00:00.000Z"}`,
    );
    const c = signCheckpoint(body, privateKey);
    expect(c.signature).toHaveLength(64); // Ed25519
    expect(c.keyId).toBe(keyIdOf(publicKey));
    expect(c.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(checkpointSignatureValid(c, publicKey)).toBe(true);
  });

  it('do not verify once any signed field changes, or under another key', () => {
    const c = signCheckpoint(body, privateKey);
    expect(checkpointSignatureValid({ ...c, treeSize: 11 }, publicKey)).toBe(false);
    expect(checkpointSignatureValid({ ...c, headHash: Buffer.alloc(32) }, publicKey)).toBe(false);
    expect(checkpointSignatureValid({ ...c, ts: new Date('2026-11-02T02:00:01Z') }, publicKey)).toBe(false);
    expect(checkpointSignatureValid({ ...c, prevSignature: Buffer.alloc(64) }, publicKey)).toBe(false);
    expect(checkpointSignatureValid({ ...c, signature: Buffer.alloc(3) }, publicKey)).toBe(false);
    expect(checkpointSignatureValid(c, generateKeyPairSync('ed25519').publicKey)).toBe(false);
  });

  it('work with an EC key over SHA-256 too', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(checkpointSignatureValid(signCheckpoint(body, ec.privateKey), ec.publicKey)).toBe(true);
  });
});

describe('checkpoint lines', () => {
  it('round-trip through one JSON line', () => {
    const first = signCheckpoint(body, privateKey);
    const second = signCheckpoint({ ...body, treeSize: 20, prevSignature: first.signature }, privateKey);
    for (const c of [first, second]) {
      const line = checkpointLine(c);
      expect(line).not.toContain('\n');
      const back = parseCheckpointLine(line);
      expect(sameCheckpoint(back, c)).toBe(true);
      expect(checkpointSignatureValid(back, publicKey)).toBe(true);
    }
    expect(sameCheckpoint(first, second)).toBe(false);
  });

  it('refuse malformed lines', () => {
    const good = JSON.parse(checkpointLine(signCheckpoint(body, privateKey))) as Record<string, unknown>;
    for (const bad of [
      { ...good, treeSize: 0 },
      { ...good, treeSize: '10' },
      { ...good, headHash: 'xyz' },
      { ...good, ts: 'yesterday' },
      { ...good, signature: 'not base64!' },
      { ...good, prevSignature: 7 },
      { ...good, keyId: undefined },
    ]) {
      expect(() => parseCheckpointLine(JSON.stringify(bad))).toThrow('malformed checkpoint line');
    }
    expect(() => parseCheckpointLine('{"treeSize":')).toThrow();
  });

  it('compare field by field', () => {
    const c: Checkpoint = signCheckpoint(body, privateKey);
    expect(sameCheckpoint(c, { ...c })).toBe(true);
    expect(sameCheckpoint(c, { ...c, keyId: 'other' })).toBe(false);
    expect(sameCheckpoint(c, { ...c, prevSignature: Buffer.alloc(1) })).toBe(false);
  });
});
