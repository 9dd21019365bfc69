/** Rows are generated lazily, a chunk of COPY text at a time, so memory stays bounded at any size. */
import type { StoreName } from '@warden/core';

export interface Chunk {
  text: string;
  rows: number;
  /** Progress units (enterprises, documents…) the chunk completes. */
  units: number;
}

export interface TableJob {
  store: StoreName;
  table: string;
  columns: readonly string[];
  /** Total progress units. */
  units: number;
  chunks(): Iterable<Chunk>;
}

export class Rows {
  text = '';
  rows = 0;

  add(line: string): void {
    this.text += line;
    this.rows++;
  }
}

export const CHUNK_CHARS = 1 << 16;

/** Calls `fill(unit, out)` for units 1…count and yields the rows in chunks of about CHUNK_CHARS characters. */
export function* chunked(count: number, fill: (unit: number, out: Rows) => void): Generator<Chunk> {
  let out = new Rows();
  let units = 0;
  for (let u = 1; u <= count; u++) {
    fill(u, out);
    units++;
    if (out.text.length >= CHUNK_CHARS) {
      yield { text: out.text, rows: out.rows, units };
      out = new Rows();
      units = 0;
    }
  }
  if (units) yield { text: out.text, rows: out.rows, units };
}
