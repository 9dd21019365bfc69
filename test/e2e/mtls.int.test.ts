/**
 * mTLS end to end: a real HTTPS listener that asks for client certificates from
 * Warden's internal CA, and node:https clients presenting issued, revoked,
 * foreign, expired and no certificates, with and without a Bearer header.
 */
import type { AddressInfo } from 'node:net';
import { createPrincipalStore } from '@warden/access';
import { type AuditSink, createPgAuditSink } from '@warden/audit';
import { fixedClock } from '@warden/core';
import { createInternalCa, issueClientCertificate, issueServerCertificate } from '@warden/crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphqlTls } from '../support/warden-process.js';
import { createTestWarden, type TestWarden } from '../support/warden.js';

const DAY = 24 * 60 * 60 * 1000;
const CLI = { cli: 'ops' };
const ca = createInternalCa();
const server = issueServerCertificate(ca, { hosts: ['127.0.0.1', 'localhost'] });

let w: TestWarden;
let sink: AuditSink;
let url: URL;

interface Answer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { extensions: { code: string } }[] };
  code?: string;
}

/** POSTs a GraphQL query over a fresh TLS connection (no session reuse), optionally with a client certificate and headers. */
async function post(
  query: string,
  opts: { cert?: { certPem: string; keyPem: string }; headers?: Record<string, string>; at?: URL } = {},
): Promise<Answer> {
  const res = await postGraphqlTls(opts.at ?? url, query, {
    ca: ca.certPem,
    ...(opts.cert ? { cert: { cert: opts.cert.certPem, key: opts.cert.keyPem } } : {}),
    ...(opts.headers ? { headers: opts.headers } : {}),
  });
  const body = res.body as Answer['body'];
  return { status: res.status, body, code: body.errors?.[0]?.extensions.code };
}

