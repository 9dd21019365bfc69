/** People on real PostgreSQL: passwords, TOTP, sessions, lockouts and user administration, on a fake clock. */
import { createHash, randomBytes } from 'node:crypto';
import { type Actor, createUserStore, type UserStore } from '@warden/access';
import { createPgAlertSink } from '@warden/alerts';
import { type AuditSink, createPgAuditSink } from '@warden/audit';
import { fixedClock, type Principal, type WardenError } from '@warden/core';
import { totpCode } from '@warden/mfa';
import { loadWardenPolicies } from '@warden/policies';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabases, type TestDatabases } from '../support/databases.js';
import { outcomeCode } from '../support/outcome.js';

// Every password and TOTP verification the store makes, to count them and see the dummy hash used.
const calls = vi.hoisted(() => ({ passwords: [] as (string | undefined)[], codes: 0 }));
vi.mock('@warden/mfa', async (importOriginal) => {
  const real = await importOriginal<typeof import('@warden/mfa')>();
  return {
    ...real,
    verifyPassword: (pw: string, stored: string | undefined) => {
      calls.passwords.push(stored);
      return real.verifyPassword(pw, stored);
    },
    verifyTotp: (...args: Parameters<typeof real.verifyTotp>) => {
      calls.codes += 1;
      return real.verifyTotp(...args);
    },
  };
});

const PW = 'Harbour-Lantern-42';
const CLI: Actor = { cli: 'root' };
const MIN = 60_000;

let dbs: TestDatabases;
let users: UserStore;
let audit: AuditSink;
const clock = fixedClock('2026-03-02T09:00:05Z');
const secretKey = randomBytes(32);
/** Every password, token and TOTP secret the tests saw, and every TOTP code: none may appear in the audit log. */
const secrets: string[] = [PW];
const codes: string[] = [];

beforeAll(async () => {
  dbs = await createTestDatabases();
  audit = createPgAuditSink(dbs.control);
  users = createUserStore(dbs.control, await loadWardenPolicies(), { clock, audit, alerts: createPgAlertSink(dbs.control), secretKey });
});
afterAll(async () => {
  await audit?.close();
  await dbs?.drop();
});
beforeEach(() => {
  calls.passwords.length = 0;
  calls.codes = 0;
});

const code = outcomeCode;

/** Everything a client sees of a refusal: code, message and HTTP status. */
async function answer(p: Promise<unknown>): Promise<{ code: string; message: string; status: number } | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    const w = e as WardenError;
    return { code: w.code, message: w.message, status: w.status };
  }
}

/** The code of the next 30 s step (advancing the clock to it), so it was never used before. */
async function nextCode(secret: string): Promise<string> {
  clock.advance(30_000);
  const c = await totpCode(secret, clock.now());
  codes.push(c);
  return c;
}

/** A user with an enrolled authenticator; returns its TOTP secret. */
async function enrolledUser(name: string, roles: string[]): Promise<string> {
  await users.create({ name, roles, password: PW }, CLI);
  const s = await users.login({ name, password: PW });
  const { secret } = await users.enrolTotp(s.principal);
  secrets.push(secret);
  await users.confirmTotp(s.principal, await nextCode(secret));
  return secret;
}

async function mfaSession(name: string, secret: string): Promise<Principal> {
  const s = await users.login({ name, password: PW, code: await nextCode(secret) });
  secrets.push(s.token);
  return s.principal;
}

async function auditRows(action: string): Promise<{ actor_name: string; outcome: string; reason_code: string | null }[]> {
  const { rows } = await dbs.control.query(
    'SELECT actor_name, outcome, reason_code FROM warden.audit_events WHERE action = $1 ORDER BY ts',
    [action],
  );
  return rows;
}

