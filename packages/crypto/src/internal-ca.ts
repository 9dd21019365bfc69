/**
 * Warden's internal certificate authority. When the operator supplies no TLS
 * files, Warden serves TLS with a server certificate from this CA, and issues
 * client certificates from it for services that authenticate with mTLS.
 *
 * node-forge builds and signs the certificates; key pairs come from Node's
 * OpenSSL (`generateKeyPairSync`), which is far faster than forge's pure-JS
 * RSA key generation. forge signs only with RSA, so keys are RSA 2048.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { wardenError } from '@warden/core';
import forge from 'node-forge';
import { fingerprintCertificate } from './cert-fingerprint.js';

/** A CA as PEM text: its certificate and its private key (PKCS#8). */
export interface InternalCa {
  certPem: string;
  keyPem: string;
}

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
}

export interface IssuedClientCertificate extends IssuedCertificate {
  /** SHA-256 of the certificate's DER bytes, lowercase hex; see `fingerprintCertificate`. */
  fingerprint: string;
}

export interface CreateInternalCaOptions {
  commonName?: string;
  days?: number;
  /** Start of validity; defaults to the current time. */
  now?: Date;
}

export interface IssueServerCertificateOptions {
  /** DNS names and IP addresses (v4 or v6) the certificate is valid for. */
  hosts: string[];
  days?: number;
  now?: Date;
}

export interface IssueClientCertificateOptions {
  commonName: string;
  days?: number;
  now?: Date;
}

const CA_DAYS = 3650;
const LEAF_DAYS = 365;
/** notBefore is set this far back so that peers with a slightly slow clock accept a fresh certificate. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

export function createInternalCa(options: CreateInternalCaOptions = {}): InternalCa {
  const { privateKey, publicKey, keyPem } = generateRsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = randomSerialNumber();
  setValidity(cert, options.now ?? new Date(), options.days ?? CA_DAYS);
  const subject = [
    { name: 'commonName', value: options.commonName ?? 'Warden Internal CA' },
    { name: 'organizationName', value: 'Warden' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

export function issueServerCertificate(ca: InternalCa, options: IssueServerCertificateOptions): IssuedCertificate {
  if (options.hosts.length === 0) {
    throw wardenError('CONFIG_INVALID', { reason: 'a server certificate needs at least one host name or IP address' });
  }
  const altNames = options.hosts.map((host) => {
    if (isIP(host) !== 0) return { type: 7, ip: host };
    if (!/^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(host)) {
      throw wardenError('CONFIG_INVALID', { reason: `"${host}" is neither a DNS name nor an IP address` });
    }
    return { type: 2, value: host };
  });
  const commonName = options.hosts.find((host) => isIP(host) === 0) ?? options.hosts[0] ?? 'localhost';
  return issueLeaf(ca, {
    commonName,
    days: options.days,
    now: options.now,
    extensions: [
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
}

export function issueClientCertificate(ca: InternalCa, options: IssueClientCertificateOptions): IssuedClientCertificate {
  if (options.commonName.trim() === '') {
    throw wardenError('CONFIG_INVALID', { reason: 'a client certificate needs a common name' });
  }
  const issued = issueLeaf(ca, {
    commonName: options.commonName,
    days: options.days,
    now: options.now,
    extensions: [
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
  });
  return { ...issued, fingerprint: fingerprintCertificate(issued.certPem) };
}

interface LeafSpec {
  commonName: string;
  days: number | undefined;
  now: Date | undefined;
  extensions: object[];
}

function issueLeaf(ca: InternalCa, spec: LeafSpec): IssuedCertificate {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const { publicKey, keyPem } = generateRsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = randomSerialNumber();
  setValidity(cert, spec.now ?? new Date(), spec.days ?? LEAF_DAYS);
  cert.setSubject([{ name: 'commonName', value: spec.commonName }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    ...spec.extensions,
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

function generateRsaKeyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; keyPem: string } {
  const pair = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    privateKey: forge.pki.privateKeyFromPem(pair.privateKey),
    publicKey: forge.pki.publicKeyFromPem(pair.publicKey),
    keyPem: pair.privateKey,
  };
}

/**
 * 16 random bytes as hex, positive and minimally encoded in DER: the top bit is
 * cleared (a set top bit would make the INTEGER negative) and the next one set
 * (so no leading zero byte is ever needed). That leaves 126 random bits.
 */
function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return bytes.toString('hex');
}

function setValidity(cert: forge.pki.Certificate, now: Date, days: number): void {
  if (!Number.isFinite(days) || days <= 0) {
    throw wardenError('CONFIG_INVALID', { reason: `certificate validity must be a positive number of days, not ${days}` });
  }
  cert.validity.notBefore = new Date(now.getTime() - CLOCK_SKEW_MS);
  cert.validity.notAfter = new Date(now.getTime() + days * DAY_MS);
}
