import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditRow } from './audit-record.js';
import { type AuditRecord, canonicalBytes, canonicalRecord, chainHash, GENESIS_HASH } from './canonical.js';
import { type Checkpoint, signCheckpoint } from './checkpoint.js';
import { checkCheckpoints, createLogCheck } from './verify-core.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');

const base: AuditRecord = {
  event_id: '00000000-0000-4000-8000-000000000000',
  ts: new Date('2026-11-02T02:00:00Z'),
  actor_id: null,
  actor_name: 'app',
  roles: ['app'],
  auth: ['key'],
  source_ip: null,
  request_id: null,
  action: 'graphql.read',
  operation: null,
  operation_hash: null,
  highest_level: 'L3',
  fields: [],
  counts: {},
  rows: 0,
  outcome: 'ALLOWED',
  reason_code: null,
  session_id: null,
  grant_id: null,
  purpose: null,
  subject: null,
  detail: null,
  alg: 'sha256',
};

/** A valid log of n rows. */
function log(n: number): AuditRow[] {
  const rows: AuditRow[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const record = { ...base, rows: seq, alg: seq % 3 === 0 ? ('sm3' as const) : ('sha256' as const) };
    const hash = chainHash(record.alg, prev, canonicalBytes(canonicalRecord(record), seq));
    rows.push({ ...record, seq: String(seq), prev_hash: prev, hash });
    prev = hash;
  }
  return rows;
}

/** Signed checkpoints at the given tree sizes of `rows`. */
function checkpoints(rows: AuditRow[], sizes: number[]): Checkpoint[] {
  const out: Checkpoint[] = [];
  for (const treeSize of sizes) {
    const prev = out[out.length - 1];
    out.push(
      signCheckpoint(
        {
          treeSize,
          headHash: (rows[treeSize - 1] as AuditRow).hash,
          ts: new Date(Date.UTC(2026, 10, 2, 2, treeSize)),
          prevSignature: prev?.signature ?? null,
        },
        privateKey,
      ),
    );
  }
  return out;
}

function run(rows: AuditRow[], cps: Checkpoint[] = [], file?: Checkpoint[]) {
  const checked = checkCheckpoints({ db: cps, file, publicKey });
  const check = createLogCheck({ checkpoints: checked.checkpoints, problems: checked.problems });
  for (const r of rows) {
    check.add(r);
    if (check.settled) return check.result(false);
  }
  return check.result(true);
}

describe('checking the events', () => {
  it('accepts an intact log, mixed algorithms included', () => {
    const rows = log(12);
    expect(run(rows, checkpoints(rows, [5, 12]))).toEqual({ ok: true, events: 12, checkpoints: 2 });
    expect(run([])).toEqual({ ok: true, events: 0, checkpoints: 0 });
  });

  it('names a modified event and stops reading once nothing later can come first', () => {
    const rows = log(12);
    rows[4] = { ...(rows[4] as AuditRow), actor_name: 'mallory' };
    expect(run(rows)).toEqual({
      ok: false,
      events: 5,
      checkpoints: 0,
      firstBadSeq: 5,
      reason: 'event 5 was altered: its hash does not match its content',
    });
  });

  it('names a missing event, a wrong genesis, an unknown algorithm and a broken link', () => {
    const rows = log(6);
    expect(run(rows.filter((r) => r.seq !== '3'))).toMatchObject({ firstBadSeq: 3, reason: 'event 3 is missing' });
    const first = rows[0] as AuditRow;
    const hash = chainHash('sha256', Buffer.alloc(32, 1), canonicalBytes(canonicalRecord({ ...base, rows: 1 }), 1));
    expect(run([{ ...first, prev_hash: Buffer.alloc(32, 1), hash }])).toMatchObject({
      firstBadSeq: 1,
      reason: 'event 1 does not start from the genesis hash',
    });
    expect(run([{ ...first, alg: 'md5' }])).toMatchObject({ firstBadSeq: 1, reason: 'event 1 names an unknown hash algorithm' });
    const fourth = rows[3] as AuditRow;
    const rewritten = { ...fourth, outcome: 'DENIED' };
    rewritten.hash = chainHash('sha256', fourth.prev_hash, canonicalBytes(canonicalRecord({ ...rewritten, alg: 'sha256' }), 4));
    expect(run([...rows.slice(0, 3), rewritten, ...rows.slice(4)])).toMatchObject({
      firstBadSeq: 4,
      reason: 'events 4 and 5 do not link: one of them was rewritten',
    });
  });

  it('demands one algorithm when asked', () => {
    const check = createLogCheck({ checkpoints: [], hashAlgorithm: 'sha256' });
    for (const r of log(3)) check.add(r);
    expect(check.result(true)).toMatchObject({ ok: false, firstBadSeq: 3, reason: 'event 3 is hashed with sm3, not sha256' });
  });
});

