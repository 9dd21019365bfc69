/**
 * Coalesces concurrent reloads without losing one: every call takes a ticket
 * and returns only once a run that *began after* its ticket has finished. A
 * call made while a run is in flight waits for that run and then for one more,
 * so a change committed before the call is never answered by an older read.
 * A failed run rejects the calls waiting on it.
 */
export function coalesce(run: () => Promise<void>): () => Promise<void> {
  let wanted = 0;
  let done = 0;
  let running: Promise<void> | undefined;
  return async () => {
    const ticket = ++wanted;
    while (done < ticket) {
      running ??= (async () => {
        const target = wanted;
        await run();
        done = Math.max(done, target);
      })().finally(() => {
        running = undefined;
      });
      await running;
    }
  };
}
