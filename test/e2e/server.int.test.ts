/**
 * As a new user would: `warden start` on a fresh WARDEN_HOME with the embedded
 * PostgreSQL, a key from the CLI while the server runs, a governed read over
 * HTTPS trusting Warden's CA, plain HTTP and old TLS refused, a killed server
 * that leaves nothing blocking the next start, data kept across restarts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, postGraphql, type Started, wardenHome } from '../support/warden-process.js';

const w = wardenHome('warden-e2e-');
const { home } = w;
const post = (url: string, key: string, query: string) => postGraphql(url, readFileSync(path.join(home, 'tls', 'ca.crt')), key, query);

let server: Started;
let key: string;
beforeAll(async () => {
  server = await w.start();
});
afterAll(async () => {
  if (server?.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await exited(server.child);
  }
  rmSync(home, { recursive: true, force: true });
});

describe('a new user starting Warden', () => {
  it('prints where to connect and how to get a key', () => {
    const text = server.output.join('');
    expect(text).toMatch(/https:\/\/127\.0\.0\.1:\d+\/graphql/);
    expect(text).toContain('pnpm warden principal create --name my-app --role app');
    expect(text).toContain(path.join(home, 'tls', 'ca.crt'));
  });

  it('creates a key with the CLI while the server runs', () => {
    const r = w.createKey('e2e-app', 'app');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    key = r.key;
    expect(key).toMatch(/^wdn_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(w.run('principal', 'list').stdout).toContain('e2e-app\tservice\tapp');
  });

  it('reseeds the stores from the CLI while the server runs', () => {
    const r = w.run('seed', '--enterprises', '120', '--seed', '3');
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.enterprises).toBe(120);
    expect(summary.rows.enterprise.enterprises).toBe(120);
    expect(summary.totalRows).toBeGreaterThan(1000);
    const bad = w.run('seed', '--enterprises=0');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--enterprises must be a positive integer');
  });

  it('refuses an unknown role with a clear error and creates nothing', () => {
    const r = w.run('principal', 'create', '--name', 'e2e-bad', '--role', 'root');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('UNKNOWN_ROLE: Unknown role root');
    expect(w.run('principal', 'list').stdout).not.toContain('e2e-bad');
  });

  it('serves masked mobiles and ID numbers over HTTPS trusting the internal CA', async () => {
    const res = await post(server.url, key, '{ enterprises(first: 3) { edges { node { name legalRepMobile legalRepIdNumber } } } }');
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toContain('max-age=31536000');
    const data = res.body.data as { enterprises: { edges: { node: Record<string, string> }[] } };
    const nodes = data.enterprises.edges.map((e) => e.node);
    expect(nodes).toHaveLength(3);
    for (const n of nodes) {
      expect(n.legalRepMobile).toMatch(/^1[3-9]\d\*{4}\d{4}$/);
      expect(n.legalRepIdNumber).toMatch(/^\d{3}\*{11}\d{3}[\dX]$/);
      expect(n.name).toMatch(/公司|企业|店|厂|社|所|中心/);
    }
  });

  it('does not speak plain HTTP', async () => {
    const port = new URL(server.url).port;
    const outcome = await new Promise<string>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/healthz', timeout: 5000 }, (res) => resolve(`status ${res.statusCode}`));
      req.on('error', (e) => resolve(`error ${e.message}`));
      req.on('timeout', () => {
        req.destroy();
        resolve('timeout');
      });
      req.end();
    });
    expect(outcome).not.toBe('status 200');
    expect(outcome).toMatch(/^error|^timeout|^status 4/);
  });

  it('refuses TLS below 1.2', async () => {
    const port = Number(new URL(server.url).port);
    const attempt = (maxVersion: tls.SecureVersion) =>
      new Promise<string>((resolve) => {
        // SECLEVEL=0 lets this client offer old protocols at all; the refusal must come from Warden.
        const s = tls.connect(
          { host: '127.0.0.1', port, minVersion: 'TLSv1', maxVersion, ciphers: 'DEFAULT:@SECLEVEL=0', rejectUnauthorized: false },
          () => {
            const v = s.getProtocol();
            s.end();
            resolve(`connected ${v}`);
          },
        );
        s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      });
    expect(await attempt('TLSv1.1')).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
    expect(await attempt('TLSv1.2')).toBe('connected TLSv1.2');
  });

  it('starts again after being killed, with its data kept', async () => {
    const before = await post(server.url, key, '{ enterprises(first: 100) { edges { node { id } } } }');
    server.child.kill('SIGKILL');
    await exited(server.child);
    const pid = Number(readFileSync(path.join(home, 'pg', 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(() => process.kill(pid, 0)).not.toThrow(); // the killed run left PostgreSQL behind
    server = await w.start();
    const after = await post(server.url, key, '{ enterprises(first: 100) { edges { node { id } } } }');
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before.body);
    expect(server.output.join('')).not.toContain('Loading demo data');
  });

  it('stops cleanly on SIGTERM, taking its PostgreSQL with it', async () => {
    server.child.kill('SIGTERM');
    expect(await exited(server.child)).toBe(0);
    expect(existsSync(path.join(home, 'pg', 'data', 'postmaster.pid'))).toBe(false);
  });

  it('works from the CLI while no server runs, and leaves no PostgreSQL behind', () => {
    const r = w.run('principal', 'list');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('e2e-app\tservice\tapp');
    expect(existsSync(path.join(home, 'pg', 'data', 'postmaster.pid'))).toBe(false);
  });

  it('refuses to start on bad policies and lists every problem', () => {
    const bad = mkdtempSync(path.join(os.tmpdir(), 'warden-bad-policies-'));
    try {
      const r = w.runWith({ WARDEN_POLICIES: bad }, 'start');
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('POLICY_INVALID');
      expect(r.stderr).toContain('levels.yaml: cannot read: ENOENT');
      expect(r.stderr).toContain('roles.yaml: cannot read: ENOENT');
      expect(r.stderr).toContain('labels/: no label files');
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });
});
