/**
 * The checkpoint signing key: an Ed25519 pair, the private half under
 * <WARDEN_HOME>/secrets (0600), the public half beside the checkpoint file
 * for anyone who verifies.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { keyIdOf } from './checkpoint.js';

export interface SigningKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  keyId: string;
}

function fromPrivate(privateKey: KeyObject): SigningKey {
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKeyPem, keyId: keyIdOf(privateKey) };
}

/** A fresh Ed25519 key kept in memory only (tests, benchmarks). */
export function generateSigningKey(): SigningKey {
  return fromPrivate(generateKeyPairSync('ed25519').privateKey);
}

async function readKey(file: string): Promise<KeyObject | undefined> {
  try {
    return createPrivateKey(await readFile(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Loads the key pair, creating it on first use; the public key file is (re)written when missing or different. */
export async function ensureSigningKey(paths: { keyFile: string; publicKeyFile: string }): Promise<SigningKey> {
  let privateKey = await readKey(paths.keyFile);
  if (!privateKey) {
    await mkdir(path.dirname(paths.keyFile), { recursive: true, mode: 0o700 });
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      await writeFile(paths.keyFile, pem, { mode: 0o600, flag: 'wx' });
      await chmod(paths.keyFile, 0o600); // whatever the umask
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another process made it first: use theirs
    }
    privateKey = (await readKey(paths.keyFile)) as KeyObject;
  }
  const key = fromPrivate(privateKey);
  const current = await readFile(paths.publicKeyFile, 'utf8').catch(() => undefined);
  if (current !== key.publicKeyPem) {
    await mkdir(path.dirname(paths.publicKeyFile), { recursive: true, mode: 0o755 });
    await writeFile(paths.publicKeyFile, key.publicKeyPem, { mode: 0o644 });
  }
  return key;
}
