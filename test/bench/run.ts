/**
 * `pnpm bench`: governed vs plain throughput for the same 100-row, 10-field
 * enterprise page (4 fields L3/L4), interleaved in one run with autocannon,
 * and masking throughput against a plain copy loop. Prints figures and
 * ratios and writes test/bench/results/latest.json. Asserts nothing about time.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileMask } from '@warden/mask';
import { PLAIN_FIELDS } from './plain-server.js';
import { connections, load, QUERY, rounds, type Sample, seconds, startServers, stopServers, summarise } from './read-load.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function maskThroughput() {
  const n = 1_000_000;
  const mobiles = Array.from({ length: 1000 }, (_, i) => `13${String(800000000 + i * 7919).padStart(9, '0')}`);
  const ids = Array.from(
    { length: 1000 },
    (_, i) => `1101051990${String(1000 + (i % 9000)).padStart(4, '0')}${String(i % 1000).padStart(3, '0')}X`,
  );
  const out: unknown[] = new Array(1000);
  const time = (fn: (v: string) => unknown, values: string[]) => {
    for (let i = 0; i < 100_000; i++) out[i % 1000] = fn(values[i % 1000] as string); // warm-up
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) out[i % 1000] = fn(values[i % 1000] as string);
    return Math.round(n / (Number(process.hrtime.bigint() - t0) / 1e9));
  };
  const copy = time((v) => v, mobiles);
  const mobile = time(compileMask({ fn: 'mobile' }), mobiles);
  const residentId = time(compileMask({ fn: 'resident_id' }), ids);
  const ratio = (x: number) => Math.round((x / copy) * 1000) / 1000;
  return { valuesPerSec: { copyLoop: copy, mobile, residentId }, ratioToCopy: { mobile: ratio(mobile), residentId: ratio(residentId) } };
}

/** Both servers must return the same 100 rows, Warden's governed: L4 mobiles masked, no errors. */
async function checkSameWork(governedPort: number, plainPort: number, auth: Record<string, string>): Promise<void> {
  const ask = async (port: number, headers: Record<string, string>) => {
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: QUERY }),
    });
    return (await res.json()) as { data?: { enterprises: { edges: { node: Record<string, string | null> }[] } }; errors?: unknown[] };
  };
  const [g, p] = await Promise.all([ask(governedPort, auth), ask(plainPort, {})]);
  const gn = g.data?.enterprises.edges.map((e) => e.node) ?? [];
  const pn = p.data?.enterprises.edges.map((e) => e.node) ?? [];
  const ok =
    !g.errors &&
    !p.errors &&
    gn.length === 100 &&
    pn.length === 100 &&
    gn.every(
      (n, i) => n.name === pn[i]?.name && n.legalRepMobile !== pn[i]?.legalRepMobile && /^\d{3}\*{4}\d{4}$/.test(String(n.legalRepMobile)),
    );
  if (!ok)
    throw new Error(
      `the two servers do not do the same work: ${JSON.stringify({ governed: g.errors ?? gn[0], plain: p.errors ?? pn[0] })}`,
    );
}

const servers = await startServers();
try {
  const auth = { authorization: `Bearer ${servers.key}` };
  await checkSameWork(servers.governed, servers.plain, auth);
  process.stdout.write(`query: ${QUERY}\nwarming up…\n`);
  await Promise.all([load(servers.governed, auth), load(servers.plain, {})]);
  const governed: Sample[] = [];
  const plain: Sample[] = [];
  for (let i = 0; i < rounds; i++) {
    plain.push(await load(servers.plain, {}));
    governed.push(await load(servers.governed, auth));
    process.stdout.write(
      `round ${i + 1}/${rounds}: plain ${Math.round(plain[i]!.requests / plain[i]!.seconds)} req/s, governed ${Math.round(governed[i]!.requests / governed[i]!.seconds)} req/s\n`,
    );
  }
  const g = summarise(governed);
  const p = summarise(plain);
  const masking = maskThroughput();
  const result = {
    when: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version },
    settings: {
      seconds,
      rounds,
      connections,
      rowsPerPage: 100,
      fields: PLAIN_FIELDS.length,
      enterprises: Number(process.env.BENCH_ENTERPRISES ?? 5000),
    },
    governedRead: { governed: g, plain: p, ratio: Math.round((g.reqPerSec / p.reqPerSec) * 1000) / 1000 },
    masking,
  };
  process.stdout.write(
    [
      '',
      'governed read (100 rows × 10 fields, 4 of them L3/L4), interleaved:',
      `  plain mercurius  ${p.reqPerSec} req/s  p50 ${p.p50ms} ms  p99 ${p.p99ms} ms`,
      `  Warden governed  ${g.reqPerSec} req/s  p50 ${g.p50ms} ms  p99 ${g.p99ms} ms  (non-2xx ${g.non2xx}, errors ${g.errors})`,
      `  ratio governed/plain: ${result.governedRead.ratio}×  (target ≥ 0.85×)`,
      'masking (values/s, one core):',
      `  copy loop ${masking.valuesPerSec.copyLoop}  mobile ${masking.valuesPerSec.mobile} (${masking.ratioToCopy.mobile}×)  resident ID ${masking.valuesPerSec.residentId} (${masking.ratioToCopy.residentId}×)`,
      '',
    ].join('\n'),
  );
  await mkdir(path.join(here, 'results'), { recursive: true });
  await writeFile(path.join(here, 'results', 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await stopServers(servers);
}
