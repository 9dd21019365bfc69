/**
 * Human users for gateway tests: created as an operator would (CLI actor),
 * logged in over GraphQL, TOTP enrolled and confirmed — so every test user
 * holds a real session token with MFA, as in production.
 */
import { totpCode } from '@warden/mfa';
import type { LightMyRequestResponse } from 'fastify';
import type { GqlBody, TestWarden } from './warden.js';

export interface TestClock {
  now(): Date;
  advance(ms: number): void;
}

export interface TestUser {
  name: string;
  password: string;
  /** The TOTP secret shown at enrolment. */
  secret: string;
  /** The session token (Bearer). */
  token: string;
}

/** A field of an answer's data, which must be there (the errors are shown if it is not). */
export function pick<T>(res: { body: GqlBody }, name: string): T {
  const v = res.body.data?.[name];
  if (v == null) throw new Error(`no ${name} in the answer: ${JSON.stringify(res.body.errors)}`);
  return v as T;
}

/** POST /graphql with no credentials at all. */
export function anonymous(w: TestWarden, payload: object): Promise<LightMyRequestResponse> {
  return w.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload });
}

/** A GraphQL call with a session token; the parsed body. */
export async function as(
  w: TestWarden,
  token: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: GqlBody }> {
  const res = await w.post({ query, variables }, { as: { key: token }, headers });
  return { status: res.statusCode, body: res.json() as GqlBody };
}

const LOGIN = `mutation ($name: String!, $password: String!, $code: String) {
  login(name: $name, password: $password, code: $code) { token session { amr mfaAt mfaEnrolled } }
}`;

export async function login(w: TestWarden, name: string, password: string, code?: string): Promise<LightMyRequestResponse> {
  return anonymous(w, { query: LOGIN, variables: { name, password, code } });
}

/** A fresh TOTP code: the clock moves to the next 30 s step first, since each code is accepted once. */
export async function nextCode(clock: TestClock, user: TestUser): Promise<string> {
  clock.advance(30_000);
  return totpCode(user.secret, clock.now());
}

export const PASSWORD = 'Correct-Horse-Battery-9';

/** Creates a user with roles, logs in, enrols and confirms TOTP: the session has MFA. */
export async function createTestUser(w: TestWarden, clock: TestClock, name: string, roles: string[]): Promise<TestUser> {
  if (!w.users) throw new Error('the test warden has no user store');
  await w.users.create({ name, roles, password: PASSWORD }, { cli: 'test' });
  const first = (await login(w, name, PASSWORD)).json() as { data: { login: { token: string } } };
  const token = first.data.login.token;
  const enrol = await as(w, token, 'mutation { enrolTotp { secret uri qrSvg } }');
  const secret = pick<{ secret: string }>(enrol, 'enrolTotp').secret;
  const user = { name, password: PASSWORD, secret, token };
  const confirmed = await as(w, token, 'mutation ($c: String!) { confirmTotp(code: $c) { mfaAt } }', { c: await nextCode(clock, user) });
  if (!confirmed.body.data) throw new Error(`confirmTotp failed: ${JSON.stringify(confirmed.body.errors)}`);
  return user;
}

/** Step-up MFA in the user's session (e.g. an approver's, at most 5 minutes old). */
export async function stepUp(w: TestWarden, clock: TestClock, user: TestUser): Promise<void> {
  const res = await as(w, user.token, 'mutation ($c: String!) { verifyMfa(code: $c) { mfaAt } }', { c: await nextCode(clock, user) });
  if (!res.body.data) throw new Error(`verifyMfa failed: ${JSON.stringify(res.body.errors)}`);
}

/** A new session for the user (password + a fresh code), e.g. after the clock passed the idle or absolute expiry. */
export async function relogin(w: TestWarden, clock: TestClock, user: TestUser): Promise<void> {
  const res = await login(w, user.name, user.password, await nextCode(clock, user));
  const token = (res.json() as { data?: { login?: { token?: string } } }).data?.login?.token;
  if (!token) throw new Error(`login failed for ${user.name}: ${res.body}`);
  user.token = token;
}
