/**
 * `warden principal cert …`: mTLS client certificates for service principals,
 * issued by the internal CA under WARDEN_HOME/tls (created on first use, the
 * same CA the server asks client certificates of). Run as the OS operator and
 * audited as such (auth.cert.issue, auth.cert.revoke).
 */
import { type FileHandle, mkdir, open, unlink } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CERT_CACHE_MS, DEFAULT_CERT_DAYS, MAX_CERT_DAYS, normaliseFingerprint } from '@warden/access';
import { loadConfig } from '@warden/core';
import { ensureInternalCa } from '@warden/crypto';
import type { CliIo } from './cli-users.js';
import { openRuntime } from './runtime.js';
import { operator } from './cli-operator.js';

export const CERT_USAGE = `  principal cert --name NAME [--out DIR] [--days N]
                                          issue a service principal an mTLS client certificate
                                          (default ${DEFAULT_CERT_DAYS} days, at most ${MAX_CERT_DAYS}); writes NAME.crt and
                                          NAME.key (0600) to DIR (default .), prints the fingerprint
  principal cert-revoke --name NAME | --fingerprint F
                                          revoke every client certificate of a principal, or one`;

const NAME = /^[a-z0-9][a-z0-9._-]{1,62}$/;

/** Opens a new file for writing; an existing one is never overwritten (it may hold a key in use). */
async function createNew(file: string, mode: number): Promise<FileHandle | 'exists'> {
  try {
    return await open(file, 'wx', mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
    throw e;
  }
}

export async function principalCertCommand(sub: 'cert' | 'cert-revoke', args: string[], io: CliIo): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { name: { type: 'string' }, out: { type: 'string' }, days: { type: 'string' }, fingerprint: { type: 'string' } },
  });
  const config = loadConfig();
  if (sub === 'cert') {
    const name = values.name;
    if (!name) io.fail('principal cert needs --name');
    if (!NAME.test(name)) io.fail(`${name} is not a principal name`);
    if (values.fingerprint !== undefined) io.fail('principal cert takes no --fingerprint');
    const days = values.days === undefined ? DEFAULT_CERT_DAYS : Number(values.days);
    if (!/^\d+$/.test(values.days ?? '1') || days < 1 || days > MAX_CERT_DAYS)
      io.fail(`--days must be a whole number from 1 to ${MAX_CERT_DAYS}`);
    const outDir = path.resolve(values.out ?? '.');
    const { ca } = await ensureInternalCa(path.join(config.home, 'tls'));
    await mkdir(outDir, { recursive: true, mode: 0o700 });
    const keyFile = path.join(outDir, `${name}.key`);
    const certFile = path.join(outDir, `${name}.crt`);
    // Both files exist (empty, the key 0600) before the certificate is issued: a certificate is never
    // bound without somewhere to put its key, and a refusal leaves nothing behind.
    const key = await createNew(keyFile, 0o600);
    if (key === 'exists') io.fail(`${keyFile} exists; move it away or choose another --out`);
    const cert = await createNew(certFile, 0o644).catch(async (e: unknown) => {
      await key.close();
      await unlink(keyFile);
      throw e;
    });
    if (cert === 'exists') {
      await key.close();
      await unlink(keyFile);
      io.fail(`${certFile} exists; move it away or choose another --out`);
    }
    let written = false;
    const rt = await openRuntime(config).catch(async (e: unknown) => {
      await Promise.all([key.close(), cert.close()]);
      await Promise.all([unlink(keyFile), unlink(certFile)]);
      throw e;
    });
    try {
      await key.chmod(0o600);
      const issued = await rt.principals.issueCertificate(name, ca, { days, actor: { cli: operator() } });
      await key.writeFile(issued.keyPem);
      await cert.writeFile(issued.certPem);
      written = true;
      const q = (p: string) => (/^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`);
      io.out(`Issued a client certificate for ${name}, valid until ${issued.notAfter.toISOString()}.`);
      io.out(`  Certificate: ${certFile}`);
      io.out(`  Private key: ${keyFile} (0600; it exists nowhere else)`);
      const serverCa = config.tlsCertFile ? '<the CA of WARDEN_TLS_CERT>' : q(path.join(config.home, 'tls', 'ca.crt'));
      io.out(`  Use: curl --cacert ${serverCa} --cert ${q(certFile)} --key ${q(keyFile)} https://<host>:<port>/graphql …`);
      io.out('Fingerprint (SHA-256):');
      io.out(issued.fingerprint);
    } finally {
      await Promise.all([key.close(), cert.close()]);
      if (!written) await Promise.all([unlink(keyFile).catch(() => {}), unlink(certFile).catch(() => {})]);
      await rt.close();
    }
    return;
  }

  if (values.out !== undefined || values.days !== undefined) io.fail('principal cert-revoke takes only --name or --fingerprint');
  if ((values.name === undefined) === (values.fingerprint === undefined))
    io.fail('principal cert-revoke needs --name or --fingerprint (one of them)');
  let target: string;
  if (values.fingerprint !== undefined) {
    const fp = normaliseFingerprint(values.fingerprint);
    if (!fp) io.fail('--fingerprint must be the SHA-256 fingerprint: 64 hex digits, colons allowed');
    target = fp;
  } else target = values.name as string;
  const rt = await openRuntime(config);
  try {
    const n = await rt.principals.revokeCertificate(target, { actor: { cli: operator() } });
    io.out(
      `Revoked ${n} client certificate(s)${values.name ? ` of ${values.name}` : ''}.${n ? ` A running server refuses ${n === 1 ? 'it' : 'them'} within ${CERT_CACHE_MS / 1000} s.` : ''}`,
    );
  } finally {
    await rt.close();
  }
}
