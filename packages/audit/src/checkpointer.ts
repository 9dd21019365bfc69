/**
 * The checkpointer: signs the head of the chain into warden.audit_checkpoints
 * and appends the same checkpoint as a JSON line to a file outside the
 * database — on a timer tick (default every 60 s) when new events exist,
 * after every N events the sink reports (default 10,000), and once more on
 * close. Processes sharing the database take turns under an advisory lock;
 * checkpoints another process wrote are copied to this file before the new
 * one, so the file holds every checkpoint up to its last line.
 *
 * It never signs a head below the highest one the sink reported (observe),
 * nor one whose event at that seq has another hash than reported: a tail
 * deleted or rewritten behind the triggers is refused (AUDIT_TAMPERED), not
 * vouched for.
 */
import type { KeyObject } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { type Clock, inTransaction, systemClock } from '@warden/core';
import type pg from 'pg';
import { type Checkpoint, checkpointLine, parseCheckpointLine, signCheckpoint } from './checkpoint.js';
import { assertChainHolds, loadChainHead } from './pg-audit-sink.js';
import { readDbCheckpoints } from './verify-audit-log.js';

/** The timer port: tests drive ticks by hand. */
export interface Timer {
  every(ms: number, tick: () => void): { cancel(): void };
}

export const systemTimer: Timer = {
  every(ms, tick) {
    const handle = setInterval(tick, ms);
    handle.unref();
    return { cancel: () => clearInterval(handle) };
  },
};

export interface CheckpointerOptions {
  pool: pg.Pool;
  privateKey: KeyObject;
  /** The JSON-lines copy outside the database, e.g. <WARDEN_HOME>/audit/checkpoints.jsonl. */
  file: string;
  clock?: Clock;
  timer?: Timer;
  /** Tick period: a checkpoint at least this often while events arrive (default 60 000 ms). */
  intervalMs?: number;
  /** A checkpoint after this many new events, without waiting for the tick (default 10 000). */
  everyEvents?: number;
  /** Failures of background checkpoints (ticks, event counts). */
  onError?: (e: unknown) => void;
}

export interface Checkpointer {
  /** Starts the timer. */
  start(): void;
  /**
   * The sink's head after a commit: checkpoints when everyEvents have accumulated.
   * No later checkpoint signs a head below it (or, given its hash, with another event at its seq).
   */
  observe(treeSize: number, headHash?: Buffer): void;
  /** Signs the head now if it moved; undefined when there was nothing new. */
  checkpoint(): Promise<Checkpoint | undefined>;
  /** Stops the timer, waits for a checkpoint in flight and writes a final one. */
  close(): Promise<void>;
}

const LOCK = 'warden.audit_checkpoints';

/** The tree size of the file's last complete line (0 for none or no file). */
async function lastInFile(file: string): Promise<number> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(length);
    await handle.read(buf, 0, length, size - length);
    const lines = buf.toString('utf8').split('\n').slice(0, -1).reverse(); // complete lines, last first
    for (const line of lines) {
      try {
        return parseCheckpointLine(line).treeSize;
      } catch {
        // a torn or partial line: look further back
      }
    }
    return 0;
  } finally {
    await handle.close();
  }
}

/** Creates the file (empty) if it is not there: from the first checkpoint on, a missing file means a removed one. */
async function ensureFile(file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
  const handle = await open(file, 'a', 0o644);
  await handle.close();
}

async function appendLines(file: string, checkpoints: readonly Checkpoint[]): Promise<void> {
  if (!checkpoints.length) return;
  await mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
  const handle = await open(file, 'a', 0o644);
  try {
    await handle.appendFile(checkpoints.map((c) => `${checkpointLine(c)}\n`).join(''), 'utf8');
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

export function createCheckpointer(opts: CheckpointerOptions): Checkpointer {
  const clock = opts.clock ?? systemClock;
  const timer = opts.timer ?? systemTimer;
  const everyEvents = opts.everyEvents ?? 10_000;
  const onError = opts.onError ?? (() => {});
  let ticking: { cancel(): void } | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let busy = 0;
  let lastTreeSize = 0;
  /** The highest head the sink reported (its hash when given). */
  let observed: { seq: number; hash?: Buffer } = { seq: 0 };
  let fileLast: number | undefined;
  let closed = false;

  async function once(): Promise<Checkpoint | undefined> {
    if (fileLast === undefined) {
      await ensureFile(opts.file); // before any checkpoint of ours commits
      fileLast = await lastInFile(opts.file);
    }
    const known = fileLast;
    const { made, copy, last } = await inTransaction(opts.pool, async (client: pg.PoolClient) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LOCK]);
      const head = await loadChainHead(client);
      await assertChainHolds(client, head, observed); // never vouch for a shortened or rewritten tail
      const existing = await readDbCheckpoints(client, known);
      const last = existing[existing.length - 1];
      const copy = existing.filter((c) => c.treeSize > known);
      if (head.seq <= (last?.treeSize ?? 0)) return { made: undefined, copy, last };
      const made = signCheckpoint(
        { treeSize: head.seq, headHash: head.hash, ts: clock.now(), prevSignature: last?.signature ?? null },
        opts.privateKey,
      );
      await client.query(
        'INSERT INTO warden.audit_checkpoints (tree_size, head_hash, ts, prev_signature, signature, key_id) VALUES ($1::int8, $2, $3, $4, $5, $6)',
        [made.treeSize, made.headHash, made.ts, made.prevSignature, made.signature, made.keyId],
      );
      copy.push(made);
      return { made, copy, last };
    });
    lastTreeSize = Math.max(lastTreeSize, made?.treeSize ?? last?.treeSize ?? 0);
    // After the commit: a crash here leaves the database one checkpoint ahead of the file, which the next one repairs.
    await appendLines(opts.file, copy);
    fileLast = Math.max(fileLast, ...copy.map((c) => c.treeSize));
    return made;
  }

  /** One checkpoint at a time in this process. */
  function checkpoint(): Promise<Checkpoint | undefined> {
    busy += 1;
    const next = running.then(once, once).finally(() => {
      busy -= 1;
    });
    running = next.catch(() => {});
    return next;
  }

  function background(): void {
    if (busy > 0 || closed) return;
    checkpoint().catch(onError);
  }

  return {
    start() {
      if (closed || ticking) return;
      ticking = timer.every(opts.intervalMs ?? 60_000, background);
    },
    observe(treeSize, headHash) {
      if (treeSize > observed.seq) observed = { seq: treeSize, hash: headHash };
      if (treeSize - lastTreeSize >= everyEvents) background();
    },
    checkpoint,
    async close() {
      if (closed) return;
      closed = true;
      ticking?.cancel();
      await running;
      await checkpoint();
    },
  };
}
