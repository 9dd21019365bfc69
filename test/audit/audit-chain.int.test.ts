/**
 * The tamper-evident audit log on the real PostgreSQL: the hash chain the sink
 * writes (two sinks racing included), signed checkpoints in the database and a
 * file, the verifier naming the first bad sequence number after a superuser
 * edits the table behind the triggers' back, and the database's own refusals
 * (triggers and roles).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  type AuditEvent,
  checkpointLine,
  createAuditReader,
  createCheckpointer,
  createPgAuditSink,
  ensureSigningKey,
  generateSigningKey,
  hashSourceIp,
  readDbCheckpoints,
  signCheckpoint,
  type Timer,
  verifyAuditLog,
} from '@warden/audit';
import { fixedClock } from '@warden/core';
import { ensureDatabase, migrate, withDatabase } from '@warden/stores';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createTestDatabases, dropDatabases, type TestDatabases } from '../support/databases.js';

const event = (i: number, more: Partial<AuditEvent> = {}): AuditEvent => ({
  eventId: randomUUID(),
  ts: new Date(Date.UTC(2026, 10, 2, 2, 0, i)),
  actorId: randomUUID(),
  actorName: `analyst-${i}`,
  roles: ['analyst'],
  auth: ['pwd', 'otp'],
  sourceIp: `198.51.100.${i % 250}`,
  requestId: `req-${i}`,
  action: 'graphql.read',
  operation: 'Q',
  operationHash: 'f'.repeat(64),
  highestLevel: 'L4',
  fields: [
    {
      field: 'Enterprise.legalRepMobile',
      urn: 'urn:warden:enterprise:public.enterprises.legal_rep_mobile',
      level: 'L4',
      disclosure: 'CLEAR',
    },
  ],
  counts: { CLEAR: i },
  rows: i,
  outcome: 'ALLOWED',
  sessionId: 'ab'.repeat(16),
  grantId: randomUUID(),
  purpose: `quarterly review "${i}"\n\ttabs, quotes, 中文 and \u0001`,
  subject: 'urn:warden:enterprise:*',
  detail: { z: [1, 2.5, -0, 1e21, null, true], a: { é: 'x', '\u{1F600}': 'smile' }, n: 1e-7 },
  ...more,
});

/** A manual timer: tests fire the tick. */
function manualTimer(): Timer & { fire(): void; period?: number } {
  let tick: (() => void) | undefined;
  const t: Timer & { fire(): void; period?: number } = {
    every(ms, fn) {
      t.period = ms;
      tick = fn;
      return { cancel: () => (tick = undefined) };
    },
    fire: () => tick?.(),
  };
  return t;
}

let dbs: TestDatabases;
let dir: string;
const ipKey = randomBytes(32);
beforeAll(async () => {
  dbs = await createTestDatabases();
  dir = await mkdtemp(path.join(os.tmpdir(), 'warden-audit-'));
});
afterAll(async () => {
  await dbs?.drop();
  await rm(dir, { recursive: true, force: true });
});

/** Fresh databases of its own for one test, dropped after it. */
async function withDatabases(fn: (w: TestDatabases) => Promise<void>): Promise<void> {
  const w = await createTestDatabases();
  try {
    await fn(w);
  } finally {
    await w.drop();
  }
}

/** A superuser on its own connection, as psql would be. */
async function asSuperuser<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Runs SQL with the audit triggers disabled, the way an administrator would try to edit the log. */
const behindTheTriggers = (url: string, sql: string, params: unknown[] = []) =>
  asSuperuser(url, async (c) => {
    await c.query('ALTER TABLE warden.audit_events DISABLE TRIGGER USER');
    await c.query('ALTER TABLE warden.audit_checkpoints DISABLE TRIGGER USER');
    try {
      await c.query(sql, params);
    } finally {
      await c.query('ALTER TABLE warden.audit_events ENABLE TRIGGER USER');
      await c.query('ALTER TABLE warden.audit_checkpoints ENABLE TRIGGER USER');
    }
  });