describe('users and passwords', () => {
  it('creates a user with a stored scrypt hash, and a generated password is returned once and works', async () => {
    const { principal, password } = await users.create({ name: 'wang.fang', roles: ['analyst'] }, CLI);
    expect(principal).toMatchObject({ name: 'wang.fang', kind: 'user', roles: ['analyst'] });
    expect(password).toHaveLength(20);
    secrets.push(password as string);
    const { rows } = await dbs.control.query('SELECT password_hash FROM warden.principals WHERE id = $1', [principal.id]);
    expect(rows[0].password_hash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);
    expect(rows[0].password_hash).not.toContain(password);
    expect((await users.login({ name: 'wang.fang', password: password as string })).principal.amr).toEqual(['pwd']);
    // A chosen password is not echoed back.
    expect((await users.create({ name: 'wang.lei', roles: ['analyst'], password: PW }, CLI)).password).toBeUndefined();
  });

  it('refuses weak passwords, unknown roles, combined duties and duplicate names, creating nothing', async () => {
    expect(await code(users.create({ name: 'li.na', roles: ['analyst'], password: 'Woaini1314!!' }, CLI))).toBe('PASSWORD_REJECTED');
    expect(await code(users.create({ name: 'li.na', roles: ['analyst'], password: 'short' }, CLI))).toBe('PASSWORD_REJECTED');
    expect(await code(users.create({ name: 'li.na', roles: ['superuser'], password: PW }, CLI))).toBe('UNKNOWN_ROLE');
    expect(await code(users.create({ name: 'li.na', roles: ['sysadmin', 'officer'], password: PW }, CLI))).toBe('INVALID_ARGUMENT');
    expect((await users.list()).map((u) => u.name)).not.toContain('li.na');
    expect(await code(users.create({ name: 'li.na', roles: ['analyst'], password: PW }, CLI))).toBe('ok');
    expect(await code(users.create({ name: 'li.na', roles: ['officer'], password: PW }, CLI))).toBe('PRINCIPAL_EXISTS');
  });

  it('only a person holding manage Principal, in a session with MFA, administers users', async () => {
    const adminSecret = await enrolledUser('admin.one', ['sysadmin']);
    const admin = await mfaSession('admin.one', adminSecret);
    const analystSecret = await enrolledUser('ana.one', ['analyst']);
    const analyst = await mfaSession('ana.one', analystSecret);
    expect(await code(users.create({ name: 'made.by.admin', roles: ['analyst'], password: PW }, { principal: admin }))).toBe('ok');
    expect(await code(users.create({ name: 'made.by.analyst', roles: ['analyst'], password: PW }, { principal: analyst }))).toBe(
      'FORBIDDEN',
    );
    const withoutMfa = { ...admin, amr: ['pwd'], mfaAt: undefined };
    expect(await code(users.create({ name: 'made.without.mfa', roles: ['analyst'], password: PW }, { principal: withoutMfa }))).toBe(
      'MFA_REQUIRED',
    );
    expect(await auditRows('user.create')).toContainEqual({ actor_name: 'ana.one', outcome: 'DENIED', reason_code: 'FORBIDDEN' });
    expect(await auditRows('user.create')).toContainEqual({ actor_name: 'admin.one', outcome: 'ALLOWED', reason_code: null });
  });

  it('changes roles of others, never one’s own', async () => {
    const adminSecret = await enrolledUser('admin.roles', ['sysadmin']);
    const admin = await mfaSession('admin.roles', adminSecret);
    await users.create({ name: 'zhao.min', roles: ['analyst'], password: PW }, CLI);
    expect((await users.setRoles('zhao.min', ['steward'], { principal: admin })).roles).toEqual(['steward']);
    expect((await users.list()).find((u) => u.name === 'zhao.min')?.roles).toEqual(['steward']);
    expect(await code(users.setRoles('admin.roles', ['officer'], { principal: admin }))).toBe('FORBIDDEN');
    expect(await code(users.setRoles('nobody.here', ['analyst'], { principal: admin }))).toBe('NOT_FOUND');
    expect((await users.list()).find((u) => u.name === 'admin.roles')?.roles).toEqual(['sysadmin']);
  });

  it('changes a password with the old one; the other sessions end, this one stays', async () => {
    await users.create({ name: 'sun.li', roles: ['analyst'], password: PW }, CLI);
    const first = await users.login({ name: 'sun.li', password: PW });
    const second = await users.login({ name: 'sun.li', password: PW });
    expect(await code(users.changePassword(first.principal, 'Wrong-Old-Pass-1', 'Brand-New-Pass-77'))).toBe('INVALID_CREDENTIALS');
    expect(await code(users.changePassword(first.principal, PW, 'woaini1314'))).toBe('PASSWORD_REJECTED');
    expect(await code(users.changePassword(first.principal, PW, PW))).toBe('PASSWORD_REJECTED');
    expect(await code(users.changePassword(first.principal, PW, 'Brand-New-Pass-77'))).toBe('ok');
    secrets.push('Brand-New-Pass-77');
    expect(await users.authenticateSession(first.token)).toBeDefined();
    expect(await users.checkSession(second.token)).toEqual({ expired: true });
    expect(await code(users.login({ name: 'sun.li', password: PW }))).toBe('INVALID_CREDENTIALS');
    expect(await code(users.login({ name: 'sun.li', password: 'Brand-New-Pass-77' }))).toBe('ok');
  });
});

