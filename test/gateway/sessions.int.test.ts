/**
 * People's sessions at the HTTP boundary: `Bearer wds_…` beside API keys,
 * SESSION_EXPIRED for a token that was valid once (idle, absolute, logged
 * out, disabled) and UNAUTHENTICATED for anything else, the per-address
 * failure budget for both, and login answers that do not tell who exists.
 */
import { randomBytes } from 'node:crypto';
import { fixedClock } from '@warden/core';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestUser, login, PASSWORD, relogin, type TestUser } from '../support/users.js';
import { createTestWarden, errorCode, type TestWarden } from '../support/warden.js';

const clock = fixedClock('2026-12-01T08:00:00Z');
const MIN = 60_000;
const SESSION = '{ session { name amr mfaEnrolled } }';
let w: TestWarden;
let analyst: TestUser;
let officer: TestUser;

beforeAll(async () => {
  w = await createTestWarden({ clock, enterprises: 5 });
  analyst = await createTestUser(w, clock, 'sam', ['analyst']);
  officer = await createTestUser(w, clock, 'olivia', ['officer']);
});
afterAll(async () => {
  await w?.close();
});

/** The answer without the per-request parts (request ids). */
function shape(res: LightMyRequestResponse) {
  const body = res.json() as { errors?: { extensions: Record<string, unknown> }[] };
  for (const e of body.errors ?? []) delete e.extensions.requestId;
  return { status: res.statusCode, body, authenticate: res.headers['www-authenticate'] ?? null };
}

describe('session tokens at the gateway', () => {
  it('authenticate a person, with the amr of their session', async () => {
    const res = await as(w, analyst.token, SESSION);
    expect(res).toEqual({ status: 200, body: { data: { session: { name: 'sam', amr: ['pwd', 'otp'], mfaEnrolled: true } } } });
  });

  it('an unknown or malformed token is UNAUTHENTICATED; an API key still works beside sessions', async () => {
    for (const token of [`wds_${randomBytes(32).toString('base64url')}`, 'wds_short', `${analyst.token}x`]) {
      const res = await as(w, token, SESSION);
      expect(res.status).toBe(401);
      expect(errorCode(res.body)).toBe('UNAUTHENTICATED');
    }
    expect((await w.gql('analyst', '{ me { name } }')).body).toEqual({ data: { me: { name: 'test-analyst' } } });
  });

  it('after logout the token gets SESSION_EXPIRED; the person’s other session goes on', async () => {
    const other = { ...analyst };
    await relogin(w, clock, other);
    const out = await as(w, other.token, 'mutation { logout }');
    expect(out.body).toEqual({ data: { logout: true } });
    const after = await w.post({ query: SESSION }, { as: { key: other.token } });
    expect(shape(after)).toEqual({
      status: 401,
      body: { errors: [{ message: 'The session has expired; log in again', extensions: { code: 'SESSION_EXPIRED' } }] },
      authenticate: 'Bearer realm="warden"',
    });
    expect((await as(w, analyst.token, SESSION)).status).toBe(200);
  });

  it('expires after 30 idle minutes for an analyst and 15 for an officer, each request renewing the time', async () => {
    await relogin(w, clock, analyst);
    await relogin(w, clock, officer);
    clock.advance(15 * MIN - 1);
    expect((await as(w, analyst.token, SESSION)).status).toBe(200);
    expect((await as(w, officer.token, SESSION)).status).toBe(200);
    clock.advance(15 * MIN);
    const late = await as(w, officer.token, SESSION);
    expect(late.status).toBe(401);
    expect(errorCode(late.body)).toBe('SESSION_EXPIRED');
    expect((await as(w, analyst.token, SESSION)).status).toBe(200);
    clock.advance(30 * MIN);
    expect(errorCode((await as(w, analyst.token, SESSION)).body)).toBe('SESSION_EXPIRED');
    await relogin(w, clock, analyst);
    await relogin(w, clock, officer);
  });

  it('ends after 12 hours of continuous use', async () => {
    await relogin(w, clock, analyst);
    for (let i = 0; i < 28; i++) {
      clock.advance(25 * MIN); // up to 11 h 40 min
      expect((await as(w, analyst.token, SESSION)).status).toBe(200);
    }
    clock.advance(20 * MIN);
    expect(errorCode((await as(w, analyst.token, SESSION)).body)).toBe('SESSION_EXPIRED');
    await relogin(w, clock, analyst);
    await relogin(w, clock, officer);
  });

  it('a disabled person’s session is over at once', async () => {
    const carl = await createTestUser(w, clock, 'carl', ['analyst']);
    expect((await as(w, carl.token, SESSION)).status).toBe(200);
    await w.dbs.control.query(`UPDATE warden.principals SET disabled = true WHERE name = 'carl'`);
    expect(errorCode((await as(w, carl.token, SESSION)).body)).toBe('SESSION_EXPIRED');
  });

  it('counts bad and expired session tokens in the per-address failure budget', async () => {
    const app = await w.rebuild({ maxAuthFailuresPerMinute: 3 });
    const from = (remoteAddress: string, key: string) => w.post({ query: SESSION }, { app, as: { key }, remoteAddress });
    for (let i = 0; i < 3; i++) expect((await from('10.0.0.1', `wds_${randomBytes(32).toString('base64url')}`)).statusCode).toBe(401);
    const blocked = await from('10.0.0.1', analyst.token);
    expect(blocked.statusCode).toBe(429);
    expect(errorCode(blocked)).toBe('RATE_LIMITED');
    expect((await from('10.0.0.2', analyst.token)).statusCode).toBe(200);
    const expired = { ...analyst };
    await relogin(w, clock, expired);
    await as(w, expired.token, 'mutation { logout }');
    for (let i = 0; i < 3; i++) expect(errorCode(await from('10.0.0.3', expired.token))).toBe('SESSION_EXPIRED');
    expect((await from('10.0.0.3', analyst.token)).statusCode).toBe(429);
    clock.advance(MIN);
    expect((await from('10.0.0.3', analyst.token)).statusCode).toBe(200);
  });
});

