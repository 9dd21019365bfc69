/** Warden as a user runs it: `warden start` and CLI commands as child processes on one WARDEN_HOME. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'gateway/src/cli.ts');

export interface Started {
  child: ChildProcess;
  url: string;
  output: string[];
}

export interface Ran {
  status: number;
  stdout: string;
  stderr: string;
}

export interface WardenHome {
  home: string;
  start(extraEnv?: Record<string, string>): Promise<Started>;
  run(...args: string[]): Ran;
  /** The same with more environment. */
  runWith(extraEnv: Record<string, string>, ...args: string[]): Ran;
  /** `warden principal create` for a service principal with one role; `key` is the API key it prints last. */
  createKey(name: string, role: string): Ran & { key: string };
}

export function wardenHome(prefix: string, extraEnv: Record<string, string> = {}): WardenHome {
  const home = mkdtempSync(path.join(os.tmpdir(), prefix));
  const env = {
    ...process.env,
    WARDEN_HOME: home,
    PORT: '0',
    WARDEN_DEMO_ENTERPRISES: '150',
    LOG_LEVEL: 'warn',
    DATABASE_URL: '',
    ...extraEnv,
  };
  const runWith = (more: Record<string, string>, ...args: string[]): Ran => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: ROOT,
      env: { ...env, ...more },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
  };
  const run = (...args: string[]) => runWith({}, ...args);
  return {
    home,
    start(more = {}) {
      const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'start'], {
        cwd: ROOT,
        env: { ...env, ...more },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const output: string[] = [];
      return new Promise((resolve, reject) => {
        child.stdout?.on('data', (b: Buffer) => {
          output.push(b.toString());
          const m = /serving governed GraphQL at (https:\/\/[^\s]+)\/graphql/.exec(output.join(''));
          if (m) resolve({ child, url: m[1] as string, output });
        });
        child.stderr?.on('data', (b: Buffer) => output.push(b.toString()));
        child.once('exit', (code) => reject(new Error(`start exited with ${code}: ${output.join('')}`)));
      });
    },
    run,
    runWith,
    createKey(name, role) {
      const r = run('principal', 'create', '--name', name, '--role', role);
      return { ...r, key: r.stdout.trim().split('\n').pop() ?? '' };
    },
  };
}

export interface HttpsAnswer {
  status: number;
  body: { data?: Record<string, unknown>; errors?: unknown[] };
  headers: http.IncomingHttpHeaders;
}

export interface HttpsPost {
  /** The only CA trusted for the server's certificate. */
  ca: string | Buffer;
  /** A client certificate and its key, for mTLS. */
  cert?: { cert: string | Buffer; key: string | Buffer };
  headers?: Record<string, string>;
}

/** POST a GraphQL query over HTTPS on a fresh TLS connection (no session reuse), trusting only `opts.ca`. */
export function postGraphqlTls(url: string | URL, query: string, opts: HttpsPost): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL('/graphql', url),
      {
        method: 'POST',
        agent: false,
        ca: opts.ca,
        ...(opts.cert ? { cert: opts.cert.cert, key: opts.cert.key } : {}),
        headers: { 'content-type': 'application/json', ...opts.headers },
      },
      (res) => {
        let data = '';
        res.on('data', (c) => {
          data += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data), headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ query }));
  });
}

/** POST a GraphQL query over HTTPS with an API key, trusting only `ca`. */
export function postGraphql(url: string, ca: Buffer, key: string, query: string): Promise<HttpsAnswer> {
  return postGraphqlTls(url, query, { ca, headers: { authorization: `Bearer ${key}` } });
}

export const exited = (c: ChildProcess) =>
  new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.once('exit', (code) => r(code))));