describe('the hash chain the sink writes', () => {
  it('links every event to the one before, stores source addresses only as keyed hashes, and verifies', async () => {
    const key = generateSigningKey();
    const sink = createPgAuditSink(dbs.control, { ipKey });
    const events = Array.from({ length: 30 }, (_, i) => event(i + 1));
    await Promise.all(events.map((e) => sink.append(e)));
    await sink.append(event(31, { actorId: undefined, sourceIp: undefined, detail: undefined, grantId: undefined, sessionId: undefined }));
    await sink.close();
    const { rows } = await dbs.control.query(
      'SELECT seq::int AS seq, source_ip, prev_hash, hash, alg, detail FROM warden.audit_events ORDER BY seq',
    );
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(rows[0].prev_hash.equals(Buffer.alloc(32))).toBe(true);
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash.equals(rows[i - 1].hash)).toBe(true);
    expect(rows.every((r) => r.alg === 'sha256')).toBe(true);
    const stored = new Set(rows.map((r) => r.source_ip));
    for (const e of events) expect(stored.has(hashSourceIp(ipKey, e.sourceIp as string))).toBe(true);
    const { rows: plain } = await dbs.control.query(
      "SELECT count(*)::int AS n FROM warden.audit_events WHERE source_ip LIKE '198.51.100.%'",
    );
    expect(plain[0].n).toBe(0);
    expect(await verifyAuditLog({ pool: dbs.control, publicKeyPem: key.publicKeyPem })).toEqual({ ok: true, events: 31, checkpoints: 0 });
    expect((await verifyAuditLog({ pool: dbs.control, publicKeyPem: key.publicKeyPem, batchSize: 7 })).ok).toBe(true);
  });

  it('continues the chain with SM3 when configured; each event names its algorithm', async () => {
    const key = generateSigningKey();
    const sink = createPgAuditSink(dbs.control, { ipKey, hashAlgorithm: 'sm3' });
    await Promise.all(Array.from({ length: 5 }, (_, i) => sink.append(event(100 + i))));
    await sink.close();
    const { rows } = await dbs.control.query("SELECT count(*)::int AS n FROM warden.audit_events WHERE alg = 'sm3'");
    expect(rows[0].n).toBe(5);
    expect(await verifyAuditLog({ pool: dbs.control, publicKeyPem: key.publicKeyPem })).toMatchObject({ ok: true, events: 36 });
    expect(await verifyAuditLog({ pool: dbs.control, publicKeyPem: key.publicKeyPem, hashAlgorithm: 'sm3' })).toMatchObject({
      ok: false,
      firstBadSeq: 1,
      reason: 'event 1 is hashed with sha256, not sm3',
    });
  });

  it('stays gap-free and verifiable when two sinks (two processes) append to one database at once', async () => {
    const key = generateSigningKey();
    const before = Number((await dbs.control.query('SELECT max(seq) AS s FROM warden.audit_events')).rows[0].s);
    const other = new pg.Pool({ connectionString: dbs.urls.control, max: 5 });
    const lostRaces: string[] = []; // what the database told the second writer when the first got there first
    const query = other.query.bind(other) as (...args: unknown[]) => Promise<unknown>;
    (other as unknown as { query: typeof query }).query = (...args) =>
      query(...args).catch((e: { code?: string }) => {
        lostRaces.push(String(e.code));
        throw e;
      });
    try {
      const a = createPgAuditSink(dbs.control, { ipKey, maxBatch: 7 });
      const b = createPgAuditSink(other, { ipKey, maxBatch: 5, hashAlgorithm: 'sm3' });
      // b learns the head, a moves it on: b's next batch is chained on a stale head, refused, and retried.
      await b.append(event(0));
      await a.append(event(0));
      await b.append(event(1));
      expect(lostRaces.length).toBeGreaterThan(0);
      const appends: Promise<void>[] = [];
      for (let i = 2; i < 200; i++) {
        appends.push(a.append(event(i)));
        appends.push(b.append(event(i)));
        if (i % 10 === 0) await new Promise((r) => setImmediate(r)); // let batches interleave
      }
      await Promise.all(appends);
      await Promise.all([a.close(), b.close()]);
    } finally {
      await other.end();
    }
    const { rows } = await dbs.control.query(
      'SELECT count(*)::int AS n, max(seq)::int AS top, count(DISTINCT alg)::int AS algs FROM warden.audit_events',
    );
    expect(rows[0]).toEqual({ n: before + 399, top: before + 399, algs: 2 });
    expect(lostRaces.every((c) => c === '23505' || c === 'WA001')).toBe(true);
    expect(await verifyAuditLog({ pool: dbs.control, publicKeyPem: key.publicKeyPem })).toEqual({
      ok: true,
      events: before + 399,
      checkpoints: 0,
    });
  });

  it('refuses, in the database, an event that does not extend the chain', async () => {
    const head = (await dbs.control.query('SELECT max(seq)::int AS s FROM warden.audit_events')).rows[0].s as number;
    const insert = (seq: number, prev: Buffer) =>
      dbs.control.query(
        `INSERT INTO warden.audit_events (seq, event_id, ts, actor_name, roles, auth, action, outcome, alg, prev_hash, hash)
         VALUES ($1, $2, now(), 'x', '{}', '{}', 'auth.login', 'DENIED', 'sha256', $3, $4)`,
        [seq, randomUUID(), prev, randomBytes(32)],
      );
    const last = (await dbs.control.query('SELECT hash FROM warden.audit_events WHERE seq = $1', [head])).rows[0].hash as Buffer;
    await expect(insert(head + 2, last)).rejects.toMatchObject({ code: 'WA001' }); // a gap
    await expect(insert(head + 1, randomBytes(32))).rejects.toMatchObject({ code: 'WA001' }); // not linked
    await expect(insert(head, last)).rejects.toMatchObject({ code: '23505' }); // taken
  });
});