describe('login over GraphQL', () => {
  it('answers a wrong password and an unknown name with the same body', async () => {
    const wrong = shape(await login(w, 'sam', 'Not-The-Password-1'));
    const unknown = shape(await login(w, 'samuel', 'Not-The-Password-1'));
    expect(wrong).toEqual(unknown);
    expect(JSON.stringify(wrong.body)).toContain('INVALID_CREDENTIALS');
    expect(JSON.stringify(wrong.body)).not.toMatch(/sam/);
  });

  it('locks known and unknown names alike after five failures, with the same answers', async () => {
    const answers = async (name: string) => {
      const out: unknown[] = [];
      for (let i = 0; i < 6; i++) out.push(shape(await login(w, name, `Wrong-Password-${i}`)));
      return out;
    };
    await w.users.create({ name: 'lena', roles: ['analyst'], password: PASSWORD }, { cli: 'test' });
    const known = await answers('lena');
    const unknown = await answers('lenb');
    expect(known).toEqual(unknown);
    expect(JSON.stringify(known[5])).toContain('ACCOUNT_LOCKED');
    // The right password does not get through the lock.
    expect(JSON.stringify(shape(await login(w, 'lena', PASSWORD)))).toContain('ACCOUNT_LOCKED');
    clock.advance(30 * MIN);
    expect((await login(w, 'lena', PASSWORD)).json().data.login.session).toMatchObject({ amr: ['pwd'], mfaEnrolled: false });
  });

  it('keeps the session table free of tokens', async () => {
    const { rows } = await w.dbs.control.query('SELECT * FROM warden.sessions');
    const dump = JSON.stringify(rows) + rows.map((r) => r.token_hash.toString('latin1')).join('');
    for (const u of [analyst, officer]) expect(dump).not.toContain(u.token.slice(4));
  });
});
