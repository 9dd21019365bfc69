/**
 * `warden user …` as an operator runs it: the first sysadmin bootstrapped
 * without --admin, then every command proven by another administrator's
 * password and TOTP code (WARDEN_ADMIN_PASSWORD / WARDEN_ADMIN_CODE), MFA
 * reset by a different administrator, and the audit trail of it all.
 * Authenticators are enrolled in-process on the same database and key
 * (a clock ten minutes back, so the CLI's codes of now are fresh steps).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createUserStore, type UserStore } from '@warden/access';
import { createPgAlertSink } from '@warden/alerts';
import { type AuditSink, createPgAuditSink } from '@warden/audit';
import { fixedClock } from '@warden/core';
import { totpCode } from '@warden/mfa';
import { loadWardenPolicies } from '@warden/policies';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownDatabases } from '../support/databases.js';
import { ROOT } from '../support/warden-process.js';

const dbs = ownDatabases('u');
const home = mkdtempSync(path.join(os.tmpdir(), 'warden-users-'));
const env: Record<string, string> = {
  ...(process.env as Record<string, string>),
  WARDEN_HOME: home,
  LOG_LEVEL: 'warn',
  ...dbs.env,
};
delete env.WARDEN_ADMIN_PASSWORD;
delete env.WARDEN_ADMIN_CODE;

/** `warden user …` in a child process (stdin a pipe, not a terminal). */
function user(args: string[], opts: { admin?: { password: string; code: string }; input?: string } = {}) {
  const more = opts.admin ? { WARDEN_ADMIN_PASSWORD: opts.admin.password, WARDEN_ADMIN_CODE: opts.admin.code } : {};
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'gateway/src/cli.ts'), 'user', ...args], {
    cwd: ROOT,
    env: { ...env, ...more },
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

const lastLine = (s: string) => s.trim().split('\n').pop() ?? '';
const codeIn = (secret: string, steps: number) => totpCode(secret, new Date(Date.now() + steps * 30_000));

let pool: pg.Pool;
let audit: AuditSink;
let users: UserStore;
const passwords: Record<string, string> = {};
const secrets: Record<string, string> = {};

/** Enrols an authenticator for a user in-process, on a clock ten minutes back. */
async function enrol(name: string): Promise<void> {
  const s = await users.login({ name, password: passwords[name] as string });
  const { secret } = await users.enrolTotp(s.principal);
  secrets[name] = secret;
  await users.confirmTotp(s.principal, await totpCode(secret, new Date(Date.now() - 10 * 60_000)));
}

beforeAll(async () => {
  await dbs.ensureStores();
  // The first run creates the databases, migrates them and writes secrets/users.key.
  expect(user(['list'])).toMatchObject({ status: 0, stdout: '' });
  pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 4 });
  audit = createPgAuditSink(pool);
  const secretKey = Buffer.from(readFileSync(path.join(home, 'secrets', 'users.key'), 'utf8').trim(), 'base64');
  users = createUserStore(pool, await loadWardenPolicies(), {
    clock: fixedClock(new Date(Date.now() - 10 * 60_000)),
    audit,
    alerts: createPgAlertSink(pool),
    secretKey,
  });
});

afterAll(async () => {
  await audit?.close();
  await pool?.end();
  await dbs.drop();
  rmSync(home, { recursive: true, force: true });
});