describe('login without revealing who exists', () => {
  it('answers a wrong password and an unknown name alike, after scrypt against a real or the dummy hash', async () => {
    await users.create({ name: 'zhou.jie', roles: ['analyst'], password: PW }, CLI);
    const wrong = await code(users.login({ name: 'zhou.jie', password: 'Not-The-Password-1' }));
    const unknown = await code(users.login({ name: 'zhou.jiee', password: 'Not-The-Password-1' }));
    expect([wrong, unknown]).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS']);
    expect(calls.passwords).toHaveLength(2);
    expect(calls.passwords[0]).toMatch(/^\$scrypt\$/);
    expect(calls.passwords[1]).toBeUndefined(); // verifyPassword then works on DUMMY_PASSWORD_HASH
    // Names are not case-sensitive at login; the password is.
    expect(await code(users.login({ name: 'ZHOU.JIE', password: PW }))).toBe('ok');
    expect(await code(users.login({ name: 'zhou.jie', password: PW.toUpperCase() }))).toBe('INVALID_CREDENTIALS');
  });

  it('a service principal or a disabled user cannot log in with a password (as if unknown)', async () => {
    await users.create({ name: 'gone.user', roles: ['analyst'], password: PW }, CLI);
    await dbs.control.query(`UPDATE warden.principals SET disabled = true WHERE name = 'gone.user'`);
    expect(await code(users.login({ name: 'gone.user', password: PW }))).toBe('INVALID_CREDENTIALS');
    expect(calls.passwords).toEqual([undefined]);
  });

  it('an enrolled user needs the code: without it, or with a wrong one, the answer is the same as a wrong password', async () => {
    const secret = await enrolledUser('chen.jing', ['analyst']);
    expect(await code(users.login({ name: 'chen.jing', password: PW }))).toBe('INVALID_CREDENTIALS');
    const c = await nextCode(secret);
    const wrong = c === '000000' ? '000001' : '000000';
    expect(await code(users.login({ name: 'chen.jing', password: PW, code: wrong }))).toBe('INVALID_CREDENTIALS');
    expect(await code(users.login({ name: 'chen.jing', password: 'Not-The-Password-1', code: c }))).toBe('INVALID_CREDENTIALS');
    const s = await users.login({ name: 'chen.jing', password: PW, code: c });
    expect(s.principal.amr).toEqual(['pwd', 'otp']);
    expect(s.principal.mfaAt).toEqual(clock.now());
    expect(s.mfaEnrolled).toBe(true);
  });

  it('a user without an authenticator gets a password-only session that says so', async () => {
    await users.create({ name: 'new.user', roles: ['analyst'], password: PW }, CLI);
    const s = await users.login({ name: 'new.user', password: PW, code: '123456' });
    expect(s.principal.amr).toEqual(['pwd']);
    expect(s.principal.mfaAt).toBeUndefined();
    expect(s.mfaEnrolled).toBe(false);
  });
});

