/** `warden start`: open the runtime, load demo data into empty stores, serve HTTPS. */
import { ensureTlsMaterial, loadOperatorTls } from '@warden/crypto';
import type { WardenConfig } from '@warden/core';
import { refreshDistrictIndicators, seedStores } from '@warden/stores';
import type { FastifyInstance } from 'fastify';
import path from 'node:path';
import pino from 'pino';
import { build, REDACT } from './app.js';
import { openRuntime, type Runtime } from './runtime.js';

export const DEMO_ENTERPRISES = Number(process.env.WARDEN_DEMO_ENTERPRISES ?? 2000);

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
  const logger = pino({ level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' } });
  const runtime = await openRuntime(config, { listen: true, serving: true, log: (s) => logger.debug(s) });
  try {
    const { rows } = await runtime.dbs.stores.enterprise.query('SELECT EXISTS (SELECT 1 FROM enterprises) AS seeded');
    if (opts.demo !== false && !rows[0].seeded) {
      print(`Loading demo data (${DEMO_ENTERPRISES} enterprises)…`);
      await seedStores({ pools: runtime.dbs.stores, enterprises: DEMO_ENTERPRISES, seed: 1 });
      await refreshDistrictIndicators(runtime.dbs.stores.enterprise, new Date());
    }
    let tls: { key: string; cert: string };
    let caFile: string | undefined;
    if (config.tlsCertFile && config.tlsKeyFile) {
      const t = await loadOperatorTls(config.tlsCertFile, config.tlsKeyFile);
      tls = { key: t.keyPem, cert: t.certPem };
    } else {
      const dir = path.join(config.home, 'tls');
      const t = await ensureTlsMaterial(dir, ['localhost', '127.0.0.1', '::1']);
      tls = { key: t.keyPem, cert: t.certPem };
      caFile = path.join(dir, 'ca.crt');
    }
    const app = await build({
      bindings: runtime.bindings,
      policies: runtime.policies,
      labels: runtime.labels,
      principals: runtime.principals,
      audit: runtime.audit,
      pools: runtime.dbs,
      cursorKey: runtime.secrets.cursorKey,
      hmacKey: runtime.secrets.hmacKey,
      development: config.development,
      https: tls,
      logger: { level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' } },
      jit: 1,
      rateLimit: { max: config.rateLimitPerMinute, windowMs: 60_000 },
    });
    await app.listen({ host: config.host, port: config.port });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    const url = `https://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    print(
      [
        `Warden is serving governed GraphQL at ${url}/graphql`,
        ...(caFile ? [`  TLS: certificate from Warden's internal CA — trust ${caFile} (curl --cacert ${caFile})`] : []),
        `  Data: ${config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL under ${path.join(config.home, 'pg')}`}`,
        '  Get an API key:  pnpm warden principal create --name my-app --role app',
        `  Then:            curl --cacert ${caFile ?? '<ca>'} -H "Authorization: Bearer <key>" -H 'content-type: application/json' \\`,
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
