/**
 * The checks of `warden audit verify` (pure): the signed checkpoints among
 * themselves, then every event in seq order. A problem names the first
 * sequence number that can no longer be trusted:
 *  - an event whose hash does not match its content: that event;
 *  - a missing sequence number: that number;
 *  - two self-consistent events that do not link: the earlier (one of them was
 *    rewritten with its hash recomputed);
 *  - a checkpoint that is forged, out of its chain, differs between database
 *    and file, or names another head hash than the event at its tree size:
 *    the first event after the checkpoint before it (everything from there on
 *    is no longer vouched for);
 *  - a checkpoint deleted from the database but kept in the file: its tree size;
 *  - a log shorter than a checkpoint (tail truncation): the first missing seq.
 * The verdict is the problem with the smallest sequence number.
 */
import type { KeyObject } from 'node:crypto';
import type { AuditRow } from './audit-record.js';
import {
  type AuditRecord,
  canonicalBytes,
  canonicalRecord,
  chainHash,
  GENESIS_HASH,
  type HashAlgorithm,
  isHashAlgorithm,
} from './canonical.js';
import { type Checkpoint, checkpointSignatureValid, keyIdOf, sameCheckpoint } from './checkpoint.js';

export interface Problem {
  seq: number;
  reason: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Events checked (all of them when ok; when not, those read before the verdict was certain). */
  events: number;
  checkpoints: number;
  firstBadSeq?: number;
  reason?: string;
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}

/** The checkpoints of the database and of the file, merged by tree size, and what is wrong with them. */
export function checkCheckpoints(input: { db: readonly Checkpoint[]; file?: readonly Checkpoint[]; publicKey: KeyObject }): {
  checkpoints: Checkpoint[];
  problems: Problem[];
} {
  const entries = new Map<number, { db?: Checkpoint; file?: Checkpoint }>();
  for (const c of input.db) entries.set(c.treeSize, { ...entries.get(c.treeSize), db: c });
  for (const c of input.file ?? []) entries.set(c.treeSize, { ...entries.get(c.treeSize), file: c });
  const keyId = keyIdOf(input.publicKey);
  const checkpoints: Checkpoint[] = [];
  const problems: Problem[] = [];
  let prev: Checkpoint | undefined;
  for (const treeSize of [...entries.keys()].sort((a, b) => a - b)) {
    const { db, file } = entries.get(treeSize) as { db?: Checkpoint; file?: Checkpoint };
    const from = (prev?.treeSize ?? 0) + 1;
    const c = (file ?? db) as Checkpoint; // the file's copy is out of the database administrator's reach
    if (db && file && !sameCheckpoint(db, file)) {
      problems.push({ seq: from, reason: `checkpoint ${treeSize} in the database differs from the checkpoint file` });
    } else if (file && !db) {
      problems.push({ seq: treeSize, reason: `checkpoint ${treeSize} is in the checkpoint file but missing from the database` });
    }
    if (c.keyId !== keyId) problems.push({ seq: from, reason: `checkpoint ${treeSize} is signed by key ${c.keyId}, not ${keyId}` });
    else if (!checkpointSignatureValid(c, input.publicKey)) {
      problems.push({ seq: from, reason: `checkpoint ${treeSize}: the signature does not verify` });
    }
    if (!sameBytes(c.prevSignature, prev?.signature ?? null)) {
      problems.push({
        seq: from,
        reason: prev
          ? `checkpoint ${treeSize} does not follow the signature of checkpoint ${prev.treeSize}`
          : `checkpoint ${treeSize} is the first but names a previous signature`,
      });
    }
    checkpoints.push(c);
    prev = c;
  }
  return { checkpoints, problems };
}

function recordOfRow(row: AuditRow, alg: HashAlgorithm): AuditRecord {
  const { seq: _seq, prev_hash: _p, hash: _h, ...rest } = row;
  return { ...rest, alg };
}

export interface LogCheck {
  /** Checks the next event (in seq order). */
  add(row: AuditRow): void;
  /** True when no later event can change the verdict: reading may stop. */
  readonly settled: boolean;
  /** The verdict; `complete` when every event was read (tail truncation is checked then). */
  result(complete: boolean): VerifyResult;
}

export function createLogCheck(input: {
  checkpoints: readonly Checkpoint[];
  problems?: readonly Problem[];
  /** When set, every event must use it. */
  hashAlgorithm?: HashAlgorithm;
}): LogCheck {
  const checkpoints = [...input.checkpoints].sort((a, b) => a.treeSize - b.treeSize);
  let best: Problem | undefined;
  const report = (p: Problem) => {
    if (!best || p.seq < best.seq) best = p;
  };
  for (const p of input.problems ?? []) report(p);
  let expected = 1;
  let prevHash = GENESIS_HASH;
  let events = 0;
  let next = 0; // index of the next checkpoint to meet
  const fromOf = (i: number) => (i > 0 ? (checkpoints[i - 1] as Checkpoint).treeSize : 0) + 1;

  return {
    add(row) {
      const seq = Number(row.seq);
      let linked = true;
      if (seq !== expected) {
        report({ seq: expected, reason: `event ${expected} is missing` });
        linked = false;
      }
      events += 1;
      if (!isHashAlgorithm(row.alg)) report({ seq, reason: `event ${seq} names an unknown hash algorithm` });
      else if (input.hashAlgorithm && row.alg !== input.hashAlgorithm) {
        report({ seq, reason: `event ${seq} is hashed with ${row.alg}, not ${input.hashAlgorithm}` });
      } else {
        let hash: Buffer | undefined;
        try {
          hash = chainHash(row.alg, row.prev_hash, canonicalBytes(canonicalRecord(recordOfRow(row, row.alg)), seq));
        } catch {
          // unencodable content cannot be what the sink hashed
        }
        if (!hash?.equals(row.hash)) report({ seq, reason: `event ${seq} was altered: its hash does not match its content` });
        else if (linked && !row.prev_hash.equals(prevHash)) {
          report(
            seq === 1
              ? { seq: 1, reason: 'event 1 does not start from the genesis hash' }
              : { seq: seq - 1, reason: `events ${seq - 1} and ${seq} do not link: one of them was rewritten` },
          );
        }
      }
      while (next < checkpoints.length && (checkpoints[next] as Checkpoint).treeSize < seq) next++;
      const c = checkpoints[next];
      if (c && c.treeSize === seq) {
        if (!c.headHash.equals(row.hash)) {
          const from = fromOf(next);
          report({ seq: from, reason: `checkpoint ${seq} names another head hash than event ${seq}: events from ${from} were rewritten` });
        }
        next++;
      }
      prevHash = row.hash;
      expected = seq + 1;
    },
    get settled() {
      return best !== undefined && best.seq <= Math.min(expected - 1, next < checkpoints.length ? fromOf(next) : Number.POSITIVE_INFINITY);
    },
    result(complete) {
      const last = checkpoints[checkpoints.length - 1];
      if (complete && last && last.treeSize >= expected) {
        report({
          seq: expected,
          reason: `the log ends at event ${expected - 1} but checkpoint ${last.treeSize} was signed (tail truncated)`,
        });
      }
      return best
        ? { ok: false, events, checkpoints: checkpoints.length, firstBadSeq: best.seq, reason: best.reason }
        : { ok: true, events, checkpoints: checkpoints.length };
    },
  };
}
