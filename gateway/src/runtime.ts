/**
 * Opens everything a Warden process needs, in order, failing fast: policies
 * (before any database starts), the PostgreSQL server (embedded under
 * WARDEN_HOME, or DATABASE_URL's), migrations, then the control plane. The
 * CLI and the server share it, so both work on the same WARDEN_HOME whether
 * or not the other is running.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CompiledPolicies } from '@warden/access';
import { ensureSigningKey, type SigningKey } from '@warden/audit';
import type { WardenConfig } from '@warden/core';
import { loadWardenPolicies } from '@warden/policies';
import { type Databases, type EmbeddedServer, ensureGatewayLogin, openDatabases, startEmbeddedPostgres } from '@warden/stores';
import pg from 'pg';
import { type ControlPlane, openControlPlane } from './control-plane.js';

export interface Runtime extends Omit<ControlPlane, 'close'> {
  config: WardenConfig;
  policies: CompiledPolicies;
  dbs: Databases;
  secrets: { cursorKey: Buffer; hmacKey: Buffer; userKey: Buffer; auditIpKey: Buffer; auditSigning: SigningKey };
  embedded?: EmbeddedServer;
  close(): Promise<void>;
}

async function secret(dir: string, name: string): Promise<Buffer> {
  const file = path.join(dir, name);
  try {
    const raw = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
    if (raw.length === 32) return raw;
  } catch {
    // created below
  }
  const key = randomBytes(32);
  await writeFile(file, key.toString('base64'), { mode: 0o600 });
  return key;
}

/** The databases with the control pool (and its URL) switched to the gateway's login; the owner's pool closed. */
async function asGateway(dbs: Databases, passwordFile: string, log: (s: string) => void): Promise<Databases> {
  const url = await ensureGatewayLogin(dbs.control, dbs.urls.control, passwordFile);
  if (!url) {
    log(
      "warning: the database user may not create roles — serving with the owner's connection (the audit log stays insert-only by its triggers)",
    );
    return dbs;
  }
  const control = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000, statement_timeout: 10_000 });
  control.on('error', () => {}); // idle-client errors surface on next use
  await control.query('SELECT 1');
  const owner = dbs.control;
  await owner.end();
  return {
    ...dbs,
    control,
    urls: { ...dbs.urls, control: url },
    async close() {
      await control.end();
      await Promise.all(Object.values(dbs.stores).map((p) => p.end()));
    },
  };
}

export async function openRuntime(
  config: WardenConfig,
  /** serving: the server's runtime — it owns the embedded PostgreSQL, follows label changes, bounds statements. */
  opts: { log?: (s: string) => void; serving?: boolean } = {},
): Promise<Runtime> {
  const log = opts.log ?? (() => {});
  const policies = await loadWardenPolicies(config.policiesDir);
  await mkdir(config.home, { recursive: true, mode: 0o755 });
  const secretsDir = path.join(config.home, 'secrets');
  await mkdir(secretsDir, { recursive: true, mode: 0o700 });
  const secrets = {
    cursorKey: await secret(secretsDir, 'cursor.key'),
    hmacKey: await secret(secretsDir, 'hmac.key'),
    userKey: await secret(secretsDir, 'users.key'),
    auditIpKey: await secret(secretsDir, 'audit-ip.key'),
    auditSigning: await ensureSigningKey({
      keyFile: path.join(secretsDir, 'audit-signing.key'),
      publicKeyFile: path.join(config.home, 'audit', 'signing.pub'),
    }),
  };

  let embedded: EmbeddedServer | undefined;
  let baseUrl: string;
  if (config.databaseUrl) baseUrl = config.databaseUrl;
  else {
    embedded = await startEmbeddedPostgres({ dir: path.join(config.home, 'pg'), role: opts.serving ? 'server' : 'cli', log });
    baseUrl = embedded.baseUrl;
  }
  let dbs: Databases | undefined;
  try {
    dbs = await openDatabases({
      baseUrl,
      controlUrl: config.databaseUrl,
      storeUrls: config.storeUrls,
      statementTimeoutMs: opts.serving ? { control: 10_000, stores: 30_000 } : undefined,
    });
    // Serving: requests reach the control plane through the gateway's own login (warden_app), which
    // cannot alter, update, delete or truncate the audit log; the owner's connection only migrated.
    if (opts.serving) dbs = await asGateway(dbs, path.join(secretsDir, 'db-gateway.password'), log);
    const plane = await openControlPlane(dbs, policies, {
      listen: opts.serving,
      log,
      userKey: secrets.userKey,
      audit: {
        hashAlgorithm: config.auditHash,
        ipKey: secrets.auditIpKey,
        signing: secrets.auditSigning,
        checkpointFile: path.join(config.home, 'audit', 'checkpoints.jsonl'),
        checkpoints: opts.serving,
      },
    });
    const opened = dbs;
    return {
      ...plane,
      config,
      policies,
      dbs: opened,
      secrets,
      embedded,
      async close() {
        await plane.close();
        await opened.close();
        await embedded?.stop();
      },
    };
  } catch (e) {
    await dbs?.close().catch(() => {});
    await embedded?.stop().catch(() => {});
    throw e;
  }
}