describe('lockout', () => {
  it('locks a name for 30 minutes after five failures in 15, refusing even the right password unverified', async () => {
    await users.create({ name: 'lock.me', roles: ['analyst'], password: PW }, CLI);
    for (let i = 0; i < 4; i++) {
      expect(await code(users.login({ name: 'lock.me', password: `Wrong-Password-${i}` }))).toBe('INVALID_CREDENTIALS');
      clock.advance(2 * MIN);
    }
    expect(await code(users.login({ name: 'lock.me', password: 'Wrong-Password-5' }))).toBe('ACCOUNT_LOCKED');
    calls.passwords.length = 0;
    expect(await code(users.login({ name: 'lock.me', password: PW }))).toBe('ACCOUNT_LOCKED');
    expect(calls.passwords).toEqual([]); // nothing verified during the lock
    clock.advance(30 * MIN - 1);
    expect(await code(users.login({ name: 'lock.me', password: PW }))).toBe('ACCOUNT_LOCKED');
    clock.advance(1);
    expect(await code(users.login({ name: 'lock.me', password: PW }))).toBe('ok');
    const { rows } = await dbs.control.query(
      `SELECT kind, severity, subject FROM warden.alerts WHERE kind = 'auth.lockout' AND subject = 'lock.me'`,
    );
    expect(rows).toEqual([{ kind: 'auth.lockout', severity: 'warning', subject: 'lock.me' }]);
    expect(await auditRows('auth.lockout')).toContainEqual({ actor_name: 'lock.me', outcome: 'DENIED', reason_code: 'ACCOUNT_LOCKED' });
  });

  it('does not lock for four failures, nor for five spread over more than 15 minutes; a success clears the count', async () => {
    await users.create({ name: 'almost.locked', roles: ['analyst'], password: PW }, CLI);
    for (let i = 0; i < 4; i++) await code(users.login({ name: 'almost.locked', password: 'Wrong-Password-1' }));
    clock.advance(15 * MIN);
    expect(await code(users.login({ name: 'almost.locked', password: 'Wrong-Password-1' }))).toBe('INVALID_CREDENTIALS');
    expect(await code(users.login({ name: 'almost.locked', password: PW }))).toBe('ok');
    for (let i = 0; i < 4; i++) await code(users.login({ name: 'almost.locked', password: 'Wrong-Password-1' }));
    expect(await code(users.login({ name: 'almost.locked', password: PW }))).toBe('ok');
    expect(await code(users.login({ name: 'almost.locked', password: 'Wrong-Password-1' }))).toBe('INVALID_CREDENTIALS');
  });

  it('a right password without the code, or with a wrong one, counts and answers like a wrong password (no oracle)', async () => {
    const candidates = { right: PW, wrong: 'Not-The-Password-9' };
    for (const withCode of [false, true]) {
      const answers: Record<string, unknown> = {};
      for (const [kind, password] of Object.entries(candidates)) {
        const name = `oracle.${kind}.${withCode ? 'code' : 'nocode'}`;
        const secret = await enrolledUser(name, ['analyst']);
        const c = await nextCode(secret);
        const wrongCode = withCode ? (c === '000000' ? '000001' : '000000') : undefined;
        for (let i = 0; i < 3; i++) expect(await code(users.login({ name, password: `Wrong-Password-${i}` }))).toBe('INVALID_CREDENTIALS');
        const fourth = await answer(users.login({ name, password, ...(wrongCode ? { code: wrongCode } : {}) }));
        const fifth = await answer(users.login({ name, password, ...(wrongCode ? { code: wrongCode } : {}) }));
        answers[kind] = { fourth, fifth };
        expect(fourth).toMatchObject({ code: 'INVALID_CREDENTIALS' });
        expect(fifth).toMatchObject({ code: 'ACCOUNT_LOCKED' });
        // Locked, whatever was right: even both factors are refused unverified.
        calls.passwords.length = 0;
        expect(await code(users.login({ name, password: PW, code: await nextCode(secret) }))).toBe('ACCOUNT_LOCKED');
        expect(calls.passwords).toEqual([]);
      }
      expect(answers.right).toEqual(answers.wrong);
    }
  });

  it('five wrong codes after the right password lock the password too: the lock answers before any verification', async () => {
    const secret = await enrolledUser('totp.locker', ['analyst']);
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await nextCode(secret);
      answers.push(await code(users.login({ name: 'totp.locker', password: PW, code: c === '000000' ? '000001' : '000000' })));
    }
    expect(answers).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'ACCOUNT_LOCKED']);
    calls.passwords.length = 0;
    const right = await answer(users.login({ name: 'totp.locker', password: PW }));
    const wrong = await answer(users.login({ name: 'totp.locker', password: 'Not-The-Password-1' }));
    expect(right).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    expect(wrong).toEqual(right);
    expect(calls.passwords).toEqual([]);
  });

  it('locks unknown names exactly like real ones', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) answers.push(await code(users.login({ name: 'no.such.person', password: 'Wrong-Password-1' })));
    expect(answers).toEqual([
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'ACCOUNT_LOCKED',
      'ACCOUNT_LOCKED',
    ]);
    // Neither the name nor anything typed is stored in the clear.
    const { rows } = await dbs.control.query('SELECT subject FROM warden.lockouts UNION ALL SELECT subject FROM warden.auth_failures');
    expect(JSON.stringify(rows)).not.toContain('no.such.person');
  });

  it('twenty concurrent wrong guesses from two gateways verify at most five passwords', async () => {
    await users.create({ name: 'racer', roles: ['analyst'], password: PW }, CLI);
    const other = createUserStore(dbs.control, await loadWardenPolicies(), {
      clock,
      audit,
      alerts: createPgAlertSink(dbs.control),
      secretKey,
    });
    calls.passwords.length = 0;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => code((i % 2 ? users : other).login({ name: 'racer', password: `Wrong-Password-${i}` }))),
    );
    expect(calls.passwords).toHaveLength(5);
    expect(answers.filter((a) => a === 'INVALID_CREDENTIALS')).toHaveLength(4);
    expect(answers.filter((a) => a === 'ACCOUNT_LOCKED')).toHaveLength(16);
  });

  it('twenty concurrent wrong TOTP codes verify at most five, then the factor is locked', async () => {
    const secret = await enrolledUser('totp.racer', ['analyst']);
    const session = await mfaSession('totp.racer', secret);
    const right = await totpCode(secret, clock.now());
    calls.codes = 0;
    const wrongCodes = Array.from({ length: 20 }, (_, i) => String((Number(right) + 100_000 + i) % 1_000_000).padStart(6, '0'));
    const answers = await Promise.all(wrongCodes.map((c) => code(users.verifyMfa(session, c))));
    expect(calls.codes).toBe(5);
    expect(answers.filter((a) => a === 'TOTP_INVALID')).toHaveLength(4);
    expect(answers.filter((a) => a === 'ACCOUNT_LOCKED')).toHaveLength(16);
    // The right code is refused during the lock too, and also at login — before the password is verified,
    // so a right and a wrong password get the same answer there.
    expect(await code(users.verifyMfa(session, await nextCode(secret)))).toBe('ACCOUNT_LOCKED');
    calls.passwords.length = 0;
    const right2 = await answer(users.login({ name: 'totp.racer', password: PW, code: await nextCode(secret) }));
    const wrong2 = await answer(users.login({ name: 'totp.racer', password: 'Not-The-Password-1', code: await nextCode(secret) }));
    expect(right2).toMatchObject({ code: 'ACCOUNT_LOCKED', status: 423 });
    expect(wrong2).toEqual(right2);
    expect(calls.passwords).toEqual([]);
    clock.advance(30 * MIN);
    expect(await code(users.login({ name: 'totp.racer', password: PW, code: await nextCode(secret) }))).toBe('ok');
  });
});

