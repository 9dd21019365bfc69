/** A progress bar for `warden scan` on a terminal (cli-progress, as the seed generator uses). */
import cliProgress from 'cli-progress';
import type { ScanProgress } from './scanner.js';

export function terminalScanProgress(stream: NodeJS.WriteStream, label: string): ScanProgress {
  const bar = new cliProgress.SingleBar(
    { format: `scan ${label} [{bar}] {value}/{total} columns | {column}`, stream, fps: 5, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (total) => bar.start(total, 0, { column: '' }),
    tick: (column) => bar.increment(1, { column }),
    stop: () => bar.stop(),
  };
}