async function listen(app: FastifyInstance): Promise<URL> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return new URL(`https://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
}

const ME = '{ me { name kind } }';
const STORE_QUERY = '{ enterprises(first: 1) { edges { node { name } } } }';

beforeAll(async () => {
  w = await createTestWarden({ enterprises: 5 });
  sink = createPgAuditSink(w.dbs.control);
  url = await listen(await w.rebuild({ https: { key: server.keyPem, cert: server.certPem }, clientCa: ca.certPem }));
});
afterAll(async () => {
  await sink?.close();
  await w?.close();
});

describe('mTLS client certificates', () => {
  it('authenticates a service principal with its issued certificate, and refuses it once revoked (audited both ways)', async () => {
    await w.principals.create({ name: 'cert-app', roles: ['app'] });
    const issued = await w.principals.issueCertificate('cert-app', ca, { days: 30, actor: CLI });

    const ok = await post(ME, { cert: issued });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ data: { me: { name: 'cert-app', kind: 'service' } } });
    const data = await post(STORE_QUERY, { cert: issued });
    expect(data.status).toBe(200);
    expect(data.code).toBeUndefined();

    expect(await w.principals.revokeCertificate('cert-app', { actor: CLI })).toBe(1);
    const revoked = await post(ME, { cert: issued });
    expect(revoked.status).toBe(401);
    expect(revoked.code).toBe('CERTIFICATE_REVOKED');

    const { rows } = await w.dbs.control.query(
      "SELECT action, outcome, actor_name FROM warden.audit_events WHERE subject = 'cert-app' AND action LIKE 'auth.cert.%' ORDER BY seq",
    );
    expect(rows).toEqual([
      { action: 'auth.cert.issue', outcome: 'ALLOWED', actor_name: 'os:ops' },
      { action: 'auth.cert.revoke', outcome: 'ALLOWED', actor_name: 'os:ops' },
    ]);
  });

  it('refuses a certificate from another CA, even one whose CN names a real principal', async () => {
    await w.principals.create({ name: 'foreign-app', roles: ['app'] });
    const mine = await w.principals.issueCertificate('foreign-app', ca, { actor: CLI });
    const foreign = issueClientCertificate(createInternalCa(), { commonName: 'foreign-app' });
    const res = await post(ME, { cert: foreign });
    expect(res.status).toBe(401);
    expect(res.code).toBe('CERTIFICATE_REVOKED');
    // Twin: the principal's own certificate works.
    expect((await post(ME, { cert: mine })).status).toBe(200);
  });

  it('refuses an expired certificate of our CA, bound to a live principal', async () => {
    await w.principals.create({ name: 'lapsed-app', roles: ['app'] });
    const past = createPrincipalStore(w.dbs.control, w.policies, { clock: fixedClock(new Date(Date.now() - 3 * DAY)), audit: sink });
    const expired = await past.issueCertificate('lapsed-app', ca, { days: 1, actor: CLI });
    const res = await post(ME, { cert: expired });
    expect(res.status).toBe(401);
    expect(res.code).toBe('CERTIFICATE_REVOKED');
    // Twin: a current certificate of the same principal works.
    const current = await w.principals.issueCertificate('lapsed-app', ca, { days: 1, actor: CLI });
    expect((await post(ME, { cert: current })).body).toEqual({ data: { me: { name: 'lapsed-app', kind: 'service' } } });
  });

  it('never authenticates a person with a certificate, even one bound past the database trigger', async () => {
    const { principal } = await w.principals.create({ name: 'zhao.min', roles: ['analyst'], kind: 'user' });
    const forged = issueClientCertificate(ca, { commonName: 'zhao.min' });
    const c = await w.dbs.control.connect();
    try {
      await c.query('BEGIN');
      await c.query('ALTER TABLE warden.client_certificates DISABLE TRIGGER client_certificates_service_only');
      await c.query(
        "INSERT INTO warden.client_certificates (fingerprint, principal_id, serial, subject_cn, not_before, not_after) VALUES ($1, $2, '03', 'zhao.min', now() - interval '1 day', now() + interval '30 days')",
        [forged.fingerprint, principal.id],
      );
      await c.query('ALTER TABLE warden.client_certificates ENABLE TRIGGER client_certificates_service_only');
      await c.query('COMMIT');
    } finally {
      c.release();
    }
    const res = await post(ME, { cert: forged });
    expect(res.status).toBe(401);
    expect(res.code).toBe('CERTIFICATE_REVOKED');
  });

  it('without a certificate or header: a store query is 401 UNAUTHENTICATED, login still reaches its resolver', async () => {
    const res = await post(STORE_QUERY);
    expect(res.status).toBe(401);
    expect(res.code).toBe('UNAUTHENTICATED');
    const login = await post('mutation { login(name: "nobody", password: "not-the-password") { token } }');
    expect(login.code).toBe('INVALID_CREDENTIALS');
  });

  it('a Bearer header wins over a certificate: a bad one is refused, a good one names its own principal', async () => {
    await w.principals.create({ name: 'header-app', roles: ['app'] });
    const issued = await w.principals.issueCertificate('header-app', ca, { actor: CLI });
    const bad = await post(ME, { cert: issued, headers: { authorization: 'Bearer wdn_000000000000_not-a-key' } });
    expect(bad.status).toBe(401);
    expect(bad.code).toBe('UNAUTHENTICATED');
    const good = await post(ME, { cert: issued, headers: { authorization: `Bearer ${w.keys.analyst}` } });
    expect(good.body).toEqual({ data: { me: { name: 'test-analyst', kind: 'service' } } });
  });

  it('counts refused certificates against the per-address failure budget', async () => {
    await w.principals.create({ name: 'budget-app', roles: ['app'] });
    const good = await w.principals.issueCertificate('budget-app', ca, { actor: CLI });
    const foreign = issueClientCertificate(createInternalCa(), { commonName: 'budget-app' });
    const at = await listen(
      await w.rebuild({ https: { key: server.keyPem, cert: server.certPem }, clientCa: ca.certPem, maxAuthFailuresPerMinute: 2 }),
    );
    expect((await post(ME, { cert: good, at })).status).toBe(200);
    expect((await post(ME, { cert: foreign, at })).code).toBe('CERTIFICATE_REVOKED');
    expect((await post(ME, { cert: foreign, at })).code).toBe('CERTIFICATE_REVOKED');
    const limited = await post(ME, { cert: good, at });
    expect(limited.status).toBe(429);
    expect(limited.code).toBe('RATE_LIMITED');
  });

  it('a server built without a client CA asks for no certificate: one offered anyway is ignored', async () => {
    await w.principals.create({ name: 'ignored-app', roles: ['app'] });
    const issued = await w.principals.issueCertificate('ignored-app', ca, { actor: CLI });
    const at = await listen(await w.rebuild({ https: { key: server.keyPem, cert: server.certPem } }));
    const res = await post(ME, { cert: issued, at });
    expect(res.status).toBe(401);
    expect(res.code).toBe('UNAUTHENTICATED');
    // Twin: with a client CA the same certificate authenticates.
    expect((await post(ME, { cert: issued })).status).toBe(200);
  });
});
