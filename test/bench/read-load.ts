/**
 * The governed-read load shared by `pnpm bench` and `pnpm bench:audit`: the
 * query, one autocannon round, the summary of rounds, and the server process
 * (serve.ts) that holds Warden and the plain baseline.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { camel, PLAIN_FIELDS } from './plain-server.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const seconds = Number(process.env.BENCH_SECONDS ?? 5);
export const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
export const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);

export const QUERY = `{ enterprises(first: 100) { edges { node { ${PLAIN_FIELDS.map(camel).join(' ')} } } } }`;

export interface Sample {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export async function load(port: number, headers: Record<string, string>): Promise<Sample> {
  const r = await autocannon({
    url: `http://127.0.0.1:${port}/graphql`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: QUERY }),
    connections,
    duration: seconds,
  });
  return { requests: r.requests.total, seconds: r.duration, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

export function summarise(samples: Sample[]) {
  const requests = samples.reduce((a, s) => a + s.requests, 0);
  const secs = samples.reduce((a, s) => a + s.seconds, 0);
  const sorted = (k: 'p50' | 'p99') => samples.map((s) => s[k]).sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? 0;
  return {
    reqPerSec: Math.round((requests / secs) * 10) / 10,
    p50ms: sorted('p50'),
    p99ms: sorted('p99'),
    non2xx: samples.reduce((a, s) => a + s.non2xx, 0),
    errors: samples.reduce((a, s) => a + s.errors, 0),
  };
}

export interface Servers {
  child: ChildProcess;
  governed: number;
  plain: number;
  key: string;
}

/** serve.ts in its own process; `env` adds settings (BENCH_AUDIT=off). */
export async function startServers(env: Record<string, string> = {}): Promise<Servers> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'serve.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { child, ...JSON.parse(line) };
}

export async function stopServers(s: Servers): Promise<void> {
  if (s.child.exitCode !== null) return;
  const gone = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await gone;
}