describe('TOTP', () => {
  it('accepts a code once: the replay is refused, audited and alerted; the next step’s code works', async () => {
    const secret = await enrolledUser('replay.me', ['analyst']);
    const c = await nextCode(secret);
    const first = await users.login({ name: 'replay.me', password: PW, code: c });
    expect(first.principal.amr).toEqual(['pwd', 'otp']);
    expect(await code(users.login({ name: 'replay.me', password: PW, code: c }))).toBe('TOTP_REPLAYED');
    expect(await code(users.verifyMfa(first.principal, c))).toBe('TOTP_REPLAYED');
    const { rows } = await dbs.control.query(`SELECT severity, principal_id FROM warden.alerts WHERE kind = 'totp.replay'`);
    expect(rows).toContainEqual({ severity: 'warning', principal_id: first.principal.id });
    expect(await auditRows('auth.login')).toContainEqual({ actor_name: 'replay.me', outcome: 'DENIED', reason_code: 'TOTP_REPLAYED' });
    expect(await auditRows('auth.mfa.verify')).toContainEqual({ actor_name: 'replay.me', outcome: 'DENIED', reason_code: 'TOTP_REPLAYED' });
    expect(await code(users.login({ name: 'replay.me', password: PW, code: await nextCode(secret) }))).toBe('ok');
  });

  it('after a later step was used, the code of an earlier step in the window is a replay', async () => {
    const secret = await enrolledUser('replay.back', ['analyst']);
    clock.advance(30_000);
    const earlier = await totpCode(secret, new Date(clock.now().getTime() - 30_000));
    const later = await totpCode(secret, new Date(clock.now().getTime() + 30_000));
    expect(await code(users.login({ name: 'replay.back', password: PW, code: later }))).toBe('ok');
    expect(await code(users.login({ name: 'replay.back', password: PW, code: earlier }))).toBe('TOTP_REPLAYED');
  });

  it('accepts the previous and the next step, refuses two steps away', async () => {
    const secret = await enrolledUser('drift', ['analyst']);
    const session = await mfaSession('drift', secret);
    const at = (steps: number) => totpCode(secret, new Date(clock.now().getTime() + steps * 30_000));
    clock.advance(5 * 30_000);
    expect(await code(users.verifyMfa(session, await at(-2)))).toBe('TOTP_INVALID');
    expect(await code(users.verifyMfa(session, await at(-1)))).toBe('ok');
    expect(await code(users.verifyMfa(session, await at(2)))).toBe('TOTP_INVALID');
    expect(await code(users.verifyMfa(session, await at(1)))).toBe('ok');
    clock.advance(5 * 30_000);
    expect(await code(users.login({ name: 'drift', password: PW, code: await at(2) }))).toBe('INVALID_CREDENTIALS');
    expect(await code(users.login({ name: 'drift', password: PW, code: await at(-2) }))).toBe('INVALID_CREDENTIALS');
  });

  it('step-up verification renews mfaAt; it needs an enrolled authenticator', async () => {
    const secret = await enrolledUser('step.up', ['officer']);
    const session = await mfaSession('step.up', secret);
    clock.advance(10 * MIN);
    const renewed = await users.verifyMfa(session, await nextCode(secret));
    expect(renewed.mfaAt).toEqual(clock.now());
    expect(
      await users.checkSession((await users.login({ name: 'step.up', password: PW, code: await nextCode(secret) })).token),
    ).toBeDefined();
    await users.create({ name: 'not.enrolled', roles: ['analyst'], password: PW }, CLI);
    const plain = await users.login({ name: 'not.enrolled', password: PW });
    expect(await code(users.verifyMfa(plain.principal, '123456'))).toBe('MFA_NOT_ENROLLED');
  });

  it('enrols with a pending secret that is returned once: a wrong code does not confirm, and after confirmation nothing returns it', async () => {
    await users.create({ name: 'enrol.me', roles: ['analyst'], password: PW }, CLI);
    const s = await users.login({ name: 'enrol.me', password: PW });
    expect(await code(users.confirmTotp(s.principal, '123456'))).toBe('MFA_NOT_ENROLLED');
    const enrolment = await users.enrolTotp(s.principal);
    secrets.push(enrolment.secret);
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrolment.uri).toContain(`secret=${enrolment.secret}`);
    expect(enrolment.qrSvg).toMatch(/^<svg/);
    const c = await nextCode(enrolment.secret);
    const wrong = c === '000000' ? '000001' : '000000';
    expect(await code(users.confirmTotp(s.principal, wrong))).toBe('TOTP_INVALID');
    expect((await users.list()).find((u) => u.name === 'enrol.me')?.mfaEnrolled).toBe(false);
    const confirmed = await users.confirmTotp(s.principal, c);
    expect(confirmed.amr).toEqual(['pwd', 'otp']);
    expect((await users.authenticateSession(s.token))?.amr).toEqual(['pwd', 'otp']);
    expect(await code(users.enrolTotp(s.principal))).toBe('MFA_ALREADY_ENROLLED');
    expect(await code(users.confirmTotp(s.principal, await nextCode(enrolment.secret)))).toBe('MFA_ALREADY_ENROLLED');
    const listed = JSON.stringify(await users.list());
    expect(listed).not.toContain(enrolment.secret);
    const { rows } = await dbs.control.query(`SELECT totp_secret, totp_pending_secret FROM warden.principals WHERE name = 'enrol.me'`);
    expect(rows[0].totp_pending_secret).toBeNull();
    expect(rows[0].totp_secret[0]).toBe(1); // sealed, version 1
    expect(rows[0].totp_secret.includes(Buffer.from(enrolment.secret))).toBe(false);
  });

  it('confirming enrolment ends every other session of the user: a password-only session does not outlive it', async () => {
    await users.create({ name: 'enrol.other', roles: ['analyst'], password: PW }, CLI);
    const stolen = await users.login({ name: 'enrol.other', password: PW });
    const mine = await users.login({ name: 'enrol.other', password: PW });
    const { secret } = await users.enrolTotp(mine.principal);
    secrets.push(secret);
    expect(await code(users.confirmTotp(mine.principal, await nextCode(secret)))).toBe('ok');
    expect(await users.checkSession(stolen.token)).toEqual({ expired: true });
    expect((await users.authenticateSession(mine.token))?.amr).toEqual(['pwd', 'otp']);
  });

  it('a sealed secret copied to another user does not open there', async () => {
    const secret = await enrolledUser('seal.owner', ['analyst']);
    await enrolledUser('seal.thief', ['analyst']);
    await dbs.control.query(
      `UPDATE warden.principals SET totp_secret = (SELECT totp_secret FROM warden.principals WHERE name = 'seal.owner') WHERE name = 'seal.thief'`,
    );
    expect(await code(users.login({ name: 'seal.thief', password: PW, code: await nextCode(secret) }))).toMatch(/does not open/);
  });
});