describe('checking the checkpoints', () => {
  const rows = log(30);
  const cps = checkpoints(rows, [10, 20, 30]);

  it('names the first event after the last good checkpoint when one is forged or out of chain', () => {
    const other = generateKeyPairSync('ed25519');
    const forged = signCheckpoint({ ...(cps[1] as Checkpoint) }, other.privateKey);
    expect(run(rows, [cps[0] as Checkpoint, forged, cps[2] as Checkpoint])).toMatchObject({
      firstBadSeq: 11,
      reason: `checkpoint 20 is signed by key ${forged.keyId}, not ${(cps[0] as Checkpoint).keyId}`,
    });
    expect(run(rows, [cps[0] as Checkpoint, { ...forged, keyId: (cps[1] as Checkpoint).keyId }, cps[2] as Checkpoint])).toMatchObject({
      firstBadSeq: 11,
      reason: 'checkpoint 20: the signature does not verify',
    });
    expect(run(rows, [cps[0] as Checkpoint, cps[2] as Checkpoint])).toMatchObject({
      firstBadSeq: 11,
      reason: 'checkpoint 30 does not follow the signature of checkpoint 10',
    });
    expect(run(rows, [cps[1] as Checkpoint])).toMatchObject({
      firstBadSeq: 1,
      reason: 'checkpoint 20 is the first but names a previous signature',
    });
  });

  it('names the first unvouched event when the head at a checkpoint differs (the range was rewritten, hashes and all)', () => {
    const wrongHead = signCheckpoint({ ...(cps[1] as Checkpoint), headHash: Buffer.alloc(32, 9) }, privateKey);
    const third = signCheckpoint({ ...(cps[2] as Checkpoint), prevSignature: wrongHead.signature }, privateKey);
    expect(run(rows, [cps[0] as Checkpoint, wrongHead, third])).toMatchObject({
      firstBadSeq: 11,
      reason: 'checkpoint 20 names another head hash than event 20: events from 11 were rewritten',
    });
  });

  it('names a truncated tail', () => {
    expect(run(rows.slice(0, 24), cps)).toEqual({
      ok: false,
      events: 24,
      checkpoints: 3,
      firstBadSeq: 25,
      reason: 'the log ends at event 24 but checkpoint 30 was signed (tail truncated)',
    });
  });

  it('holds the file copy against the database', () => {
    expect(run(rows, cps, cps)).toEqual({ ok: true, events: 30, checkpoints: 3 });
    expect(run(rows, cps, cps.slice(0, 2))).toMatchObject({ ok: true }); // the file may lag behind the database
    const altered = { ...(cps[1] as Checkpoint), ts: new Date(0) };
    expect(run(rows, [cps[0] as Checkpoint, altered, cps[2] as Checkpoint], cps)).toMatchObject({
      firstBadSeq: 11,
      reason: 'checkpoint 20 in the database differs from the checkpoint file',
    });
    // Checkpoint and tail deleted from the database: the file still knows.
    expect(run(rows.slice(0, 24), cps.slice(0, 2), cps)).toMatchObject({
      firstBadSeq: 25,
      reason: 'the log ends at event 24 but checkpoint 30 was signed (tail truncated)',
    });
    expect(run(rows, [cps[0] as Checkpoint, cps[2] as Checkpoint], cps)).toMatchObject({
      firstBadSeq: 20,
      reason: 'checkpoint 20 is in the checkpoint file but missing from the database',
    });
  });
});

describe('reading the checkpoint file', () => {
  const rows = log(20);
  const [a, b] = checkpoints(rows, [10, 20]) as [Checkpoint, Checkpoint];

  it('reads one checkpoint per line and ignores a last line cut short', async () => {
    const { parseCheckpointFile } = await import('./verify-audit-log.js');
    const { checkpointLine } = await import('./checkpoint.js');
    const text = `${checkpointLine(a)}\n${checkpointLine(b)}\n`;
    expect(parseCheckpointFile(text).checkpoints.map((c) => c.treeSize)).toEqual([10, 20]);
    expect(parseCheckpointFile(`${checkpointLine(a)}\n${checkpointLine(b).slice(0, 40)}`)).toMatchObject({ problems: [] });
    expect(parseCheckpointFile(`${checkpointLine(a)}\n${checkpointLine(b)}`).checkpoints).toHaveLength(2); // complete but unterminated
    expect(parseCheckpointFile(`${checkpointLine(a)}\nnot json\n${checkpointLine(b)}\n`).problems).toEqual([
      { seq: 11, reason: 'line 2 of the checkpoint file is malformed' },
    ]);
  });
});
