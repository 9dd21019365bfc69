/**
 * TLS material for the gateway's listener. Either Warden keeps its own (an
 * internal CA and a server certificate it issued, in one private directory),
 * or the operator supplies a certificate and key, which are checked before the
 * server starts so that a bad file refuses start-up instead of failing handshakes.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { systemClock, wardenError, type Clock } from '@warden/core';
import { createInternalCa, DAY_MS, issueServerCertificate, type InternalCa } from './internal-ca.js';

export interface TlsMaterial {
  caCertPem: string;
  certPem: string;
  keyPem: string;
  /** True when this call created the CA and the first server certificate. */
  created: boolean;
  /** True when this call reissued the server certificate from an existing CA. */
  renewed: boolean;
}

export interface OperatorTls {
  certPem: string;
  keyPem: string;
}

export interface TlsMaterialOptions {
  clock?: Clock;
}

/** A server certificate this close to expiry (or past it) is reissued. */
export const RENEW_BEFORE_DAYS = 7;
const RENEW_BEFORE_MS = RENEW_BEFORE_DAYS * DAY_MS;

const FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  serverCert: 'server.crt',
  serverKey: 'server.key',
} as const;

/**
 * Loads Warden's internal CA from `dir`, creating it on first use. The server
 * uses its certificate as the client CA for mTLS, whoever serves TLS; the CLI
 * issues client certificates with it. A CA that exists only in part, does not
 * parse, is not a CA with its key, or is about to expire is a configuration
 * error: clients trust it, so it is never replaced silently.
 */
export async function ensureInternalCa(dir: string, options: TlsMaterialOptions = {}): Promise<{ ca: InternalCa; created: boolean }> {
  const now = (options.clock ?? systemClock).now();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);

  const caCertPem = await readOptional(join(dir, FILES.caCert));
  const caKeyPem = await readOptional(join(dir, FILES.caKey));
  if (caCertPem === undefined && caKeyPem === undefined) {
    const ca = createInternalCa({ now });
    // The key first: a certificate on disk never points at a key that is not there.
    await writePrivate(join(dir, FILES.caKey), ca.keyPem);
    await writePublic(join(dir, FILES.caCert), ca.certPem);
    return { ca, created: true };
  }
  if (caCertPem === undefined || caKeyPem === undefined) {
    const missing = caCertPem === undefined ? FILES.caCert : FILES.caKey;
    throw wardenError('CONFIG_INVALID', {
      reason: `${join(dir, missing)} is missing but the rest of the internal CA is present; restore it or remove ${dir} to start a new CA`,
    });
  }
  const ca: InternalCa = { certPem: caCertPem, keyPem: caKeyPem };
  checkInternalCa(dir, ca, now);
  return { ca, created: false };
}

/**
 * Loads Warden's own TLS material from `dir`, creating it on first use. The
 * server certificate is reissued from the CA when it is expired, within
 * `RENEW_BEFORE_DAYS` of expiry, not signed by the CA, not matching its key or
 * not covering every one of `hosts`. The CA itself is never replaced silently
 * (see `ensureInternalCa`).
 */
export async function ensureTlsMaterial(dir: string, hosts: string[], options: TlsMaterialOptions = {}): Promise<TlsMaterial> {
  const now = (options.clock ?? systemClock).now();
  const { ca, created } = await ensureInternalCa(dir, options);
  const caCert = new X509Certificate(ca.certPem);

  const certPem = created ? undefined : await readOptional(join(dir, FILES.serverCert));
  const keyPem = created ? undefined : await readOptional(join(dir, FILES.serverKey));
  if (certPem !== undefined && keyPem !== undefined && isServerCertificateUsable(caCert, certPem, keyPem, hosts, now)) {
    return { caCertPem: ca.certPem, certPem, keyPem, created: false, renewed: false };
  }
  const server = issueServerCertificate(ca, { hosts, now });
  await writePrivate(join(dir, FILES.serverKey), server.keyPem);
  await writePublic(join(dir, FILES.serverCert), server.certPem);
  return { caCertPem: ca.certPem, certPem: server.certPem, keyPem: server.keyPem, created, renewed: !created };
}

/**
 * Reads an operator-provided certificate (PEM; the leaf first if the file holds
 * a chain) and private key (unencrypted PEM), and checks that the key belongs
 * to the certificate and that the certificate is within its validity period.
 */
