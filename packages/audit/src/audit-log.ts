/**
 * The audit log as a process opens it: the chained sink, the checkpointer
 * (when this process serves and a checkpoint file is given) fed by the
 * sink's commits, and the reader for auditors. One close for all three.
 */
import type pg from 'pg';
import type { AuditSink } from './audit-event.js';
import { type AuditReader, createAuditReader } from './audit-reader.js';
import type { HashAlgorithm } from './canonical.js';
import { type Checkpointer, createCheckpointer } from './checkpointer.js';
import { createPgAuditSink } from './pg-audit-sink.js';
import { generateSigningKey, type SigningKey } from './signing-key.js';

export interface AuditLogOptions {
  hashAlgorithm?: HashAlgorithm;
  /** 32 bytes keying the source-address hashes (default: random, for tests). */
  ipKey?: Buffer;
  /** The checkpoint signing key (default: a random one held in memory, for tests). */
  signing?: SigningKey;
  /** The checkpoint copy outside the database, <WARDEN_HOME>/audit/checkpoints.jsonl. */
  checkpointFile?: string;
  /** Start the checkpointer (the serving process; needs checkpointFile). */
  checkpoints?: boolean;
  log?: (s: string) => void;
}

export interface AuditLog {
  sink: AuditSink;
  reader: AuditReader;
  checkpointer?: Checkpointer;
  /** Flushes the sink, then writes the final checkpoint. */
  close(): Promise<void>;
}

export function openAuditLog(pool: pg.Pool, opts: AuditLogOptions = {}): AuditLog {
  const signing = opts.signing ?? generateSigningKey();
  let checkpointer: Checkpointer | undefined;
  const sink = createPgAuditSink(pool, {
    hashAlgorithm: opts.hashAlgorithm,
    ipKey: opts.ipKey,
    onCommit: (head) => checkpointer?.observe(head.seq, head.hash),
  });
  if (opts.checkpoints && opts.checkpointFile) {
    checkpointer = createCheckpointer({
      pool,
      privateKey: signing.privateKey,
      file: opts.checkpointFile,
      onError: (e) => opts.log?.(`audit checkpoint failed: ${String(e)}`),
    });
    checkpointer.start();
  }
  return {
    sink,
    reader: createAuditReader(pool, {
      publicKeyPem: signing.publicKeyPem,
      checkpointFile: opts.checkpointFile,
      hashAlgorithm: opts.hashAlgorithm,
    }),
    checkpointer,
    async close() {
      try {
        await sink.close();
      } finally {
        await checkpointer?.close();
      }
    },
  };
}
