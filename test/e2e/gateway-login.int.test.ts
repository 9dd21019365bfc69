/**
 * The serving gateway talks to the control database through its own login in
 * role warden_app, not as the owner: it serves governed reads and appends to
 * the audit log, and cannot update, delete or truncate audit rows nor switch
 * the insert-only triggers off. Operator commands (the CLI) keep the owner.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { gatewayLogin, withDatabase } from '@warden/stores';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ownDatabases } from '../support/databases.js';
import { exited, postGraphql, wardenHome } from '../support/warden-process.js';

const dbs = ownDatabases('g');
const { base, names } = dbs;
const w = wardenHome('warden-gateway-login-', dbs.env);
const login = gatewayLogin(names.control);

afterAll(async () => {
  await dbs.drop(); // and the gateway login
  rmSync(w.home, { recursive: true, force: true });
});

async function attempt(client: pg.Client, sql: string): Promise<string> {
  try {
    await client.query(sql);
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

describe('the serving gateway database login', () => {
  it('serves and audits through warden_app, and cannot touch the audit log or its triggers', async () => {
    await dbs.ensureStores();
    const server = await w.start();
    try {
      const { key } = w.createKey('login-e2e-app', 'app');
      const ca = readFileSync(path.join(w.home, 'tls', 'ca.crt'));
      const res = await postGraphql(server.url, ca, key, '{ enterprises(first: 2) { edges { node { name legalRepMobile } } } }');
      expect(res.status).toBe(200);

      const owner = new pg.Client({ connectionString: withDatabase(base, names.control) });
      await owner.connect();
      try {
        const { rows } = await owner.query<{ usename: string }>(
          'SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [names.control],
        );
        expect(rows.map((r) => r.usename)).toEqual([login]);
        const reads = await owner.query("SELECT count(*)::int AS n FROM warden.audit_events WHERE action = 'graphql.read'");
        expect(reads.rows[0].n).toBe(1);
      } finally {
        await owner.end();
      }

      const password = readFileSync(path.join(w.home, 'secrets', 'db-gateway.password'), 'utf8').trim();
      const url = new URL(withDatabase(base, names.control));
      url.username = login;
      url.password = password;
      const asGateway = new pg.Client({ connectionString: url.toString() });
      await asGateway.connect();
      try {
        expect(await attempt(asGateway, 'SELECT count(*) FROM warden.audit_events')).toBe('ok');
        expect(await attempt(asGateway, 'SELECT count(*) FROM warden.principals')).toBe('ok');
        expect(await attempt(asGateway, "UPDATE warden.audit_events SET actor_name = 'nobody'")).toBe('42501');
        expect(await attempt(asGateway, 'DELETE FROM warden.audit_events')).toBe('42501');
        expect(await attempt(asGateway, 'TRUNCATE warden.audit_events')).toBe('42501');
        expect(await attempt(asGateway, 'ALTER TABLE warden.audit_events DISABLE TRIGGER USER')).toBe('42501');
        expect(await attempt(asGateway, 'DROP TRIGGER audit_events_no_update ON warden.audit_events')).toBe('42501');
        expect(await attempt(asGateway, 'UPDATE warden.audit_checkpoints SET key_id = key_id')).toBe('42501');
      } finally {
        await asGateway.end();
      }
    } finally {
      server.child.kill('SIGTERM');
      await exited(server.child);
    }
    // The CLI (the operator) still works on the same home, with the owner's connection.
    expect(w.run('audit', 'verify').status).toBe(0);
  });
});