describe('checkpoints', () => {
  it('keeps the signing key under secrets (0600) and the public key beside the checkpoints', async () => {
    const paths = {
      keyFile: path.join(dir, 'home', 'secrets', 'audit-signing.key'),
      publicKeyFile: path.join(dir, 'home', 'audit', 'signing.pub'),
    };
    const first = await ensureSigningKey(paths);
    expect((await stat(paths.keyFile)).mode & 0o777).toBe(0o600);
    expect(await readFile(paths.publicKeyFile, 'utf8')).toBe(first.publicKeyPem);
    expect(first.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    const again = await ensureSigningKey(paths);
    expect(again.keyId).toBe(first.keyId);
    await rm(paths.publicKeyFile);
    expect((await ensureSigningKey(paths)).publicKeyPem).toBe(first.publicKeyPem); // rewritten from the private key
  });

  it('signs the head on each tick when events are new, after every N events, and once more on close', async () => {
    await withDatabases(async (w) => {
      const key = generateSigningKey();
      const file = path.join(dir, 'cp1', 'checkpoints.jsonl');
      const clock = fixedClock('2026-11-02T02:00:00Z');
      const timer = manualTimer();
      const errors: unknown[] = [];
      const cp = createCheckpointer({
        pool: w.control,
        privateKey: key.privateKey,
        file,
        clock,
        timer,
        everyEvents: 10,
        onError: (e) => errors.push(e),
      });
      const sink = createPgAuditSink(w.control, { ipKey, onCommit: (h) => cp.observe(h.seq) });
      cp.start();
      expect(timer.period).toBe(60_000);
      timer.fire(); // nothing logged yet
      expect(await cp.checkpoint()).toBeUndefined();
      for (let i = 0; i < 3; i++) await sink.append(event(i));
      clock.advance(60_000);
      timer.fire();
      expect(await cp.checkpoint()).toBeUndefined(); // the tick already signed 3
      let db = await readDbCheckpoints(w.control);
      expect(db.map((c) => [c.treeSize, c.ts.toISOString()])).toEqual([[3, '2026-11-02T02:01:00.000Z']]);
      timer.fire(); // no new events: no checkpoint
      await Promise.all(Array.from({ length: 12 }, (_, i) => sink.append(event(i)))); // 15 ≥ 3 + 10: without a tick
      expect(await cp.checkpoint()).toBeUndefined();
      db = await readDbCheckpoints(w.control);
      expect(db.map((c) => c.treeSize)).toEqual([3, 15]);
      expect(db[1]?.prevSignature?.equals(db[0]?.signature as Buffer)).toBe(true);
      await sink.append(event(99));
      await sink.close();
      await cp.close();
      timer.fire(); // the timer is gone
      db = await readDbCheckpoints(w.control);
      expect(db.map((c) => c.treeSize)).toEqual([3, 15, 16]);
      const lines = (await readFile(file, 'utf8')).trim().split('\n');
      expect(lines).toEqual(db.map(checkpointLine));
      expect(errors).toEqual([]);
      expect(await verifyAuditLog({ pool: w.control, publicKeyPem: key.publicKeyPem, checkpointFile: file })).toEqual({
        ok: true,
        events: 16,
        checkpoints: 3,
      });
    });
  });

  it('keeps one signature chain when two processes checkpoint one database, each file holding them all', async () => {
    await withDatabases(async (w) => {
      const key = generateSigningKey();
      const files = [path.join(dir, 'cp2', 'a.jsonl'), path.join(dir, 'cp2', 'b.jsonl')];
      const [a, b] = files.map((file) => createCheckpointer({ pool: w.control, privateKey: key.privateKey, file, timer: manualTimer() }));
      const sink = createPgAuditSink(w.control, { ipKey });
      for (let round = 0; round < 4; round++) {
        await sink.append(event(round));
        await Promise.all([a?.checkpoint(), b?.checkpoint()]);
      }
      await sink.close();
      await Promise.all([a?.close(), b?.close()]);
      const db = await readDbCheckpoints(w.control);
      expect(db.map((c) => c.treeSize)).toEqual([1, 2, 3, 4]);
      for (const file of files) {
        expect(await verifyAuditLog({ pool: w.control, publicKeyPem: key.publicKeyPem, checkpointFile: file })).toEqual({
          ok: true,
          events: 4,
          checkpoints: 4,
        });
      }
    });
  });

  it('refuses, in the database, a checkpoint that does not extend the signature chain or names another head', async () => {
    const key = generateSigningKey();
    const head = (await dbs.control.query('SELECT seq::int AS seq, hash FROM warden.audit_events ORDER BY seq DESC LIMIT 1')).rows[0];
    const insert = (c: ReturnType<typeof signCheckpoint>) =>
      dbs.control.query(
        'INSERT INTO warden.audit_checkpoints (tree_size, head_hash, ts, prev_signature, signature, key_id) VALUES ($1, $2, $3, $4, $5, $6)',
        [c.treeSize, c.headHash, c.ts, c.prevSignature, c.signature, c.keyId],
      );
    const ts = new Date();
    await expect(
      insert(signCheckpoint({ treeSize: head.seq, headHash: randomBytes(32), ts, prevSignature: null }, key.privateKey)),
    ).rejects.toMatchObject({
      code: 'WA001',
    });
    await expect(
      insert(signCheckpoint({ treeSize: head.seq, headHash: head.hash, ts, prevSignature: randomBytes(64) }, key.privateKey)),
    ).rejects.toMatchObject({
      code: 'WA001',
    });
  });
});

describe('verifying a log someone edited behind the triggers', () => {
  const key = generateSigningKey();
  let w: TestDatabases;
  let file: string;

  beforeAll(async () => {
    w = await createTestDatabases();
    file = path.join(dir, 'tamper', 'checkpoints.jsonl');
    const cp = createCheckpointer({ pool: w.control, privateKey: key.privateKey, file, timer: manualTimer() });
    const sink = createPgAuditSink(w.control, { ipKey });
    for (let i = 1; i <= 20; i++) {
      await sink.append(event(i));
      if (i === 10) await cp.checkpoint();
    }
    await sink.close();
    await cp.close(); // checkpoints at 10 and 20
    await asSuperuser(w.urls.control, async (c) => {
      await c.query('CREATE TABLE public.events_copy AS SELECT * FROM warden.audit_events');
      await c.query('CREATE TABLE public.checkpoints_copy AS SELECT * FROM warden.audit_checkpoints');
    });
    await copyFile(file, `${file}.orig`);
  });
  afterAll(async () => {
    await w?.drop();
  });
  beforeEach(async () => {
    // Each case starts from the intact log.
    await behindTheTriggers(
      w.urls.control,
      `DELETE FROM warden.audit_events; INSERT INTO warden.audit_events SELECT * FROM public.events_copy;
       DELETE FROM warden.audit_checkpoints; INSERT INTO warden.audit_checkpoints SELECT * FROM public.checkpoints_copy;`,
    );
    await copyFile(`${file}.orig`, file);
  });

  const verify = () => verifyAuditLog({ pool: w.control, publicKeyPem: key.publicKeyPem, checkpointFile: file });
  const tamper = (sql: string, params: unknown[] = []) => behindTheTriggers(w.urls.control, sql, params);

  it('finds the intact log intact', async () => {
    expect(await verify()).toEqual({ ok: true, events: 20, checkpoints: 2 });
  });

  it('names a modified event', async () => {
    await tamper("UPDATE warden.audit_events SET outcome = 'DENIED' WHERE seq = 7");
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 7, reason: 'event 7 was altered: its hash does not match its content' });
  });

  it('names a modified jsonb value, even one a reader would not notice', async () => {
    await tamper(`UPDATE warden.audit_events SET detail = jsonb_set(detail, '{n}', '2e-7') WHERE seq = 12`);
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 12 });
  });

  it('names a deleted event', async () => {
    await tamper('DELETE FROM warden.audit_events WHERE seq = 7');
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 7, reason: 'event 7 is missing' });
  });

  it('names the first of two events whose contents were swapped (reordered)', async () => {
    await tamper(`
      UPDATE warden.audit_events SET seq = 1000 WHERE seq = 4;
      UPDATE warden.audit_events SET seq = 4 WHERE seq = 9;
      UPDATE warden.audit_events SET seq = 9 WHERE seq = 1000;`);
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 4, reason: 'event 4 was altered: its hash does not match its content' });
  });

  it('names the first missing event of a truncated tail, from the checkpoint in the database or the file', async () => {
    await tamper('DELETE FROM warden.audit_events WHERE seq > 13');
    expect(await verify()).toMatchObject({
      ok: false,
      firstBadSeq: 14,
      reason: 'the log ends at event 13 but checkpoint 20 was signed (tail truncated)',
    });
    await tamper('DELETE FROM warden.audit_checkpoints WHERE tree_size = 20'); // the last checkpoint goes too: the file still has it
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 14 });
    expect(await verifyAuditLog({ pool: w.control, publicKeyPem: key.publicKeyPem })).toMatchObject({ ok: true, events: 13 }); // why the file exists
  });

  it('names the start of the unvouched events when a checkpoint is forged', async () => {
    const forger = generateSigningKey();
    const [c10] = await readDbCheckpoints(w.control);
    const head = (await w.control.query('SELECT hash FROM warden.audit_events WHERE seq = 20')).rows[0].hash as Buffer;
    const forged = signCheckpoint(
      { treeSize: 20, headHash: head, ts: new Date(), prevSignature: c10?.signature ?? null },
      forger.privateKey,
    );
    await tamper('UPDATE warden.audit_checkpoints SET signature = $1, key_id = $2, ts = $3 WHERE tree_size = 20', [
      forged.signature,
      key.keyId,
      forged.ts,
    ]);
    expect(await verify()).toMatchObject({
      ok: false,
      firstBadSeq: 11,
      reason: 'checkpoint 20 in the database differs from the checkpoint file',
    });
    await writeFile(file, `${checkpointLine(c10 as never)}\n${checkpointLine({ ...forged, keyId: key.keyId })}\n`);
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 11, reason: 'checkpoint 20: the signature does not verify' });
  });

  it('names the start of the rewritten range when the tail is rewritten with recomputed hashes', async () => {
    // Events 15–20 get a new actor and a consistent chain; only the signed checkpoint at 20 can tell.
    const { rows } = await w.control.query('SELECT * FROM warden.audit_events ORDER BY seq');
    const { canonicalRecord, canonicalBytes, chainHash } = await import('@warden/audit');
    let prev = rows[13].hash as Buffer;
    const updates: [number, Buffer, Buffer][] = [];
    for (const r of rows.slice(14)) {
      const record = { ...r, event_id: r.event_id, actor_id: r.actor_id, actor_name: 'someone-else' };
      const hash = chainHash('sha256', prev, canonicalBytes(canonicalRecord(record), Number(r.seq)));
      updates.push([Number(r.seq), prev, hash]);
      prev = hash;
    }
    for (const [seq, p, h] of updates) {
      await tamper("UPDATE warden.audit_events SET actor_name = 'someone-else', prev_hash = $2, hash = $3 WHERE seq = $1", [seq, p, h]);
    }
    expect(await verifyAuditLog({ pool: w.control, publicKeyPem: key.publicKeyPem, checkpointFile: undefined })).toMatchObject({
      ok: false,
      firstBadSeq: 11,
      reason: 'checkpoint 20 names another head hash than event 20: events from 11 were rewritten',
    });
  });

  it('names the earlier of two events that no longer link after one was rewritten with its own hash', async () => {
    const r = (await w.control.query('SELECT * FROM warden.audit_events WHERE seq = 15')).rows[0];
    const { canonicalRecord, canonicalBytes, chainHash } = await import('@warden/audit');
    const hash = chainHash('sha256', r.prev_hash, canonicalBytes(canonicalRecord({ ...r, outcome: 'DENIED' }), 15));
    await tamper("UPDATE warden.audit_events SET outcome = 'DENIED', hash = $1 WHERE seq = 15", [hash]);
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 15, reason: 'events 15 and 16 do not link: one of them was rewritten' });
  });

  it('names seq 1 when the checkpoint file is missing but the database holds checkpoints, for the CLI and for auditors', async () => {
    await rm(file);
    const reason = `checkpoint file missing: ${file} is absent but the database holds signed checkpoints`;
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 1, reason });
    const reader = createAuditReader(w.control, { publicKeyPem: key.publicKeyPem, checkpointFile: file });
    expect(await reader.verify()).toMatchObject({ ok: false, firstBadSeq: 1, reason });
  });

  it('the deny twin: no checkpoint file and no checkpoints yet is not a problem', async () => {
    await withDatabases(async (fresh) => {
      const sink = createPgAuditSink(fresh.control, { ipKey });
      await sink.append(event(1));
      await sink.close();
      const none = path.join(dir, 'never', 'checkpoints.jsonl');
      expect(await verifyAuditLog({ pool: fresh.control, publicKeyPem: key.publicKeyPem, checkpointFile: none })).toEqual({
        ok: true,
        events: 1,
        checkpoints: 0,
      });
      // The checkpointer creates its file before its first checkpoint commits: from then on, absent means removed.
      const cp = createCheckpointer({ pool: fresh.control, privateKey: key.privateKey, file: none, timer: manualTimer() });
      await cp.close();
      expect(await verifyAuditLog({ pool: fresh.control, publicKeyPem: key.publicKeyPem, checkpointFile: none })).toEqual({
        ok: true,
        events: 1,
        checkpoints: 1,
      });
    });
  });

  it('names a checkpoint deleted from the database that the file still has', async () => {
    await tamper('DELETE FROM warden.audit_checkpoints WHERE tree_size = 10');
    expect(await verify()).toMatchObject({
      ok: false,
      firstBadSeq: 10,
      reason: 'checkpoint 10 is in the checkpoint file but missing from the database',
    });
  });
});

