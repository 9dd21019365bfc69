/** `warden principal cert` / `cert-revoke` as an operator runs them, against `warden start` on the same WARDEN_HOME. */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fingerprintCertificate } from '@warden/crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { exited, postGraphqlTls, wardenHome } from '../support/warden-process.js';

const w = wardenHome('warden-mtls-cli-', { WARDEN_DEMO: '0' }); // reads only `me`: no demo data needed
const out = path.join(w.home, 'certs');

afterAll(() => rmSync(w.home, { recursive: true, force: true }));

async function me(url: string, files: { cert: string; key: string }): Promise<{ status: number; body: unknown }> {
  const { status, body } = await postGraphqlTls(url, '{ me { name } }', {
    ca: readFileSync(path.join(w.home, 'tls', 'ca.crt')),
    cert: { cert: readFileSync(files.cert), key: readFileSync(files.key) },
  });
  return { status, body };
}

describe('warden principal cert', () => {
  it('writes NAME.crt and NAME.key (0600), prints the fingerprint, and never overwrites them', () => {
    expect(w.createKey('cli-app', 'app').status).toBe(0);
    const r = w.run('principal', 'cert', '--name', 'cli-app', '--out', out, '--days', '2');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const crt = readFileSync(path.join(out, 'cli-app.crt'), 'utf8');
    expect(readFileSync(path.join(out, 'cli-app.key'), 'utf8')).toContain('PRIVATE KEY');
    expect(statSync(path.join(out, 'cli-app.key')).mode & 0o777).toBe(0o600);
    expect(r.stdout.trim().split('\n').pop()).toBe(fingerprintCertificate(crt));
    expect(r.stdout).not.toContain('PRIVATE KEY');

    const again = w.run('principal', 'cert', '--name', 'cli-app', '--out', out);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('exists');
    expect(readFileSync(path.join(out, 'cli-app.crt'), 'utf8')).toBe(crt);
  });

  it('refuses unknown principals, bad lifetimes and missing names, leaving no files behind', () => {
    const elsewhere = path.join(w.home, 'refused');
    const unknown = w.run('principal', 'cert', '--name', 'nobody-here', '--out', elsewhere);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('NOT_FOUND');
    expect(existsSync(elsewhere) ? readdirSync(elsewhere) : []).toEqual([]);
    expect(w.run('principal', 'cert', '--name', 'cli-app', '--out', elsewhere, '--days', '0').stderr).toContain('--days');
    expect(w.run('principal', 'cert', '--name', 'cli-app', '--out', elsewhere, '--days', '1000').status).toBe(2);
    expect(w.run('principal', 'cert', '--out', elsewhere).stderr).toContain('needs --name');
    expect(w.run('principal', 'cert', '--name', '../etc/x', '--out', elsewhere).status).toBe(2);
    // An existing certificate file: the key file created for it is removed again.
    writeFileSync(path.join(elsewhere, 'cli-app.crt'), 'keep me');
    expect(w.run('principal', 'cert', '--name', 'cli-app', '--out', elsewhere).stderr).toContain('exists');
    expect(readdirSync(elsewhere)).toEqual(['cli-app.crt']);
  });

  it('the running server accepts an issued certificate and refuses one revoked by the CLI', async () => {
    const second = path.join(w.home, 'second');
    const issued = w.run('principal', 'cert', '--name', 'cli-app', '--out', second);
    expect(issued.status).toBe(0);
    const fingerprint = issued.stdout.trim().split('\n').pop() ?? '';
    const started = await w.start();
    try {
      const files = (dir: string) => ({ cert: path.join(dir, 'cli-app.crt'), key: path.join(dir, 'cli-app.key') });
      expect(await me(started.url, files(out))).toEqual({ status: 200, body: { data: { me: { name: 'cli-app' } } } });

      // The second certificate was never presented (nothing cached): revoked, it is refused at once.
      const revoked = w.run('principal', 'cert-revoke', '--fingerprint', fingerprint.toUpperCase());
      expect(revoked.stdout).toContain('Revoked 1 client certificate(s)');
      expect(await me(started.url, files(second))).toMatchObject({
        status: 401,
        body: { errors: [{ extensions: { code: 'CERTIFICATE_REVOKED' } }] },
      });
      expect((await me(started.url, files(out))).status).toBe(200);
    } finally {
      started.child.kill('SIGTERM');
      await exited(started.child);
    }
  });

  it('cert-revoke takes exactly one of --name and --fingerprint, and refuses unknown ones', () => {
    expect(w.run('principal', 'cert-revoke').stderr).toContain('--name or --fingerprint');
    expect(w.run('principal', 'cert-revoke', '--name', 'cli-app', '--fingerprint', 'a'.repeat(64)).status).toBe(2);
    expect(w.run('principal', 'cert-revoke', '--fingerprint', 'not-hex').stderr).toContain('64 hex digits');
    const unknown = w.run('principal', 'cert-revoke', '--name', 'nobody-here');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('NOT_FOUND');
    const all = w.run('principal', 'cert-revoke', '--name', 'cli-app');
    expect(all.status).toBe(0);
    expect(all.stdout).toContain('Revoked 1 client certificate(s) of cli-app');
  });
});
