import { describe, expect, it } from 'vitest';
import { coalesce } from './coalesce.js';

/** A run whose completion the test controls; `reads` records the state each run saw when it began. */
function controlled() {
  let state = 0;
  const reads: number[] = [];
  const pending: (() => void)[] = [];
  const run = () =>
    new Promise<void>((resolve) => {
      reads.push(state);
      pending.push(resolve);
    });
  const finishNext = async () => {
    pending.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { run, reads, pending, finishNext, change: () => (state += 1) };
}

describe('coalescing reloads', () => {
  it('a call made during a run waits for a fresh run, so it never sees an older read', async () => {
    const c = controlled();
    const reload = coalesce(c.run);
    const first = reload(); // run 1 reads state 0
    c.change(); // a change commits while run 1 is in flight
    let secondDone = false;
    const second = reload().then(() => {
      secondDone = true;
    });
    await c.finishNext(); // run 1 ends: it read too early for the second call
    expect(secondDone).toBe(false);
    await first;
    await c.finishNext(); // run 2 began after the change
    await second;
    expect(c.reads).toEqual([0, 1]);
  });

  it('many calls during one run share a single further run', async () => {
    const c = controlled();
    const reload = coalesce(c.run);
    const calls = [reload()];
    c.change();
    calls.push(reload(), reload(), reload());
    await c.finishNext();
    await c.finishNext();
    await Promise.all(calls);
    expect(c.reads).toEqual([0, 1]);
  });

  it('a failed run rejects its callers and the next call runs again', async () => {
    let fail = true;
    const reload = coalesce(async () => {
      if (fail) throw new Error('database unavailable');
    });
    await expect(reload()).rejects.toThrow('database unavailable');
    fail = false;
    await expect(reload()).resolves.toBeUndefined();
  });
});
