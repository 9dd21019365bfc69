/** `warden start`: open the runtime, load demo data into empty stores, serve HTTPS. */
import { ensureInternalCa, ensureTlsMaterial, loadOperatorTls } from '@warden/crypto';
import { type WardenConfig, wardenError } from '@warden/core';
import type { FastifyInstance } from 'fastify';
import path from 'node:path';
import pino from 'pino';
import { build, REDACT } from './app.js';
import { needsDemoData, seedWithMarker } from './demo-data.js';
import { openRuntime, type Runtime } from './runtime.js';

/** A path as a shell word. */
function shellQuote(p: string): string {
  return /^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

export interface RunningServer {
  app: FastifyInstance;
  runtime: Runtime;
  url: string;
  caFile?: string;
  close(): Promise<void>;
}

export async function startServer(
  config: WardenConfig,
  opts: { demo?: boolean; print?: (s: string) => void } = {},
): Promise<RunningServer> {
  const print = opts.print ?? ((s: string) => process.stdout.write(`${s}\n`));
  const logOptions = { level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' } };
  const logger = pino(logOptions);
  const runtime = await openRuntime(config, { serving: true, log: (s) => logger.debug(s) });
  try {
    if ((opts.demo ?? config.demoData) && (await needsDemoData(runtime.dbs))) {
      print(`Loading demo data (${config.demoEnterprises} enterprises)…`);
      await seedWithMarker(runtime.dbs, { enterprises: config.demoEnterprises, seed: 1 });
    }
    let tls: { key: string; cert: string };
    let caFile: string | undefined;
    // The internal CA issues services' client certificates (mTLS), so it is the client CA whoever serves TLS.
    let clientCa: string;
    const tlsDir = path.join(config.home, 'tls');
    if (config.tlsCertFile && config.tlsKeyFile) {
      const t = await loadOperatorTls(config.tlsCertFile, config.tlsKeyFile);
      tls = { key: t.keyPem, cert: t.certPem };
      clientCa = (await ensureInternalCa(tlsDir)).ca.certPem;
    } else {
      const t = await ensureTlsMaterial(tlsDir, ['localhost', '127.0.0.1', '::1']);
      tls = { key: t.keyPem, cert: t.certPem };
      clientCa = t.caCertPem;
      caFile = path.join(tlsDir, 'ca.crt');
    }
    const app = await build({
      ...runtime,
      pools: runtime.dbs,
      cursorKey: runtime.secrets.cursorKey,
      hmacKey: runtime.secrets.hmacKey,
      development: config.development,
      https: tls,
      clientCa,
      logger: logOptions,
      jit: 1,
      rateLimit: { max: config.rateLimitPerMinute, windowMs: 60_000 },
    });
    await app.listen({ host: config.host, port: config.port }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE' || e.code === 'EACCES') {
        throw wardenError(
          'CONFIG_INVALID',
          { reason: `cannot listen on ${config.host}:${config.port} (${e.code === 'EADDRINUSE' ? 'in use' : 'not permitted'}); set PORT` },
          e,
        );
      }
      throw e;
    });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    const url = `https://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    const q = shellQuote;
    const cli = path.resolve(config.home) === path.resolve('.warden') ? 'pnpm warden' : `WARDEN_HOME=${q(config.home)} pnpm warden`;
    print(
      [
        `Warden is serving governed GraphQL at ${url}/graphql`,
        ...(caFile ? [`  TLS: certificate from Warden's internal CA — trust ${caFile} (curl --cacert ${q(caFile)})`] : []),
        `  Data: ${config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL under ${path.join(config.home, 'pg')}`}`,
        `  Get an API key:  ${cli} principal create --name my-app --role app`,
        `  Then:            curl --cacert ${caFile ? q(caFile) : '<ca>'} -H "Authorization: Bearer <key>" -H 'content-type: application/json' \\`,
        `                     -d '{"query":"{ enterprises(first: 3) { edges { node { name legalRepMobile legalRepIdNumber } } } }"}' ${url}/graphql`,
      ].join('\n'),
    );
    return {
      app,
      runtime,
      url,
      caFile,
      async close() {
        await app.close();
        await runtime.close();
      },
    };
  } catch (e) {
    await runtime.close().catch(() => {});
    throw e;
  }
}