describe('a tail deleted or rewritten behind the triggers while a server runs', () => {
  /** A sink and checkpointer that committed 1–20, then an administrator edits the tail. */
  async function running(w: TestDatabases, name: string) {
    const key = generateSigningKey();
    const cp = createCheckpointer({
      pool: w.control,
      privateKey: key.privateKey,
      file: path.join(dir, name, 'cp.jsonl'),
      timer: manualTimer(),
    });
    const sink = createPgAuditSink(w.control, { ipKey, onCommit: (h) => cp.observe(h.seq, h.hash) });
    for (let i = 1; i <= 20; i++) await sink.append(event(i));
    return { key, cp, sink };
  }
  const count = async (w: TestDatabases) =>
    (
      await w.control.query(
        'SELECT (SELECT count(*) FROM warden.audit_events)::int AS events, (SELECT count(*) FROM warden.audit_checkpoints)::int AS checkpoints',
      )
    ).rows[0];

  it('the sink fails closed instead of chaining onto a shortened tail, and the checkpointer refuses to sign it', async () => {
    await withDatabases(async (w) => {
      const { cp, sink } = await running(w, 'shortened');
      await behindTheTriggers(w.urls.control, 'DELETE FROM warden.audit_events WHERE seq > 15');
      // The next batch (seq 21) is refused by the chain trigger; the reloaded head (15) is behind what this sink committed.
      await expect(sink.append(event(21))).rejects.toMatchObject({
        code: 'AUDIT_TAMPERED',
        message: expect.stringContaining('the log ends at event 15 but event 20 was committed'),
      });
      await expect(sink.append(event(22))).rejects.toMatchObject({ code: 'AUDIT_TAMPERED' }); // and stays closed
      await expect(cp.checkpoint()).rejects.toMatchObject({ code: 'AUDIT_TAMPERED' });
      expect(await count(w)).toEqual({ events: 15, checkpoints: 0 });
      await sink.close();
      await expect(cp.close()).rejects.toMatchObject({ code: 'AUDIT_TAMPERED' });
      expect(await count(w)).toEqual({ events: 15, checkpoints: 0 });
    });
  });

  it('the sink fails closed instead of chaining onto a tail rewritten with recomputed hashes, and nothing is signed', async () => {
    await withDatabases(async (w) => {
      const { cp, sink } = await running(w, 'rewritten');
      const { rows } = await w.control.query('SELECT * FROM warden.audit_events WHERE seq >= 14 ORDER BY seq');
      const { canonicalRecord, canonicalBytes, chainHash } = await import('@warden/audit');
      let prev = rows[0].hash as Buffer;
      for (const r of rows.slice(1)) {
        const hash = chainHash('sha256', prev, canonicalBytes(canonicalRecord({ ...r, actor_name: 'someone-else' }), Number(r.seq)));
        await behindTheTriggers(
          w.urls.control,
          "UPDATE warden.audit_events SET actor_name = 'someone-else', prev_hash = $2, hash = $3 WHERE seq = $1",
          [r.seq, prev, hash],
        );
        prev = hash;
      }
      await expect(sink.append(event(21))).rejects.toMatchObject({
        code: 'AUDIT_TAMPERED',
        message: expect.stringContaining('event 20 no longer has the hash it was committed with'),
      });
      await expect(cp.checkpoint()).rejects.toMatchObject({ code: 'AUDIT_TAMPERED' });
      expect(await count(w)).toEqual({ events: 20, checkpoints: 0 });
      await sink.close();
    });
  });

  it('the deny twin: a sink still continues after another writer extended the intact chain, and the checkpointer signs it', async () => {
    await withDatabases(async (w) => {
      const { cp, sink } = await running(w, 'intact');
      const other = createPgAuditSink(w.control, { ipKey });
      await other.append(event(21));
      await other.close();
      await sink.append(event(22)); // lost the race on 21: reloads, finds its own 20 intact, chains on 21
      expect((await cp.checkpoint())?.treeSize).toBe(22);
      await sink.close();
      await cp.close();
      expect(await count(w)).toEqual({ events: 22, checkpoints: 1 });
    });
  });
});

