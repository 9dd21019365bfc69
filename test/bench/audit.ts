/**
 * `pnpm bench:audit`: the tamper-evident audit log on the real (embedded)
 * PostgreSQL —
 *  1. append events/s through the group-commit sink, from 1 caller (no
 *     batching possible) and from many concurrent callers, SHA-256 and SM3;
 *  2. verification events/s (`verifyAuditLog` over everything appended, with
 *     a signed checkpoint and its file), beside canonical form + hash in memory;
 *  3. governed read throughput with the audit write on vs off in the same run
 *     (two serve.ts processes, BENCH_AUDIT=off for the second, rounds interleaved).
 * Prints figures and ratios and writes test/bench/results/latest-audit.json.
 * Asserts nothing about time.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AuditEvent,
  type AuditField,
  canonicalBytes,
  canonicalRecord,
  chainHash,
  createCheckpointer,
  createPgAuditSink,
  GENESIS_HASH,
  generateSigningKey,
  type HashAlgorithm,
  jcs,
  recordOf,
  verifyAuditLog,
} from '@warden/audit';
import { type EmbeddedServer, migrate, startEmbeddedPostgres, withDatabase } from '@warden/stores';
import pg from 'pg';
import { connections, load, QUERY, rounds, type Sample, seconds, type Servers, startServers, stopServers, summarise } from './read-load.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const concurrentEvents = Number(process.env.BENCH_AUDIT_EVENTS ?? 20_000);
const sequentialEvents = Number(process.env.BENCH_AUDIT_SEQUENTIAL ?? 1_000);
const callersList = (process.env.BENCH_AUDIT_CALLERS ?? '16,128').split(',').map(Number);

// A governed read's event: five L3/L4 fields, the field list shared as a cached plan shares it.
const FIELDS: AuditField[] = ['legalRepIdNumber', 'legalRepMobile', 'legalRepHomeAddress', 'contactEmail', 'legalRepName'].map((f) => ({
  field: `Enterprise.${f}`,
  urn: `urn:warden:enterprise:public.enterprises.${f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`,
  level: f === 'contactEmail' || f === 'legalRepName' ? 'L3' : 'L4',
  disclosure: 'MASK',
  detail: 'mask',
}));
const event = (): AuditEvent => ({
  eventId: randomUUID(),
  ts: new Date(),
  actorId: randomUUID(),
  actorName: 'bench-app',
  roles: ['app'],
  auth: ['key'],
  sourceIp: '127.0.0.1',
  requestId: randomUUID(),
  action: 'graphql.read',
  operation: undefined,
  operationHash: 'a'.repeat(64),
  highestLevel: 'L4',
  fields: FIELDS,
  counts: { MASK: 500 },
  rows: 100,
  outcome: 'ALLOWED',
});

const round1 = (x: number) => Math.round(x * 10) / 10;
const secondsSince = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

async function freshDatabase(baseUrl: string, name: string): Promise<pg.Pool> {
  const admin = new pg.Client({ connectionString: withDatabase(baseUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const pool = new pg.Pool({ connectionString: withDatabase(baseUrl, name), max: 10 }); // the product's pool size
  await migrate(pool, 'warden');
  return pool;
}

interface AppendFigure {
  alg: HashAlgorithm;
  callers: number;
  events: number;
  seconds: number;
  eventsPerSec: number;
  /** Events per INSERT (= per transaction): what group commit achieved. */
  eventsPerInsert: number;
}

async function appendRun(pool: pg.Pool, alg: HashAlgorithm, callers: number, events: number): Promise<AppendFigure> {
  const sink = createPgAuditSink(pool, { hashAlgorithm: alg, ipKey: randomBytes(32) });
  const before = Number((await pool.query('SELECT coalesce(max(seq), 0) AS s FROM warden.audit_events')).rows[0].s);
  let issued = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (issued < events) {
        issued += 1;
        await sink.append(event());
      }
    }),
  );
  const secs = secondsSince(t0);
  await sink.close();
  const { rows } = await pool.query('SELECT count(DISTINCT xmin::text)::int AS tx FROM warden.audit_events WHERE seq > $1', [before]);
  return {
    alg,
    callers,
    events,
    seconds: Math.round(secs * 100) / 100,
    eventsPerSec: Math.round(events / secs),
    eventsPerInsert: round1(events / rows[0].tx),
  };
}

