/** What every mask returns for a value it cannot read: it never echoes the input. */
export const REDACTED = '******';

const STAR_RUNS: readonly string[] = Array.from({ length: 65 }, (_, n) => '*'.repeat(n));

/** A run of `n` asterisks; runs up to 64 are shared, so the hot path does not allocate them. */
export function stars(n: number): string {
  return STAR_RUNS[n] ?? '*'.repeat(n);
}