describe('sessions', () => {
  it('stores only the SHA-256 of the token', async () => {
    await users.create({ name: 'hash.check', roles: ['analyst'], password: PW }, CLI);
    const s = await users.login({ name: 'hash.check', password: PW });
    expect(s.token).toMatch(/^wds_[A-Za-z0-9_-]{43}$/);
    const hash = createHash('sha256').update(s.token).digest();
    expect(s.principal.sessionId).toBe(hash.toString('hex'));
    const { rows } = await dbs.control.query('SELECT * FROM warden.sessions WHERE principal_id = $1', [s.principal.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash.equals(hash)).toBe(true);
    const dump = JSON.stringify(rows) + rows[0].token_hash.toString('latin1');
    expect(dump).not.toContain(s.token);
    expect(dump).not.toContain(s.token.slice(4));
    expect(await users.authenticateSession(`${s.token.slice(0, -1)}${s.token.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
  });

  it('expires after 30 idle minutes, each use renewing them', async () => {
    await users.create({ name: 'idle.analyst', roles: ['analyst'], password: PW }, CLI);
    const s = await users.login({ name: 'idle.analyst', password: PW });
    expect(s.idleExpiresAt.getTime() - clock.now().getTime()).toBe(30 * MIN);
    clock.advance(30 * MIN - 1);
    expect(await users.authenticateSession(s.token)).toBeDefined();
    clock.advance(30 * MIN - 1);
    expect(await users.authenticateSession(s.token)).toBeDefined();
    clock.advance(30 * MIN);
    expect(await users.authenticateSession(s.token)).toBeUndefined();
    expect(await users.checkSession(s.token)).toEqual({ expired: true });
  });

  it('expires after 15 idle minutes for administrative roles (system, security, audit)', async () => {
    for (const role of ['sysadmin', 'officer', 'auditor']) {
      const secret = await enrolledUser(`idle.${role}`, [role]);
      const s = await users.login({ name: `idle.${role}`, password: PW, code: await nextCode(secret) });
      expect(s.idleExpiresAt.getTime() - clock.now().getTime()).toBe(15 * MIN);
      clock.advance(15 * MIN - 1);
      expect(await users.authenticateSession(s.token)).toBeDefined();
      clock.advance(15 * MIN);
      expect(await users.checkSession(s.token)).toEqual({ expired: true });
    }
  });

  it('a session of a user who gains an administrative role takes the shorter idle timeout at once', async () => {
    await users.create({ name: 'promoted', roles: ['analyst'], password: PW }, CLI);
    const s = await users.login({ name: 'promoted', password: PW });
    await users.setRoles('promoted', ['officer'], CLI);
    clock.advance(16 * MIN);
    expect(await users.checkSession(s.token)).toEqual({ expired: true });
  });

  it('ends after 12 hours however actively used', async () => {
    await users.create({ name: 'busy.bee', roles: ['analyst'], password: PW }, CLI);
    const s = await users.login({ name: 'busy.bee', password: PW });
    expect(s.absoluteExpiresAt.getTime() - clock.now().getTime()).toBe(12 * 60 * MIN);
    for (let i = 0; i < 35; i++) {
      clock.advance(20 * MIN);
      expect(await users.authenticateSession(s.token)).toBeDefined(); // up to 11 h 40 min
    }
    clock.advance(20 * MIN - 1);
    expect(await users.authenticateSession(s.token)).toBeDefined();
    clock.advance(1);
    expect(await users.checkSession(s.token)).toEqual({ expired: true });
  });

  it('logout revokes that session only', async () => {
    await users.create({ name: 'leaving', roles: ['analyst'], password: PW }, CLI);
    const a = await users.login({ name: 'leaving', password: PW });
    const b = await users.login({ name: 'leaving', password: PW });
    await users.logout(a.principal);
    expect(await users.checkSession(a.token)).toEqual({ expired: true });
    expect(await users.authenticateSession(b.token)).toBeDefined();
    expect(await code(users.enrolTotp(a.principal))).toBe('SESSION_EXPIRED');
    expect(await auditRows('auth.logout')).toContainEqual({ actor_name: 'leaving', outcome: 'ALLOWED', reason_code: null });
  });

  it('unknown and malformed tokens are simply not sessions', async () => {
    expect(await users.checkSession(`wds_${randomBytes(32).toString('base64url')}`)).toBeUndefined();
    expect(await users.checkSession('wds_short')).toBeUndefined();
    expect(await users.checkSession('')).toBeUndefined();
  });
});

describe('MFA reset', () => {
  it('is refused to oneself and to non-administrators; another sysadmin resets, revoking the sessions', async () => {
    const s1 = await enrolledUser('admin.a', ['sysadmin']);
    const s2 = await enrolledUser('admin.b', ['sysadmin']);
    const userSecret = await enrolledUser('lost.phone', ['analyst']);
    const a = await mfaSession('admin.a', s1);
    const b = await mfaSession('admin.b', s2);
    const victim = await users.login({ name: 'lost.phone', password: PW, code: await nextCode(userSecret) });
    const officerSecret = await enrolledUser('officer.x', ['officer']);
    const officer = await mfaSession('officer.x', officerSecret);

    expect(await code(users.resetMfa('admin.a', { principal: a }))).toBe('FORBIDDEN');
    expect(await code(users.resetMfa('lost.phone', { principal: officer }))).toBe('FORBIDDEN');
    expect(await code(users.resetMfa('nobody.at.all', { principal: b }))).toBe('NOT_FOUND');
    expect((await users.list()).find((u) => u.name === 'lost.phone')?.mfaEnrolled).toBe(true);

    await users.resetMfa('lost.phone', { principal: b });
    expect(await users.checkSession(victim.token)).toEqual({ expired: true });
    expect((await users.list()).find((u) => u.name === 'lost.phone')?.mfaEnrolled).toBe(false);
    const fresh = await users.login({ name: 'lost.phone', password: PW });
    expect(fresh.principal.amr).toEqual(['pwd']);
    expect(fresh.mfaEnrolled).toBe(false);
    const rows = await auditRows('auth.mfa.reset');
    expect(rows).toContainEqual({ actor_name: 'admin.b', outcome: 'ALLOWED', reason_code: null });
    expect(rows).toContainEqual({ actor_name: 'admin.a', outcome: 'DENIED', reason_code: 'FORBIDDEN' });

    // The unproven OS operator may not reset (the CLI acts as a named administrator); refused and audited.
    expect(await code(users.resetMfa('admin.a', CLI))).toBe('FORBIDDEN');
    expect((await users.list()).find((u) => u.name === 'admin.a')?.mfaEnrolled).toBe(true);
    expect(await auditRows('auth.mfa.reset')).toContainEqual({ actor_name: 'os:root', outcome: 'DENIED', reason_code: 'FORBIDDEN' });
    expect(await auditRows('auth.mfa.reset')).not.toContainEqual({ actor_name: 'os:root', outcome: 'ALLOWED', reason_code: null });
  });
});

describe('MFA reset and logins in flight', () => {
  it('waits for a TOTP verification in flight: the session it commits is revoked, and the last step is cleared', async () => {
    const adminSecret = await enrolledUser('admin.wait', ['sysadmin']);
    const admin = await mfaSession('admin.wait', adminSecret);
    const secret = await enrolledUser('mid.login', ['analyst']);
    const before = await users.login({ name: 'mid.login', password: PW, code: await nextCode(secret) });
    const id = before.principal.id;
    // A login holding the TOTP lock of the user, between its verification and its commit.
    const login = await dbs.control.connect();
    let done = false;
    try {
      await login.query('BEGIN');
      await login.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`warden-auth:totp:${id}`]);
      const reset = users.resetMfa('mid.login', { principal: admin }).finally(() => {
        done = true;
      });
      // Until the reset either finished (the defect) or waits on that lock.
      for (;;) {
        const { rows } = await dbs.control.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`,
        );
        if (done || rows[0].n > 0) break;
      }
      expect(done).toBe(false);
      const late = createHash('sha256').update(randomBytes(32)).digest();
      await login.query(
        `INSERT INTO warden.sessions (token_hash, principal_id, amr, mfa_at, created_at, last_seen_at, idle_timeout_seconds, absolute_expires_at)
         VALUES ($1, $2, ARRAY['pwd', 'otp'], $3, $3, $3, 1800, $4)`,
        [late, id, clock.now(), new Date(clock.now().getTime() + 12 * 60 * MIN)],
      );
      await login.query('COMMIT');
      await reset;
    } finally {
      login.release();
    }
    const { rows } = await dbs.control.query(
      'SELECT count(*) FILTER (WHERE revoked_at IS NULL)::int AS live, count(*)::int AS n FROM warden.sessions WHERE principal_id = $1',
      [id],
    );
    expect(rows[0].n).toBeGreaterThanOrEqual(2); // the one before and the late one
    expect(rows[0].live).toBe(0);
    const p = await dbs.control.query('SELECT totp_secret, totp_last_step FROM warden.principals WHERE id = $1', [id]);
    expect(p.rows[0]).toEqual({ totp_secret: null, totp_last_step: null });
    expect(await users.checkSession(before.token)).toEqual({ expired: true });
  });
});

