/**
 * `warden audit verify` as an operator runs it: a server on a WARDEN_HOME
 * (on this run's PostgreSQL, so the test can play the database administrator)
 * audits governed reads and checkpoints on shutdown; the CLI finds the log
 * intact, fails it when the checkpoint file is gone or the configured hash
 * differs, then names the first bad sequence number once a row was edited
 * behind the triggers.
 */
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { withDatabase } from '@warden/stores';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ownDatabases } from '../support/databases.js';
import { exited, postGraphql, wardenHome } from '../support/warden-process.js';

const dbs = ownDatabases('a');
const { base, names } = dbs;
const w = wardenHome('warden-audit-cli-', dbs.env);

afterAll(async () => {
  await dbs.drop();
  rmSync(w.home, { recursive: true, force: true });
});

describe('warden audit verify', () => {
  it('exits 0 with a summary for an intact log, and 1 naming the first bad seq once a row was edited', async () => {
    await dbs.ensureStores();
    const server = await w.start();
    try {
      const { key } = w.createKey('audit-e2e-app', 'app');
      const ca = readFileSync(path.join(w.home, 'tls', 'ca.crt'));
      for (let i = 0; i < 3; i++) {
        const res = await postGraphql(server.url, ca, key, '{ enterprises(first: 2) { edges { node { name legalRepMobile } } } }');
        expect(res.status).toBe(200);
      }
    } finally {
      server.child.kill('SIGTERM');
      await exited(server.child); // the final checkpoint is written on the way out
    }
    expect(existsSync(path.join(w.home, 'audit', 'signing.pub'))).toBe(true);
    expect(existsSync(path.join(w.home, 'audit', 'checkpoints.jsonl'))).toBe(true);

    const db = new pg.Client({ connectionString: withDatabase(base, names.control) });
    await db.connect();
    try {
      const { rows } = await db.query(
        "SELECT max(seq)::int AS n, count(*) FILTER (WHERE action = 'graphql.read')::int AS reads FROM warden.audit_events",
      );
      expect(rows[0].reads).toBe(3);
      const intact = w.run('audit', 'verify');
      expect(intact.stderr).toBe('');
      expect(intact.status).toBe(0);
      expect(intact.stdout.trim()).toBe(`Audit log intact: ${rows[0].n} events, 1 signed checkpoint.`);

      // The chain's hash is the configured one (WARDEN_AUDIT_HASH): a log hashed otherwise does not verify.
      const otherHash = w.runWith({ WARDEN_AUDIT_HASH: 'sm3' }, 'audit', 'verify');
      expect(otherHash.status).toBe(1);
      expect(otherHash.stderr.trim()).toBe(
        'warden: AUDIT_TAMPERED: The audit log does not verify: event 1 is hashed with sha256, not sm3 at sequence 1',
      );

      // The checkpoint file removed while the database holds checkpoints: a failure, not "intact".
      const file = path.join(w.home, 'audit', 'checkpoints.jsonl');
      renameSync(file, `${file}.away`);
      const missing = w.run('audit', 'verify');
      renameSync(`${file}.away`, file);
      expect(missing.status).toBe(1);
      expect(missing.stdout).toBe('');
      expect(missing.stderr.trim()).toBe(
        `warden: AUDIT_TAMPERED: The audit log does not verify: checkpoint file missing: ${file} is absent but the database holds signed checkpoints at sequence 1`,
      );
      expect(w.run('audit', 'verify').status).toBe(0);

      const seq = (await db.query("SELECT min(seq)::int AS s FROM warden.audit_events WHERE action = 'graphql.read'")).rows[0].s as number;
      await db.query('ALTER TABLE warden.audit_events DISABLE TRIGGER USER');
      await db.query('UPDATE warden.audit_events SET rows = rows + 100 WHERE seq = $1', [seq]);
      await db.query('ALTER TABLE warden.audit_events ENABLE TRIGGER USER');
      const tampered = w.run('audit', 'verify');
      expect(tampered.status).toBe(1);
      expect(tampered.stdout).toBe('');
      expect(tampered.stderr.trim()).toBe(
        `warden: AUDIT_TAMPERED: The audit log does not verify: event ${seq} was altered: its hash does not match its content at sequence ${seq}`,
      );
    } finally {
      await db.end();
    }
    expect(w.run('audit', 'check')).toMatchObject({ status: 2, stderr: expect.stringContaining('unknown audit command check') });
  });
});