/** Canonical form + chain hash alone, in memory (the CPU part of appending and verifying). */
function hashInMemory(alg: HashAlgorithm): number {
  const ipKey = randomBytes(32);
  const n = 50_000;
  const memo = new Map<unknown, string>([[FIELDS, jcs(FIELDS)]]); // as the sink serialises a cached plan's field list once
  const encode = (v: unknown) => memo.get(v) ?? jcs(v);
  let prev = GENESIS_HASH;
  const t0 = process.hrtime.bigint();
  for (let i = 1; i <= n; i++) {
    const c = canonicalRecord(recordOf(event(), { alg, ipKey }), encode);
    prev = chainHash(alg, prev, canonicalBytes(c, i));
  }
  return Math.round(n / secondsSince(t0));
}

async function readRounds(on: Servers, off: Servers) {
  const ask = async (s: Servers) => {
    const res = await fetch(`http://127.0.0.1:${s.governed}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.key}` },
      body: JSON.stringify({ query: QUERY }),
    });
    return (await res.json()) as { data?: unknown; errors?: unknown };
  };
  const [a, b] = await Promise.all([ask(on), ask(off)]);
  if (a.errors || b.errors || JSON.stringify(a.data) !== JSON.stringify(b.data)) {
    throw new Error(`audit on and off do not serve the same page: ${JSON.stringify({ on: a.errors, off: b.errors })}`);
  }
  const authOn = { authorization: `Bearer ${on.key}` };
  const authOff = { authorization: `Bearer ${off.key}` };
  process.stdout.write('governed read: warming up…\n');
  await Promise.all([load(on.governed, authOn), load(off.governed, authOff)]);
  const samples = { on: [] as Sample[], off: [] as Sample[] };
  for (let i = 0; i < rounds; i++) {
    // Alternate which goes first, so a drifting machine favours neither.
    const order = i % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const);
    for (const which of order)
      samples[which].push(await load(which === 'on' ? on.governed : off.governed, which === 'on' ? authOn : authOff));
    const rate = (s: Sample[]) => Math.round((s[i] as Sample).requests / (s[i] as Sample).seconds);
    process.stdout.write(`round ${i + 1}/${rounds}: audit off ${rate(samples.off)} req/s, audit on ${rate(samples.on)} req/s\n`);
  }
  const auditOn = summarise(samples.on);
  const auditOff = summarise(samples.off);
  return { auditOn, auditOff, ratio: Math.round((auditOn.reqPerSec / auditOff.reqPerSec) * 1000) / 1000 };
}

