/** What every mask returns for a value it cannot read: it never echoes the input. */
export const REDACTED = '******';

/** Runs of `char`: `runsOf(c)(n)` is `n` of them; runs up to 64 are built once, so the hot path does not allocate them. */
export function runsOf(char: string): (n: number) => string {
  const runs: readonly string[] = Array.from({ length: 65 }, (_, n) => char.repeat(n));
  return (n) => runs[n] ?? char.repeat(n);
}

/** A run of `n` asterisks. */
export const stars = runsOf('*');
