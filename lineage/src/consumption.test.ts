import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createConsumptionRecorder } from './consumption.js';

/** A pool whose queries fail while `down` is set and otherwise keep their parameters. */
function fakePool() {
  const calls: unknown[][] = [];
  const state = { down: false };
  const pool = {
    async query(_sql: string, params: unknown[]) {
      if (state.down) throw new Error('connection refused');
      calls.push(params);
      return { rows: [] };
    },
  } as unknown as pg.Pool;
  return { pool, calls, state };
}

const APP = { id: '0190c3a4-5b6d-7e8f-9a0b-1c2d3e4f5a6b', name: 'reporting-app' };
const MOBILE = 'urn:warden:enterprise:public.enterprises.legal_rep_mobile';
const NAME = 'urn:warden:enterprise:public.enterprises.name';
const now = () => new Date('2026-11-20T23:59:59Z');

describe('consumption recorder', () => {
  it('adds reads of the same principal, day, field and disclosure into one counter written in one upsert', async () => {
    const { pool, calls } = fakePool();
    const rec = createConsumptionRecorder(pool, { now, flushMs: 3_600_000 });
    rec.record(
      APP,
      [
        { urn: MOBILE, disclosure: 'MASK' },
        { urn: NAME, disclosure: 'CLEAR' },
      ],
      3,
    );
    rec.record(APP, [{ urn: MOBILE, disclosure: 'MASK' }], 2);
    expect(calls).toEqual([]);
    await rec.close();
    expect(calls).toEqual([
      [
        [APP.id, APP.id],
        [APP.name, APP.name],
        ['2026-11-20', '2026-11-20'],
        [MOBILE, NAME],
        ['MASK', 'CLEAR'],
        [2, 1],
        [5, 3],
      ],
    ]);
  });

  it('writes nothing when nothing was received', async () => {
    const { pool, calls } = fakePool();
    const rec = createConsumptionRecorder(pool, { now, flushMs: 3_600_000 });
    rec.record(APP, [], 10);
    await rec.close();
    expect(calls).toEqual([]);
  });

  it('a failed flush never rejects and keeps its counters for the next one', async () => {
    const { pool, calls, state } = fakePool();
    const logged: string[] = [];
    const rec = createConsumptionRecorder(pool, { now, flushMs: 3_600_000, log: (m) => logged.push(m) });
    rec.record(APP, [{ urn: MOBILE, disclosure: 'MASK' }], 1);
    state.down = true;
    await expect(rec.flush()).resolves.toBeUndefined();
    expect(logged[0]).toMatch(/keeping 1 counters/);
    rec.record(APP, [{ urn: MOBILE, disclosure: 'MASK' }], 4);
    state.down = false;
    await rec.flush();
    expect(calls).toEqual([[[APP.id], [APP.name], ['2026-11-20'], [MOBILE], ['MASK'], [2], [5]]]);
  });

  it('beyond maxPending keys new keys are dropped and counted, known keys still add up', async () => {
    const { pool, calls } = fakePool();
    const rec = createConsumptionRecorder(pool, { now, flushMs: 3_600_000, maxPending: 1 });
    rec.record(APP, [{ urn: MOBILE, disclosure: 'MASK' }], 1);
    rec.record(APP, [{ urn: NAME, disclosure: 'CLEAR' }], 1);
    rec.record(APP, [{ urn: MOBILE, disclosure: 'MASK' }], 1);
    expect(rec.dropped).toBe(1);
    await rec.close();
    expect(calls).toEqual([[[APP.id], [APP.name], ['2026-11-20'], [MOBILE], ['MASK'], [2], [2]]]);
  });

  it('a read after midnight UTC counts on the new day', async () => {
    const { pool, calls } = fakePool();
    let at = new Date('2026-11-20T23:59:59Z');
    const rec = createConsumptionRecorder(pool, { now: () => at, flushMs: 3_600_000 });
    rec.record(APP, [{ urn: MOBILE, disclosure: 'MASK' }], 1);
    at = new Date('2026-11-21T00:00:00Z');
    rec.record(APP, [{ urn: MOBILE, disclosure: 'MASK' }], 2);
    await rec.close();
    expect(calls).toEqual([
      [
        [APP.id, APP.id],
        [APP.name, APP.name],
        ['2026-11-20', '2026-11-21'],
        [MOBILE, MOBILE],
        ['MASK', 'MASK'],
        [1, 1],
        [1, 2],
      ],
    ]);
  });
});
