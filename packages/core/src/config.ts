import path from 'node:path';
import { wardenError } from './errors.js';

export const STORES = ['enterprise', 'policy', 'investment'] as const;
export type StoreName = (typeof STORES)[number];

/** Requests per principal per minute when WARDEN_RATE_LIMIT is not set. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 1200;

export interface WardenConfig {
  home: string;
  host: string;
  port: number;
  /** Control-plane database; undefined means the embedded server under home. */
  databaseUrl?: string;
  storeUrls: Partial<Record<StoreName, string>>;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** Policy directory (WARDEN_POLICIES); undefined means the project's policies/. */
  policiesDir?: string;
  development: boolean;
  logLevel: string;
  /** Requests per principal per minute. */
  rateLimitPerMinute: number;
  /** Load demo data into empty stores at start: on for the embedded server, off for DATABASE_URL unless WARDEN_DEMO=1. */
  demoData: boolean;
  /** How many enterprises the demo data has (WARDEN_DEMO_ENTERPRISES, default 2000). */
  demoEnterprises: number;
  /** The audit chain's hash (WARDEN_AUDIT_HASH): sha256 (default) or sm3. */
  auditHash: 'sha256' | 'sm3';
}

/** Reads configuration from the environment; every problem is reported at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): WardenConfig {
  const problems: string[] = [];
  const port = env.PORT === undefined ? 8443 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be an integer 0–65535, got ${env.PORT}`);
  const storeUrls: Partial<Record<StoreName, string>> = {};
  for (const s of STORES) {
    const v = env[`${s.toUpperCase()}_DATABASE_URL`];
    if (v) storeUrls[s] = v;
  }
  for (const [k, v] of Object.entries({
    DATABASE_URL: env.DATABASE_URL,
    ...Object.fromEntries(Object.entries(storeUrls).map(([s, u]) => [`${s.toUpperCase()}_DATABASE_URL`, u])),
  })) {
    if (v && !/^postgres(ql)?:\/\//.test(v)) problems.push(`${k} must be a postgres:// URL`);
  }
  const rateLimitPerMinute = readPositiveInteger(env, 'WARDEN_RATE_LIMIT', DEFAULT_RATE_LIMIT_PER_MINUTE, problems);
  const demoEnterprises = readPositiveInteger(env, 'WARDEN_DEMO_ENTERPRISES', 2000, problems);
  if (Boolean(env.WARDEN_TLS_CERT) !== Boolean(env.WARDEN_TLS_KEY)) problems.push('WARDEN_TLS_CERT and WARDEN_TLS_KEY go together');
  const auditHash = env.WARDEN_AUDIT_HASH || 'sha256';
  if (auditHash !== 'sha256' && auditHash !== 'sm3') problems.push(`WARDEN_AUDIT_HASH must be sha256 or sm3, got ${auditHash}`);
  if (problems.length) throw wardenError('CONFIG_INVALID', { reason: problems.join('; ') });
  return {
    home: path.resolve(cwd, env.WARDEN_HOME ?? '.warden'),
    host: env.HOST ?? '127.0.0.1',
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    storeUrls,
    tlsCertFile: env.WARDEN_TLS_CERT || undefined,
    tlsKeyFile: env.WARDEN_TLS_KEY || undefined,
    policiesDir: env.WARDEN_POLICIES ? path.resolve(cwd, env.WARDEN_POLICIES) : undefined,
    development: env.WARDEN_ENV === 'development',
    logLevel: env.LOG_LEVEL ?? 'info',
    rateLimitPerMinute,
    demoData: env.WARDEN_DEMO === undefined ? !env.DATABASE_URL : env.WARDEN_DEMO === '1',
    demoEnterprises,
    auditHash: auditHash as WardenConfig['auditHash'],
  };
}

/** `env[name]` as a positive integer, `fallback` when unset; anything else adds a problem. */
function readPositiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, problems: string[]): number {
  const raw = env[name];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 1) problems.push(`${name} must be a positive integer, got ${raw}`);
  return n;
}
