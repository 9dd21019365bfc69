/** Alerts into warden.alerts, one row each, written before raise resolves. */
import type pg from 'pg';
import type { AlertSink } from './alert.js';

export function createPgAlertSink(pool: pg.Pool): AlertSink {
  return {
    async raise(alert) {
      await pool.query(
        `INSERT INTO warden.alerts (ts, kind, severity, principal_id, subject, detail)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
        [alert.ts, alert.kind, alert.severity, alert.principalId ?? null, alert.subject ?? null, JSON.stringify(alert.detail)],
      );
    },
  };
}
