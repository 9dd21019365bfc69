/** The alert port on real PostgreSQL (warden.alerts from 004_identity.sql). */
import { createPgAlertSink } from '@warden/alerts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabases, type TestDatabases } from '../support/databases.js';

let dbs: TestDatabases;
beforeAll(async () => {
  dbs = await createTestDatabases();
});
afterAll(async () => {
  await dbs?.drop();
});

describe('alerts', () => {
  it('stores a raised alert with its time, kind, severity, subject and detail, unacknowledged', async () => {
    const sink = createPgAlertSink(dbs.control);
    const ts = new Date('2026-03-01T08:00:00Z');
    await sink.raise({ kind: 'auth.lockout', severity: 'warning', subject: 'someone', detail: { factor: 'password' }, ts });
    const { rows } = await dbs.control.query(
      'SELECT ts, kind, severity, principal_id, subject, detail, acknowledged_at FROM warden.alerts',
    );
    expect(rows).toEqual([
      {
        ts,
        kind: 'auth.lockout',
        severity: 'warning',
        principal_id: null,
        subject: 'someone',
        detail: { factor: 'password' },
        acknowledged_at: null,
      },
    ]);
  });

  it('rejects an alert the table refuses (an unknown severity) instead of losing it silently', async () => {
    const sink = createPgAlertSink(dbs.control);
    await expect(sink.raise({ kind: 'x', severity: 'loud' as 'info', detail: {}, ts: new Date() })).rejects.toThrow();
  });
});