export async function loadOperatorTls(certFile: string, keyFile: string, options: TlsMaterialOptions = {}): Promise<OperatorTls> {
  const certPem = await readOperatorFile(certFile, 'TLS certificate');
  const keyPem = await readOperatorFile(keyFile, 'TLS private key');

  if (!certPem.includes('-----BEGIN CERTIFICATE-----')) {
    throw wardenError('CONFIG_INVALID', { reason: `TLS certificate ${certFile} is not a PEM certificate` });
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch (cause) {
    throw wardenError('CONFIG_INVALID', { reason: `TLS certificate ${certFile} cannot be parsed as an X.509 certificate` }, cause);
  }

  if (!/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(keyPem)) {
    throw wardenError('CONFIG_INVALID', { reason: `TLS private key ${keyFile} is not a PEM private key` });
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch (cause) {
    throw wardenError('CONFIG_INVALID', { reason: `TLS private key ${keyFile} cannot be parsed (is it encrypted or damaged?)` }, cause);
  }

  if (!cert.checkPrivateKey(key)) {
    throw wardenError('CONFIG_INVALID', { reason: `TLS private key ${keyFile} does not match certificate ${certFile}` });
  }
  const problem = validityProblem(cert, (options.clock ?? systemClock).now(), 0);
  if (problem === 'expired') {
    throw wardenError('CONFIG_INVALID', { reason: `TLS certificate ${certFile} expired on ${cert.validTo}` });
  }
  if (problem === 'not yet valid') {
    throw wardenError('CONFIG_INVALID', { reason: `TLS certificate ${certFile} is not valid before ${cert.validFrom}` });
  }
  return { certPem, keyPem };
}

/**
 * What is wrong with a certificate's validity period at `now`: 'expired' when
 * it ends within `marginMs` (or already has), 'not yet valid' before it starts.
 */
function validityProblem(cert: X509Certificate, now: Date, marginMs: number): 'expired' | 'not yet valid' | undefined {
  if (new Date(cert.validTo).getTime() <= now.getTime() + marginMs) return 'expired';
  if (new Date(cert.validFrom).getTime() > now.getTime()) return 'not yet valid';
  return undefined;
}

/** The internal CA's certificate, once it is known to be a CA with its key and not about to expire. */
function checkInternalCa(dir: string, ca: InternalCa, now: Date): X509Certificate {
  let cert: X509Certificate;
  let key: KeyObject;
  try {
    cert = new X509Certificate(ca.certPem);
    key = createPrivateKey(ca.keyPem);
  } catch (cause) {
    throw wardenError('CONFIG_INVALID', { reason: `the internal CA in ${dir} cannot be parsed` }, cause);
  }
  if (!cert.ca || !cert.checkPrivateKey(key)) {
    throw wardenError('CONFIG_INVALID', { reason: `the internal CA in ${dir} is not a CA certificate with its matching key` });
  }
  // Only the CA's end date is checked, with the same renewal margin as the server certificate.
  if (validityProblem(cert, now, RENEW_BEFORE_MS) === 'expired') {
    throw wardenError('CONFIG_INVALID', {
      reason: `the internal CA in ${dir} expires on ${cert.validTo}; remove ${dir} to start a new CA and redistribute ${FILES.caCert}`,
    });
  }
  return cert;
}

function isServerCertificateUsable(caCert: X509Certificate, certPem: string, keyPem: string, hosts: string[], now: Date): boolean {
  try {
    const cert = new X509Certificate(certPem);
    if (!cert.verify(caCert.publicKey)) return false;
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return false;
    if (validityProblem(cert, now, RENEW_BEFORE_MS) !== undefined) return false;
    return hosts.every((host) =>
      isIP(host) !== 0 ? cert.checkIP(host) !== undefined : cert.checkHost(host, { subject: 'never' }) !== undefined,
    );
  } catch {
    // Unparseable files are replaced like expired ones: the CA can always issue anew.
    return false;
  }
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw wardenError('CONFIG_INVALID', { reason: `cannot read ${path}` }, e);
  }
}

async function readOperatorFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : `cannot be read (${code ?? 'unknown error'})`;
    throw wardenError('CONFIG_INVALID', { reason: `${what} ${path} ${why}` }, e);
  }
}

/** Writes through a temporary file and a rename, so a crash never leaves half a PEM behind. */
async function writeAtomically(path: string, text: string, mode: number): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text, { mode });
  await chmod(temp, mode);
  await rename(temp, path);
}

function writePrivate(path: string, text: string): Promise<void> {
  return writeAtomically(path, text, 0o600);
}

function writePublic(path: string, text: string): Promise<void> {
  return writeAtomically(path, text, 0o644);
}