describe('audit', () => {
  it('fails closed: without an audit log no session is handed out (and none stays usable)', async () => {
    await users.create({ name: 'no.audit', roles: ['analyst'], password: PW }, CLI);
    const broken: AuditSink = { append: () => Promise.reject(new Error('audit down')), close: async () => {} };
    const blind = createUserStore(dbs.control, await loadWardenPolicies(), {
      clock,
      audit: broken,
      alerts: createPgAlertSink(dbs.control),
      secretKey,
    });
    expect(await code(blind.login({ name: 'no.audit', password: PW }))).toBe('AUDIT_UNAVAILABLE');
    const { rows } = await dbs.control.query(
      `SELECT count(*)::int AS live FROM warden.sessions s JOIN warden.principals p ON p.id = s.principal_id WHERE p.name = 'no.audit' AND revoked_at IS NULL`,
    );
    expect(rows[0].live).toBe(0);
    expect(await code(blind.create({ name: 'never.made', roles: ['analyst'], password: PW }, CLI))).toBe('AUDIT_UNAVAILABLE');
    expect((await users.list()).map((u) => u.name)).not.toContain('never.made');
    expect(await code(users.login({ name: 'no.audit', password: PW }))).toBe('ok');
  });

  it('never records a password, code, token or TOTP secret', async () => {
    const { rows } = await dbs.control.query('SELECT * FROM warden.audit_events');
    expect(rows.length).toBeGreaterThan(50);
    const dump = JSON.stringify(rows);
    for (const s of secrets) expect(dump).not.toContain(s);
    // Six digits may occur inside a hash by chance: codes must not be any value, nor any value's word.
    const words = new Set(dump.split(/[^0-9]+/));
    for (const c of codes) expect(words.has(c)).toBe(false);
  });
});
