import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '@warden/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInternalCa, issueServerCertificate } from './internal-ca.js';
import { ensureInternalCa, ensureTlsMaterial, loadOperatorTls } from './tls-material.js';

const HOSTS = ['localhost', '127.0.0.1', '::1'];
const DAY_MS = 24 * 60 * 60 * 1000;
const START = '2030-01-01T00:00:00Z';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'warden-tls-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const configInvalid = (reason: string) =>
  expect.objectContaining({ code: 'CONFIG_INVALID', params: { reason: expect.stringContaining(reason) } });

describe('ensureTlsMaterial', () => {
  it('creates a CA and a server certificate on first use, with private keys readable only by the owner', async () => {
    const dir = join(root, 'tls');
    const material = await ensureTlsMaterial(dir, HOSTS);
    expect(material.created).toBe(true);
    expect(material.renewed).toBe(false);

    const cert = new X509Certificate(material.certPem);
    expect(cert.verify(new X509Certificate(material.caCertPem).publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(material.keyPem))).toBe(true);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');

    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'ca.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'server.key'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, 'ca.crt'), 'utf8')).toBe(material.caCertPem);
    expect(await readFile(join(dir, 'server.crt'), 'utf8')).toBe(material.certPem);
    expect(await readFile(join(dir, 'server.key'), 'utf8')).toBe(material.keyPem);
  });

  it('reuses the stored material on later calls instead of creating it again', async () => {
    const first = await ensureTlsMaterial(root, HOSTS);
    const second = await ensureTlsMaterial(root, HOSTS);
    expect(second).toEqual({ ...first, created: false, renewed: false });
  });

  it('reissues a server certificate within 7 days of expiry from the same CA', async () => {
    const clock = fixedClock(START);
    const first = await ensureTlsMaterial(root, HOSTS, { clock });
    clock.advance(359 * DAY_MS); // the certificate lasts 365 days: 6 left

    const renewed = await ensureTlsMaterial(root, HOSTS, { clock });
    expect(renewed.renewed).toBe(true);
    expect(renewed.caCertPem).toBe(first.caCertPem);
    expect(renewed.certPem).not.toBe(first.certPem);
    expect(renewed.keyPem).not.toBe(first.keyPem);
    const cert = new X509Certificate(renewed.certPem);
    expect(cert.verify(new X509Certificate(first.caCertPem).publicKey)).toBe(true);
    expect(new Date(cert.validTo).getTime()).toBeGreaterThan(clock.now().getTime() + 300 * DAY_MS);

    const after = await ensureTlsMaterial(root, HOSTS, { clock });
    expect(after.renewed).toBe(false);
    expect(after.certPem).toBe(renewed.certPem);
  });

  it('keeps a server certificate with more than 7 days left', async () => {
    const clock = fixedClock(START);
    const first = await ensureTlsMaterial(root, HOSTS, { clock });
    clock.advance(357 * DAY_MS); // 8 days left

    const later = await ensureTlsMaterial(root, HOSTS, { clock });
    expect(later.renewed).toBe(false);
    expect(later.certPem).toBe(first.certPem);
  });

  it('reissues an expired server certificate', async () => {
    const clock = fixedClock(START);
    const first = await ensureTlsMaterial(root, HOSTS, { clock });
    clock.advance(400 * DAY_MS);

    const renewed = await ensureTlsMaterial(root, HOSTS, { clock });
    expect(renewed.renewed).toBe(true);
    expect(renewed.certPem).not.toBe(first.certPem);
  });

  it('reissues the server certificate when a host it does not cover is requested', async () => {
    await ensureTlsMaterial(root, ['localhost']);
    const widened = await ensureTlsMaterial(root, ['localhost', 'warden.internal']);
    expect(widened.renewed).toBe(true);
    expect(new X509Certificate(widened.certPem).checkHost('warden.internal')).toBe('warden.internal');
  });

  it('replaces a damaged server certificate', async () => {
    await ensureTlsMaterial(root, HOSTS);
    await writeFile(join(root, 'server.crt'), 'garbage');
    const repaired = await ensureTlsMaterial(root, HOSTS);
    expect(repaired.renewed).toBe(true);
    expect(await readFile(join(root, 'server.crt'), 'utf8')).toBe(repaired.certPem);
  });

  it('replaces a server certificate that another CA issued', async () => {
    await ensureTlsMaterial(root, HOSTS);
    const foreign = issueServerCertificate(createInternalCa(), { hosts: HOSTS });
    await writeFile(join(root, 'server.crt'), foreign.certPem);
    await writeFile(join(root, 'server.key'), foreign.keyPem);
    const repaired = await ensureTlsMaterial(root, HOSTS);
    expect(repaired.renewed).toBe(true);
    expect(repaired.certPem).not.toBe(foreign.certPem);
  });

  it('refuses a CA certificate whose key is missing rather than replacing the CA', async () => {
    await ensureTlsMaterial(root, HOSTS);
    await rm(join(root, 'ca.key'));
    await expect(ensureTlsMaterial(root, HOSTS)).rejects.toEqual(configInvalid('ca.key is missing'));
  });

  it('refuses a CA key that does not match the CA certificate', async () => {
    await ensureTlsMaterial(root, HOSTS);
    await writeFile(join(root, 'ca.key'), createInternalCa().keyPem);
    await expect(ensureTlsMaterial(root, HOSTS)).rejects.toEqual(configInvalid('matching key'));
  });
});