describe('the database refuses changes to the audit tables', () => {
  it('refuses UPDATE, DELETE and TRUNCATE even to the owner while the triggers are on', async () => {
    const cp = createCheckpointer({
      pool: dbs.control,
      privateKey: generateSigningKey().privateKey,
      file: path.join(dir, 'refusals.jsonl'),
      timer: manualTimer(),
    });
    await cp.close(); // one checkpoint to refuse changes to
    for (const table of ['audit_events', 'audit_checkpoints']) {
      const key = table === 'audit_events' ? 'seq' : 'tree_size';
      await expect(dbs.control.query(`UPDATE warden.${table} SET ${key} = ${key}`)).rejects.toMatchObject({
        code: 'WA002',
        message: `warden.${table} is insert-only: UPDATE refused`,
      });
      await expect(dbs.control.query(`DELETE FROM warden.${table}`)).rejects.toMatchObject({
        code: 'WA002',
        message: `warden.${table} is insert-only: DELETE refused`,
      });
      await expect(dbs.control.query(`TRUNCATE warden.${table}`)).rejects.toMatchObject({
        code: 'WA002',
        message: `warden.${table} is insert-only: TRUNCATE refused`,
      });
    }
    const { rows } = await dbs.control.query('SELECT count(*)::int AS n FROM warden.audit_events');
    expect(rows[0].n).toBeGreaterThan(0);
  });

  /** Runs `sql` as `role` in a transaction that is rolled back. */
  const asRole = (role: string, sql: string) =>
    asSuperuser(dbs.urls.control, async (c) => {
      await c.query('BEGIN');
      try {
        await c.query(`SET LOCAL ROLE ${role}`);
        return await c.query(sql);
      } finally {
        await c.query('ROLLBACK');
      }
    });

  it('lets the application role read and append, never update, delete or truncate', async () => {
    expect((await asRole('warden_app', 'SELECT count(*) FROM warden.audit_events')).rowCount).toBe(1);
    expect((await asRole('warden_app', 'SELECT count(*) FROM warden.audit_checkpoints')).rowCount).toBe(1);
    for (const sql of [
      "UPDATE warden.audit_events SET outcome = 'DENIED'",
      'DELETE FROM warden.audit_events',
      'TRUNCATE warden.audit_events',
      'DELETE FROM warden.audit_checkpoints',
      'TRUNCATE warden.audit_checkpoints',
    ]) {
      await expect(asRole('warden_app', sql)).rejects.toMatchObject({
        code: '42501',
        message: expect.stringMatching(/^permission denied for table audit_/),
      });
    }
  });

  it('gives the system administrator role nothing on the audit tables', async () => {
    for (const table of ['audit_events', 'audit_checkpoints']) {
      await expect(asRole('warden_sysadmin', `SELECT * FROM warden.${table}`)).rejects.toMatchObject({
        code: '42501',
        message: `permission denied for table ${table}`,
      });
    }
    await expect(asRole('warden_sysadmin', 'TRUNCATE warden.audit_events')).rejects.toMatchObject({ code: '42501' });
  });

  it('lets the auditor role read, and nothing else', async () => {
    expect((await asRole('warden_auditor', 'SELECT seq FROM warden.audit_events LIMIT 1')).rowCount).toBe(1);
    expect((await asRole('warden_auditor', 'SELECT * FROM warden.audit_checkpoints')).command).toBe('SELECT');
    await expect(
      asRole(
        'warden_auditor',
        "INSERT INTO warden.audit_events (seq, event_id, ts, actor_name, roles, auth, action, outcome, alg, prev_hash, hash) SELECT 1, gen_random_uuid(), now(), 'x', '{}', '{}', 'a', 'b', 'sha256', hash, hash FROM warden.audit_events LIMIT 1",
      ),
    ).rejects.toMatchObject({ code: '42501', message: 'permission denied for table audit_events' });
    await expect(asRole('warden_auditor', 'DELETE FROM warden.audit_events')).rejects.toMatchObject({ code: '42501' });
  });
});

