/** Streams one table's chunks into PostgreSQL with COPY FROM STDIN (text format), honouring backpressure. */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StoreName } from '@warden/core';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { withBulkClient } from '../bulk-client.js';
import type { Chunk, TableJob } from './chunks.js';

export async function copyTable(pool: pg.Pool, store: StoreName, job: TableJob, onChunk: (c: Chunk) => void): Promise<number> {
  try {
    return await withBulkClient(pool, async (client) => {
      const columns = job.columns.map((c) => `"${c}"`).join(', ');
      const sink = client.query(copyFrom(`COPY "${job.table}" (${columns}) FROM STDIN`));
      const source = Readable.from(
        (function* () {
          for (const chunk of job.chunks()) {
            onChunk(chunk);
            yield chunk.text;
          }
        })(),
        { objectMode: false, highWaterMark: 1 << 18 },
      );
      await pipeline(source, sink);
      return sink.rowCount;
    });
  } catch (e) {
    throw new Error(`seeding ${store}.${job.table} failed: ${(e as Error).message}`, { cause: e });
  }
}
