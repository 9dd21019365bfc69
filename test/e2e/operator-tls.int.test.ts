/** An operator's own certificate and key instead of the internal CA's, and a clear refusal when they do not fit. */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInternalCa, issueServerCertificate } from '@warden/crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { exited, postGraphql, wardenHome } from '../support/warden-process.js';

const w = wardenHome('warden-operator-tls-', { WARDEN_DEMO: '0' }); // reads only `me`: no demo data needed
const ca = createInternalCa({ commonName: 'Operator Root CA' });
const server = issueServerCertificate(ca, { hosts: ['localhost', '127.0.0.1'] });
const other = issueServerCertificate(createInternalCa({ commonName: 'Someone else' }), { hosts: ['127.0.0.1'] });
const files = { cert: path.join(w.home, 'op.crt'), key: path.join(w.home, 'op.key'), wrongKey: path.join(w.home, 'other.key') };
writeFileSync(files.cert, server.certPem);
writeFileSync(files.key, server.keyPem);
writeFileSync(files.wrongKey, other.keyPem);

afterAll(() => rmSync(w.home, { recursive: true, force: true }));

describe('operator-provided TLS', () => {
  it('serves with the operator certificate, trusted through the operator CA', async () => {
    const started = await w.start({ WARDEN_TLS_CERT: files.cert, WARDEN_TLS_KEY: files.key });
    try {
      expect(started.output.join('')).not.toContain('internal CA');
      expect(started.output.join('')).not.toContain('Loading demo data');
      const { key } = w.createKey('op-app', 'app');
      const res = await postGraphql(started.url, Buffer.from(ca.certPem), key, '{ me { name } }');
      expect(res.body).toEqual({ data: { me: { name: 'op-app' } } });
    } finally {
      started.child.kill('SIGTERM');
      await exited(started.child);
    }
  });

  it('refuses to start with a key that does not match the certificate', () => {
    const r = w.runWith({ WARDEN_TLS_CERT: files.cert, WARDEN_TLS_KEY: files.wrongKey }, 'start');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('CONFIG_INVALID');
  });

  it('refuses a certificate without its key', () => {
    const r = w.runWith({ WARDEN_TLS_CERT: files.cert }, 'start');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('WARDEN_TLS_CERT and WARDEN_TLS_KEY go together');
  });
});