describe('warden user', () => {
  it('bootstraps the first sysadmin without --admin, printing a generated password once; a weak chosen one is refused', () => {
    const weak = user(['create', '--name', 'weakling', '--role', 'analyst', '--password-stdin'], { input: 'woaini1314\n' });
    expect(weak.status).toBe(2);
    expect(weak.stderr).toContain('PASSWORD_REJECTED');
    const r = user(['create', '--name', 'boss', '--role', 'sysadmin']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Created user boss (sysadmin)');
    expect(r.stdout).toContain('Password (shown once');
    passwords.boss = lastLine(r.stdout);
    expect(passwords.boss).toHaveLength(20);
    expect(user(['list']).stdout).toBe('boss\tsysadmin\tno-mfa\n');
  });

  it('needs --admin once an administrator with an authenticator exists, and the admin’s password and code', async () => {
    await enrol('boss');
    const without = user(['create', '--name', 'helper', '--role', 'sysadmin']);
    expect(without.status).toBe(2);
    expect(without.stderr).toContain('an administrator exists');
    const noSecrets = user(['create', '--name', 'helper', '--role', 'sysadmin', '--admin', 'boss']);
    expect(noSecrets.status).toBe(2);
    expect(noSecrets.stderr).toContain('WARDEN_ADMIN_PASSWORD');
    const wrongPassword = user(['create', '--name', 'helper', '--role', 'sysadmin', '--admin', 'boss'], {
      admin: { password: 'Not-Boss-Password-1', code: await codeIn(secrets.boss as string, 0) },
    });
    expect(wrongPassword.status).toBe(2);
    expect(wrongPassword.stderr).toContain('INVALID_CREDENTIALS');
    const ok = user(['create', '--name', 'helper', '--role', 'sysadmin', '--admin', 'boss'], {
      admin: { password: passwords.boss as string, code: await codeIn(secrets.boss as string, 0) },
    });
    expect(ok.status).toBe(0);
    passwords.helper = lastLine(ok.stdout);
    await enrol('helper');
  });

  it('takes a chosen password from stdin and does not print it', async () => {
    const r = user(['create', '--name', 'worker', '--role', 'analyst', '--password-stdin', '--admin', 'helper'], {
      admin: { password: passwords.helper as string, code: await codeIn(secrets.helper as string, 0) },
      input: 'Quiet-River-Stone-8\n',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('Quiet-River-Stone-8');
    expect(r.stdout).not.toContain('Password (shown once');
    expect((await users.login({ name: 'worker', password: 'Quiet-River-Stone-8' })).principal.roles).toEqual(['analyst']);
  });

  it('resets MFA only by a different administrator proving both factors', async () => {
    const self = user(['reset-mfa', '--name', 'boss', '--admin', 'boss']);
    expect(self.status).toBe(2);
    expect(self.stderr).toContain('cannot act on their own account');
    const noAdmin = user(['reset-mfa', '--name', 'boss']);
    expect(noAdmin.status).toBe(2);
    const right = await codeIn(secrets.helper as string, 1);
    const wrongCode = user(['reset-mfa', '--name', 'boss', '--admin', 'helper'], {
      admin: { password: passwords.helper as string, code: right === '000000' ? '111111' : '000000' },
    });
    expect(wrongCode.status).toBe(2);
    expect(wrongCode.stderr).toContain('INVALID_CREDENTIALS');
    expect(user(['list']).stdout).toContain('boss\tsysadmin\tmfa\n');
    const ok = user(['reset-mfa', '--name', 'boss', '--admin', 'helper'], { admin: { password: passwords.helper as string, code: right } });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('Reset the authenticator of boss');
    expect(user(['list']).stdout).toBe('boss\tsysadmin\tno-mfa\nhelper\tsysadmin\tmfa\nworker\tanalyst\tno-mfa\n');
  });

  it('changes roles only for an administrator whose session has MFA', async () => {
    // boss has no authenticator since the reset: the password alone does not make an administrator.
    const noMfa = user(['roles', '--name', 'worker', '--role', 'steward', '--admin', 'boss'], {
      admin: { password: passwords.boss as string, code: '123456' },
    });
    expect(noMfa.status).toBe(2);
    expect(noMfa.stderr).toContain('MFA_REQUIRED');
    await enrol('boss');
    const ok = user(['roles', '--name', 'worker', '--role', 'steward', '--admin', 'boss'], {
      admin: { password: passwords.boss as string, code: await codeIn(secrets.boss as string, 0) },
    });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('Roles of worker: steward.');
  });

  it('audited every action under the administrator (or the OS operator for the bootstrap), without a password', async () => {
    const { rows } = await pool.query<{ action: string; actor_name: string; outcome: string; reason_code: string | null }>(
      `SELECT action, actor_name, outcome, reason_code FROM warden.audit_events
        WHERE action IN ('user.create', 'user.roles', 'auth.mfa.reset') ORDER BY seq`,
    );
    expect(rows).toContainEqual({
      action: 'user.create',
      actor_name: `os:${os.userInfo().username}`,
      outcome: 'ALLOWED',
      reason_code: null,
    });
    expect(rows).toContainEqual({ action: 'user.create', actor_name: 'boss', outcome: 'ALLOWED', reason_code: null });
    expect(rows).toContainEqual({ action: 'user.create', actor_name: 'helper', outcome: 'ALLOWED', reason_code: null });
    expect(rows).toContainEqual({ action: 'auth.mfa.reset', actor_name: 'helper', outcome: 'ALLOWED', reason_code: null });
    expect(rows).toContainEqual({ action: 'user.roles', actor_name: 'boss', outcome: 'DENIED', reason_code: 'MFA_REQUIRED' });
    expect(rows).toContainEqual({ action: 'user.roles', actor_name: 'boss', outcome: 'ALLOWED', reason_code: null });
    const all = JSON.stringify((await pool.query('SELECT * FROM warden.audit_events')).rows);
    for (const pw of [...Object.values(passwords), 'Quiet-River-Stone-8']) expect(all).not.toContain(pw);
    // The administrators' CLI sessions were ended after each command.
    const live = await pool.query(
      `SELECT count(*)::int AS n FROM warden.sessions s JOIN warden.principals p ON p.id = s.principal_id
        WHERE p.name IN ('boss', 'helper') AND s.revoked_at IS NULL AND s.amr = ARRAY['pwd', 'otp']
          AND s.created_at > now() - interval '5 minutes'`,
    );
    expect(live.rows[0].n).toBe(0);
  });
});
