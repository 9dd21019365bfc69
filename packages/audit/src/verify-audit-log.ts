/**
 * `verifyAuditLog`: reads the checkpoints (database and file) and streams
 * warden.audit_events in seq order in keyset batches through the pure checks
 * of verify-core.ts, stopping as soon as the verdict cannot change.
 */
import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import { AUDIT_ROW_COLUMNS, type AuditRow } from './audit-record.js';
import type { HashAlgorithm } from './canonical.js';
import { type Checkpoint, parseCheckpointLine } from './checkpoint.js';
import { checkCheckpoints, createLogCheck, type Problem, type VerifyResult } from './verify-core.js';

export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.Client, 'query'>;

export interface VerifyAuditLogOptions {
  pool: Queryable;
  /** The checkpoint signing key's public half (PEM). */
  publicKeyPem: string;
  /**
   * The checkpoint copy outside the database (JSON lines). Named but absent while the
   * database holds checkpoints, it is a problem from seq 1 (the file was removed);
   * absent with no checkpoints yet, the log is checked without it.
   */
  checkpointFile?: string;
  /** When set, every event must be hashed with it; otherwise each event's own (sha256 or sm3). */
  hashAlgorithm?: HashAlgorithm;
  /** Events per query (default 5000). */
  batchSize?: number;
}

interface CheckpointRow {
  tree_size: string;
  head_hash: Buffer;
  ts: Date;
  prev_signature: Buffer | null;
  signature: Buffer;
  key_id: string;
}

/** The checkpoints in the database after tree size `after` (all by default), and always the last one. */
export async function readDbCheckpoints(pool: Queryable, after = 0): Promise<Checkpoint[]> {
  const { rows } = await (pool as Pick<pg.Pool, 'query'>).query<CheckpointRow>(
    `SELECT c.tree_size::text AS tree_size, c.head_hash, c.ts, c.prev_signature, c.signature, c.key_id FROM warden.audit_checkpoints c
      WHERE c.tree_size > $1 OR c.tree_size = (SELECT max(tree_size) FROM warden.audit_checkpoints) ORDER BY c.tree_size`,
    [after],
  );
  return rows.map((r) => ({
    treeSize: Number(r.tree_size),
    headHash: r.head_hash,
    ts: r.ts,
    prevSignature: r.prev_signature,
    signature: r.signature,
    keyId: r.key_id,
  }));
}

/** The checkpoints of a file; a torn last line (no newline: a write cut short) is ignored, any other bad line is a problem. */
export function parseCheckpointFile(text: string): { checkpoints: Checkpoint[]; problems: Problem[] } {
  const lines = text.split('\n');
  const torn = lines.pop(); // '' when the file ends with a newline
  const checkpoints: Checkpoint[] = [];
  const problems: Problem[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      checkpoints.push(parseCheckpointLine(line));
    } catch {
      const from = (checkpoints[checkpoints.length - 1]?.treeSize ?? 0) + 1;
      problems.push({ seq: from, reason: `line ${i + 1} of the checkpoint file is malformed` });
    }
  });
  if (torn?.trim()) {
    try {
      checkpoints.push(parseCheckpointLine(torn));
    } catch {
      // a write cut short; the next checkpoint repeats what it would have said
    }
  }
  return { checkpoints, problems };
}

/** The file's text, or undefined when there is no such file. */
async function readCheckpointFile(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export async function verifyAuditLog(opts: VerifyAuditLogOptions): Promise<VerifyResult> {
  const publicKey = createPublicKey(opts.publicKeyPem);
  const pool = opts.pool as Pick<pg.Pool, 'query'>;
  // The file first: the checkpointer appends a line only after its row committed, so every line
  // read here is in the database read next, even while a server keeps checkpointing.
  const text = opts.checkpointFile ? await readCheckpointFile(opts.checkpointFile) : undefined;
  const file = text === undefined ? undefined : parseCheckpointFile(text);
  const db = await readDbCheckpoints(pool);
  const checked = checkCheckpoints({ db, file: file?.checkpoints, publicKey });
  const problems = [...checked.problems, ...(file?.problems ?? [])];
  if (opts.checkpointFile && !file && db.length) {
    // The checkpointer creates the file before it commits its first checkpoint: absent now, it was removed.
    problems.push({
      seq: 1,
      reason: `checkpoint file missing: ${opts.checkpointFile} is absent but the database holds signed checkpoints`,
    });
  }
  if (file) {
    // The checkpointer copies every database checkpoint to the file before it appends a new one:
    // one the file skips (before its last line) is a disagreement too.
    const inFile = new Set(file.checkpoints.map((c) => c.treeSize));
    const lastInFile = Math.max(0, ...inFile);
    let prev = 0;
    for (const c of checked.checkpoints) {
      if (c.treeSize < lastInFile && !inFile.has(c.treeSize)) {
        problems.push({ seq: prev + 1, reason: `checkpoint ${c.treeSize} is in the database but missing from the checkpoint file` });
      }
      prev = c.treeSize;
    }
  }
  const check = createLogCheck({ checkpoints: checked.checkpoints, problems, hashAlgorithm: opts.hashAlgorithm });
  const batch = opts.batchSize ?? 5000;
  let after = 0;
  for (;;) {
    const { rows } = await pool.query<AuditRow>(
      `SELECT ${AUDIT_ROW_COLUMNS} FROM warden.audit_events e WHERE e.seq > $1 ORDER BY e.seq LIMIT $2`,
      [after, batch],
    );
    for (const row of rows) {
      check.add(row);
      if (check.settled) return check.result(false);
    }
    if (rows.length < batch) return check.result(true);
    after = Number((rows[rows.length - 1] as AuditRow).seq);
  }
}