let embedded: EmbeddedServer | undefined;
let baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  // The server role: serve.ts processes attach to it.
  embedded = await startEmbeddedPostgres({ dir: path.join(root, '.warden-bench', 'pg'), role: 'server' });
  baseUrl = embedded.baseUrl;
}
const scratch = await mkdtemp(path.join(os.tmpdir(), 'warden-bench-audit-'));
try {
  // 1. Appends.
  const pool = await freshDatabase(baseUrl, 'bench_audit');
  const append: AppendFigure[] = [];
  try {
    const runs: [HashAlgorithm, number, number][] = [
      ['sha256', 1, sequentialEvents],
      ...callersList.map((c): [HashAlgorithm, number, number] => ['sha256', c, concurrentEvents]),
      ['sm3', callersList[callersList.length - 1] ?? 128, concurrentEvents],
    ];
    await appendRun(pool, 'sha256', 16, 2000); // warm-up (JIT, connections, buffers)
    for (const [alg, callers, events] of runs) {
      const f = await appendRun(pool, alg, callers, events);
      append.push(f);
      process.stdout.write(`append ${alg}, ${callers} caller(s): ${f.eventsPerSec} events/s (${f.eventsPerInsert} events per INSERT)\n`);
    }

    // 2. Verification of everything appended (both algorithms), with a signed checkpoint in the table and the file.
    const key = generateSigningKey();
    const file = path.join(scratch, 'checkpoints.jsonl');
    await createCheckpointer({ pool, privateKey: key.privateKey, file }).close();
    const t0 = process.hrtime.bigint();
    const verdict = await verifyAuditLog({ pool, publicKeyPem: key.publicKeyPem, checkpointFile: file });
    const verifySecs = secondsSince(t0);
    if (!verdict.ok) throw new Error(`the benchmark's own log does not verify: ${verdict.reason}`);
    const verify = {
      events: verdict.events,
      seconds: Math.round(verifySecs * 100) / 100,
      eventsPerSec: Math.round(verdict.events / verifySecs),
    };
    const inMemory = { sha256: hashInMemory('sha256'), sm3: hashInMemory('sm3') };
    process.stdout.write(
      `verify: ${verify.eventsPerSec} events/s over ${verify.events} events; canonical form + hash in memory: SHA-256 ${inMemory.sha256}/s, SM3 ${inMemory.sm3}/s\n`,
    );

    // 3. Governed reads with the audit write on and off, in the same run.
    const off = await startServers({ BENCH_AUDIT: 'off' });
    let read: Awaited<ReturnType<typeof readRounds>>;
    try {
      const on = await startServers(); // started second: it resets the audit table the other one never writes
      try {
        read = await readRounds(on, off);
      } finally {
        await stopServers(on);
      }
    } finally {
      await stopServers(off);
    }

    const sequential = append[0] as AppendFigure;
    const best = append.filter((f) => f.alg === 'sha256').reduce((a, f) => (f.eventsPerSec > a.eventsPerSec ? f : a));
    const sm3 = append[append.length - 1] as AppendFigure;
    const sha256Same = append.find((f) => f.alg === 'sha256' && f.callers === sm3.callers) ?? best;
    const ratios = {
      groupCommitOverSequential: Math.round((best.eventsPerSec / sequential.eventsPerSec) * 100) / 100,
      sm3OverSha256Append: Math.round((sm3.eventsPerSec / sha256Same.eventsPerSec) * 1000) / 1000,
      verifyOverBestAppend: Math.round((verify.eventsPerSec / best.eventsPerSec) * 100) / 100,
      governedReadAuditOnOverOff: read.ratio,
    };
    const result = {
      when: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version },
      settings: { concurrentEvents, sequentialEvents, callers: callersList, seconds, rounds, connections, poolSize: 10 },
      append,
      verify,
      inMemoryEventsPerSec: inMemory,
      governedRead: read,
      ratios,
    };
    process.stdout.write(
      [
        '',
        'audit append (group commit, one INSERT per batch, pool of 10):',
        ...append.map(
          (f) =>
            `  ${f.alg.padEnd(6)} ${String(f.callers).padStart(3)} caller(s)  ${f.eventsPerSec} events/s  (${f.eventsPerInsert} events per INSERT)`,
        ),
        `  group commit / one caller: ${ratios.groupCommitOverSequential}×   SM3 / SHA-256: ${ratios.sm3OverSha256Append}×`,
        `audit verify: ${verify.eventsPerSec} events/s (${verify.events} events, ${verify.seconds} s) — ${ratios.verifyOverBestAppend}× the best append rate`,
        'governed read (100 rows × 10 fields, 4 of them L3/L4), interleaved:',
        `  audit off  ${read.auditOff.reqPerSec} req/s  p50 ${read.auditOff.p50ms} ms  p99 ${read.auditOff.p99ms} ms`,
        `  audit on   ${read.auditOn.reqPerSec} req/s  p50 ${read.auditOn.p50ms} ms  p99 ${read.auditOn.p99ms} ms  (non-2xx ${read.auditOn.non2xx}, errors ${read.auditOn.errors})`,
        `  ratio on/off: ${read.ratio}×`,
        '',
      ].join('\n'),
    );
    await mkdir(path.join(here, 'results'), { recursive: true });
    await writeFile(path.join(here, 'results', 'latest-audit.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await pool.end();
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
  await embedded?.stop();
}