describe('ensureInternalCa', () => {
  it('creates only the CA on first use (key 0600), and ensureTlsMaterial later serves from that same CA', async () => {
    const first = await ensureInternalCa(root);
    expect(first.created).toBe(true);
    expect(new X509Certificate(first.ca.certPem).ca).toBe(true);
    expect((await stat(join(root, 'ca.key'))).mode & 0o777).toBe(0o600);
    await expect(stat(join(root, 'server.crt'))).rejects.toMatchObject({ code: 'ENOENT' });

    const again = await ensureInternalCa(root);
    expect(again).toEqual({ ca: first.ca, created: false });
    const material = await ensureTlsMaterial(root, HOSTS);
    expect(material.caCertPem).toBe(first.ca.certPem);
    expect(material.created).toBe(false);
    expect(new X509Certificate(material.certPem).verify(new X509Certificate(first.ca.certPem).publicKey)).toBe(true);
  });

  it('refuses a CA that exists only in part or whose key does not match, rather than replacing it', async () => {
    await ensureInternalCa(root);
    await writeFile(join(root, 'ca.key'), createInternalCa().keyPem);
    await expect(ensureInternalCa(root)).rejects.toEqual(configInvalid('matching key'));
    await rm(join(root, 'ca.key'));
    await expect(ensureInternalCa(root)).rejects.toEqual(configInvalid('ca.key is missing'));
  });
});

describe('loadOperatorTls', () => {
  const ca = createInternalCa();
  const issued = issueServerCertificate(ca, { hosts: ['warden.example.com'] });
  const other = issueServerCertificate(ca, { hosts: ['warden.example.com'] });

  async function files(cert: string, key: string): Promise<[string, string]> {
    const certFile = join(root, 'tls.crt');
    const keyFile = join(root, 'tls.key');
    await writeFile(certFile, cert);
    await writeFile(keyFile, key);
    return [certFile, keyFile];
  }

  it('loads a certificate and the key that belongs to it', async () => {
    const [certFile, keyFile] = await files(issued.certPem, issued.keyPem);
    await expect(loadOperatorTls(certFile, keyFile)).resolves.toEqual({ certPem: issued.certPem, keyPem: issued.keyPem });
  });

  it('loads a certificate file that holds the chain after the leaf', async () => {
    const [certFile, keyFile] = await files(issued.certPem + ca.certPem, issued.keyPem);
    await expect(loadOperatorTls(certFile, keyFile)).resolves.toMatchObject({ keyPem: issued.keyPem });
  });

  it('refuses a key that does not belong to the certificate', async () => {
    const [certFile, keyFile] = await files(issued.certPem, other.keyPem);
    await expect(loadOperatorTls(certFile, keyFile)).rejects.toEqual(configInvalid('does not match certificate'));
  });

  it('refuses a certificate file that does not exist', async () => {
    const [, keyFile] = await files(issued.certPem, issued.keyPem);
    await expect(loadOperatorTls(join(root, 'missing.crt'), keyFile)).rejects.toEqual(configInvalid('does not exist'));
  });

  it('refuses a key file that does not exist', async () => {
    const [certFile] = await files(issued.certPem, issued.keyPem);
    await expect(loadOperatorTls(certFile, join(root, 'missing.key'))).rejects.toEqual(configInvalid('does not exist'));
  });

  it('refuses a certificate file that is a directory', async () => {
    const [, keyFile] = await files(issued.certPem, issued.keyPem);
    await expect(loadOperatorTls(root, keyFile)).rejects.toEqual(configInvalid('cannot be read'));
  });

  it.each([
    ['garbage', 'not a certificate', 'is not a PEM certificate'],
    ['a PEM block with a damaged body', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', 'cannot be parsed'],
  ])('refuses a certificate file holding %s', async (_name, cert, reason) => {
    const [certFile, keyFile] = await files(cert, issued.keyPem);
    await expect(loadOperatorTls(certFile, keyFile)).rejects.toEqual(configInvalid(reason));
  });

  it.each([
    ['garbage', 'not a key', 'is not a PEM private key'],
    ['a certificate instead of a key', issued.certPem, 'is not a PEM private key'],
    ['a PEM block with a damaged body', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', 'cannot be parsed'],
  ])('refuses a key file holding %s', async (_name, key, reason) => {
    const [certFile, keyFile] = await files(issued.certPem, key);
    await expect(loadOperatorTls(certFile, keyFile)).rejects.toEqual(configInvalid(reason));
  });

  it('refuses an expired certificate', async () => {
    const old = issueServerCertificate(ca, { hosts: ['warden.example.com'], days: 30, now: new Date('2020-01-01T00:00:00Z') });
    const [certFile, keyFile] = await files(old.certPem, old.keyPem);
    await expect(loadOperatorTls(certFile, keyFile)).rejects.toEqual(configInvalid('expired'));
  });
});
