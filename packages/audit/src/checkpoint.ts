/**
 * Signed checkpoints (pure): a signature over {headHash, prevSignature,
 * treeSize, ts} in JCS, each naming the signature before it, so the
 * checkpoints form their own chain. Ed25519 by default (any key node:crypto
 * signs with: Ed25519/Ed448 directly, RSA and EC over SHA-256).
 */
import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { jcs } from './canonical.js';

export interface CheckpointBody {
  /** Number of events covered: the seq of the last one. */
  treeSize: number;
  /** Hash of the event at treeSize. */
  headHash: Buffer;
  ts: Date;
  /** Signature of the checkpoint before; null for the first. */
  prevSignature: Buffer | null;
}

export interface Checkpoint extends CheckpointBody {
  signature: Buffer;
  /** Which key signed: see keyIdOf. */
  keyId: string;
}

/** The bytes a checkpoint's signature covers. */
export function checkpointMessage(c: CheckpointBody): Buffer {
  return Buffer.from(
    jcs({
      headHash: c.headHash.toString('hex'),
      prevSignature: c.prevSignature ? c.prevSignature.toString('base64') : null,
      treeSize: c.treeSize,
      ts: c.ts.toISOString(),
    }),
    'utf8',
  );
}

/** First 16 hex digits of SHA-256 over the public key's SPKI DER. */
export function keyIdOf(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

function digestFor(key: KeyObject): string | null {
  return key.asymmetricKeyType === 'ed25519' || key.asymmetricKeyType === 'ed448' ? null : 'sha256';
}

export function signCheckpoint(body: CheckpointBody, privateKey: KeyObject): Checkpoint {
  return { ...body, signature: sign(digestFor(privateKey), checkpointMessage(body), privateKey), keyId: keyIdOf(privateKey) };
}

export function checkpointSignatureValid(c: Checkpoint, publicKey: KeyObject): boolean {
  try {
    return verify(digestFor(publicKey), checkpointMessage(c), publicKey, c.signature);
  } catch {
    return false;
  }
}

/** One line of the checkpoint file. */
export function checkpointLine(c: Checkpoint): string {
  return jcs({
    headHash: c.headHash.toString('hex'),
    keyId: c.keyId,
    prevSignature: c.prevSignature ? c.prevSignature.toString('base64') : null,
    signature: c.signature.toString('base64'),
    treeSize: c.treeSize,
    ts: c.ts.toISOString(),
  });
}

/** Parses a checkpoint line; throws on anything malformed. */
export function parseCheckpointLine(line: string): Checkpoint {
  const o = JSON.parse(line) as Record<string, unknown>;
  const hex = /^[0-9a-f]{64}$/;
  const b64 = /^[A-Za-z0-9+/]+={0,2}$/;
  const ts = new Date(String(o.ts));
  if (
    !Number.isSafeInteger(o.treeSize) ||
    (o.treeSize as number) < 1 ||
    typeof o.headHash !== 'string' ||
    !hex.test(o.headHash) ||
    Number.isNaN(ts.getTime()) ||
    typeof o.signature !== 'string' ||
    !b64.test(o.signature) ||
    typeof o.keyId !== 'string' ||
    !(o.prevSignature === null || (typeof o.prevSignature === 'string' && b64.test(o.prevSignature)))
  ) {
    throw new Error('malformed checkpoint line');
  }
  return {
    treeSize: o.treeSize as number,
    headHash: Buffer.from(o.headHash, 'hex'),
    ts,
    prevSignature: o.prevSignature === null ? null : Buffer.from(o.prevSignature as string, 'base64'),
    signature: Buffer.from(o.signature, 'base64'),
    keyId: o.keyId,
  };
}

/** Two checkpoints are the same claim. */
export function sameCheckpoint(a: Checkpoint, b: Checkpoint): boolean {
  return (
    a.treeSize === b.treeSize &&
    a.headHash.equals(b.headHash) &&
    a.ts.getTime() === b.ts.getTime() &&
    (a.prevSignature === null ? b.prevSignature === null : b.prevSignature !== null && a.prevSignature.equals(b.prevSignature)) &&
    a.signature.equals(b.signature) &&
    a.keyId === b.keyId
  );
}