describe('an install that already has audit rows', () => {
  it('chains them in the migration (renumbered gap-free, plain-text addresses dropped), so the whole log verifies and the sink continues it', async () => {
    const base = inject('pgBaseUrl');
    const name = `legacy_${randomBytes(4).toString('hex')}`;
    await ensureDatabase(base, name);
    const pool = new pg.Pool({ connectionString: withDatabase(base, name), max: 3 });
    try {
      const { MIGRATIONS_DIR } = await import('../../packages/stores/src/migrate.js');
      const older = path.join(dir, 'older-migrations');
      await mkdir(older, { recursive: true });
      for (const f of ['001_init.sql', '002_settings.sql']) await copyFile(path.join(MIGRATIONS_DIR, 'warden', f), path.join(older, f));
      await migrate(pool, 'warden', older);
      // As the old sink wrote them (seq from a sequence, with a gap where an insert rolled back).
      for (const [seq, e] of [
        [1, event(1)],
        [2, event(2, { actorId: undefined, operation: undefined, sourceIp: undefined })],
        [5, event(5, { fields: [], counts: {}, rows: 0, outcome: 'DENIED', reasonCode: 'FORBIDDEN' })],
      ] as const) {
        await pool.query(
          `INSERT INTO warden.audit_events (seq, event_id, ts, actor_id, actor_name, roles, auth, source_ip, request_id, action, operation,
             operation_hash, highest_level, fields, counts, rows, outcome, reason_code)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
          [
            seq,
            e.eventId,
            e.ts,
            e.actorId ?? null,
            `${e.actorName} "quoted"\n\u0007`,
            e.roles,
            e.auth,
            e.sourceIp ?? null, // in plain text, as the old sink stored it
            e.requestId,
            e.action,
            e.operation ?? null,
            e.operationHash,
            e.highestLevel,
            JSON.stringify([...e.fields, { field: 'X.y', urn: 'urn:ü', level: 'L3', disclosure: 'MASK', detail: 'a\\b' }]),
            JSON.stringify({ ...e.counts, MASK: 1.0, big: 12345678901234 }),
            e.rows,
            e.outcome,
            e.reasonCode ?? null,
          ],
        );
      }
      await migrate(pool, 'warden');
      const { rows } = await pool.query('SELECT seq::int AS seq, source_ip, detail FROM warden.audit_events ORDER BY seq');
      // STANDARDS §7: no plain-text address survives into the chain; the drop is noted in the event.
      expect(rows).toEqual([
        { seq: 1, source_ip: null, detail: { legacy_ip_dropped: true } },
        { seq: 2, source_ip: null, detail: null },
        { seq: 3, source_ip: null, detail: { legacy_seq: 5, legacy_ip_dropped: true } },
      ]);
      const key = generateSigningKey();
      expect(await verifyAuditLog({ pool, publicKeyPem: key.publicKeyPem })).toEqual({ ok: true, events: 3, checkpoints: 0 });
      const sink = createPgAuditSink(pool, { ipKey });
      await sink.append(event(6));
      await sink.close();
      expect(await verifyAuditLog({ pool, publicKeyPem: key.publicKeyPem })).toEqual({ ok: true, events: 4, checkpoints: 0 });
    } finally {
      await pool.end();
      await dropDatabases(base, [name]);
    }
  });
});
