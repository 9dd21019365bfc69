/**
 * The benchmark's server process: Warden (governed) and the plain baseline
 * on two loopback ports, so the load generator runs in its own process.
 * Prints one JSON line with the ports and the app key, then waits.
 */
import { buildPlainServer } from './plain-server.js';
import { openBenchEnv } from './bench-env.js';

const enterprises = Number(process.env.BENCH_ENTERPRISES ?? 5000);
// BENCH_AUDIT=off: the audit write switched off (benchmark only), for the on/off comparison of bench:audit.
const env = await openBenchEnv({ enterprises, audit: process.env.BENCH_AUDIT !== 'off' });
const plain = await buildPlainServer(env.storeUrl('enterprise'));
await env.warden.listen({ host: '127.0.0.1', port: 0 });
await plain.app.listen({ host: '127.0.0.1', port: 0 });
const port = (a: { server: { address(): unknown } }) => (a.server.address() as { port: number }).port;
process.stdout.write(`${JSON.stringify({ governed: port(env.warden), plain: port(plain.app), key: env.appKey })}\n`);
const stop = async () => {
  await plain.close();
  await env.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
