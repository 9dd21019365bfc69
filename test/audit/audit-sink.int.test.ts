/** The audit sink's group commit on real PostgreSQL. */
import { randomUUID } from 'node:crypto';
import { type AuditEvent, createPgAuditSink } from '@warden/audit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabases, type TestDatabases } from '../support/databases.js';

let dbs: TestDatabases;
beforeAll(async () => {
  dbs = await createTestDatabases();
});
afterAll(async () => {
  await dbs?.drop();
});

const event = (i: number): AuditEvent => ({
  eventId: randomUUID(),
  ts: new Date('2026-11-02T02:00:00Z'),
  actorName: `app-${i}`,
  roles: ['app'],
  auth: ['key'],
  action: 'graphql.read',
  highestLevel: 'L4',
  fields: [
    {
      field: 'Enterprise.legalRepMobile',
      urn: 'urn:warden:enterprise:public.enterprises.legal_rep_mobile',
      level: 'L4',
      disclosure: 'MASK',
      detail: 'mobile',
    },
  ],
  counts: { MASK: i },
  rows: i,
  outcome: 'ALLOWED',
});

describe('the audit sink', () => {
  it('commits concurrent events in batches, each caller settling once its event is stored', async () => {
    const sink = createPgAuditSink(dbs.control);
    await Promise.all(Array.from({ length: 200 }, (_, i) => sink.append(event(i))));
    const { rows } = await dbs.control.query(
      'SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d, count(DISTINCT xmin::text)::int AS transactions FROM warden.audit_events',
    );
    expect(rows[0].n).toBe(200);
    expect(rows[0].d).toBe(200);
    expect(rows[0].transactions).toBeLessThan(20); // one transaction per batch, not per event
    await sink.close();
  });

  it('settles an append made the moment the previous one settles (no stranded event between drains)', async () => {
    // Each append here starts in the microtask that settles the one before, right
    // as the drain finds its queue empty: the window where an event used to wait
    // for some later append to wake the drain, forever on a quiet gateway.
    const sink = createPgAuditSink(dbs.control);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const e = event(i);
      ids.push(e.eventId);
      await sink.append(e);
    }
    const { rows } = await dbs.control.query('SELECT count(*)::int AS n FROM warden.audit_events WHERE event_id = ANY($1::uuid[])', [ids]);
    expect(rows[0].n).toBe(20);
    await sink.close();
  });

  it('rejects the callers of a batch it cannot even encode, and keeps serving the next ones', async () => {
    const sink = createPgAuditSink(dbs.control);
    const bad = { ...event(1), counts: { MASK: 1n } } as unknown as AuditEvent; // JSON cannot encode a bigint
    await expect(sink.append(bad)).rejects.toThrow(/BigInt/);
    const good = event(2);
    await sink.append(good);
    const { rows } = await dbs.control.query('SELECT count(*)::int AS n FROM warden.audit_events WHERE event_id = $1', [good.eventId]);
    expect(rows[0].n).toBe(1);
    await sink.close();
  });

  it('rejects every caller of a batch that cannot be written', async () => {
    const sink = createPgAuditSink(dbs.control);
    await dbs.control.query('ALTER TABLE warden.audit_events RENAME TO audit_events_gone');
    try {
      const results = await Promise.allSettled([sink.append(event(1)), sink.append(event(2))]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    } finally {
      await dbs.control.query('ALTER TABLE warden.audit_events_gone RENAME TO audit_events');
    }
    await sink.append(event(3));
    await sink.close();
    await expect(sink.append(event(4))).rejects.toThrow('audit sink is closed');
  });
});

describe('closing the audit sink', () => {
  it('waits for the batch in flight', async () => {
    const sink = createPgAuditSink(dbs.control);
    const e = event(42);
    const pending = sink.append(e);
    await sink.close();
    await pending;
    const { rows } = await dbs.control.query('SELECT count(*)::int AS n FROM warden.audit_events WHERE event_id = $1', [e.eventId]);
    expect(rows[0].n).toBe(1);
  });
});
