/** Rows are generated lazily, a chunk of COPY text at a time, so memory stays bounded at any size. */

export interface Chunk {
  text: string;
  rows: number;
  /** Progress units (enterprises, documents…) the chunk completes. */
  units: number;
}

export interface TableJob {
  table: string;
  columns: readonly string[];
  /** Total progress units. */
  units: number;
  chunks(): Iterable<Chunk>;
}

export type Fill = (unit: number, out: Rows) => void;

export class Rows {
  text = '';
  rows = 0;
  /** Rows of the table written before this chunk. */
  private readonly before: number;

  constructor(before: number) {
    this.before = before;
  }

  /** Id of the next row added: a table's rows are numbered 1, 2, … in the order they are written. */
  nextId(): number {
    return this.before + this.rows + 1;
  }

  add(line: string): void {
    this.text += line;
    this.rows++;
  }
}

export const CHUNK_CHARS = 1 << 16;

/** Calls `fill(unit, out)` for units 1…count and yields the rows in chunks of about CHUNK_CHARS characters. */
export function* chunked(count: number, fill: Fill): Generator<Chunk> {
  let written = 0;
  let out = new Rows(written);
  let units = 0;
  for (let u = 1; u <= count; u++) {
    fill(u, out);
    units++;
    if (out.text.length >= CHUNK_CHARS) {
      yield { text: out.text, rows: out.rows, units };
      written += out.rows;
      out = new Rows(written);
      units = 0;
    }
  }
  if (units) yield { text: out.text, rows: out.rows, units };
}

/** A table filled by `fill` for units 1…units. */
export function tableJob(table: string, columns: readonly string[], units: number, fill: Fill): TableJob {
  return { table, columns, units, chunks: () => chunked(units, fill) };
}
