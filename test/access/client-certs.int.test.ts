/** mTLS client certificates of service principals on real PostgreSQL: issue, authenticate, revoke, audit — on a fake clock. */
import { randomUUID, X509Certificate } from 'node:crypto';
import { type Actor, CERT_CACHE_MS, type CompiledPolicies, createPrincipalStore, type PrincipalStore } from '@warden/access';
import { type AuditSink, createPgAuditSink } from '@warden/audit';
import { fixedClock, type Principal } from '@warden/core';
import { createInternalCa, fingerprintCertificate } from '@warden/crypto';
import { loadWardenPolicies } from '@warden/policies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabases, type TestDatabases } from '../support/databases.js';
import { outcomeCode } from '../support/outcome.js';

const DAY = 24 * 60 * 60 * 1000;
const CLI: Actor = { cli: 'root' };
const ca = createInternalCa({ now: new Date('2026-01-01T00:00:00Z') });

let dbs: TestDatabases;
let audit: AuditSink;
let policies: CompiledPolicies;
let store: PrincipalStore;
const clock = fixedClock('2026-03-02T09:00:00Z');

beforeAll(async () => {
  dbs = await createTestDatabases();
  audit = createPgAuditSink(dbs.control);
  policies = await loadWardenPolicies();
  store = createPrincipalStore(dbs.control, policies, { clock, audit });
});
afterAll(async () => {
  await audit?.close();
  await dbs?.drop();
});

const code = outcomeCode;

async function auditRows(action: string, subject: string) {
  const { rows } = await dbs.control.query<{
    actor_name: string;
    outcome: string;
    reason_code: string | null;
    detail: Record<string, unknown>;
  }>('SELECT actor_name, outcome, reason_code, detail FROM warden.audit_events WHERE action = $1 AND subject = $2 ORDER BY seq', [
    action,
    subject,
  ]);
  return rows;
}

/** A person in a session, as the user store would hand one out (the certificate store checks only the fields). */
function person(roles: string[], mfa: boolean): Principal {
  return {
    id: randomUUID(),
    name: `person-${roles.join('-')}`,
    kind: 'user',
    roles,
    amr: mfa ? ['pwd', 'otp'] : ['pwd'],
    ...(mfa ? { mfaAt: clock.now() } : {}),
  };
}

describe('issuing client certificates', () => {
  it('issues a certificate for a service principal (CN = its name), binds its fingerprint and audits the issue', async () => {
    const { principal } = await store.create({ name: 'etl-job', roles: ['app'] });
    const issued = await store.issueCertificate('etl-job', ca, { days: 30, actor: CLI });

    const x509 = new X509Certificate(issued.certPem);
    expect(x509.subject).toBe('CN=etl-job');
    expect(x509.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(issued.fingerprint).toBe(fingerprintCertificate(issued.certPem));
    expect(issued.notAfter.getTime()).toBe(clock.now().getTime() + 30 * DAY);
    expect(issued.keyPem).toContain('PRIVATE KEY');

    const { rows } = await dbs.control.query('SELECT * FROM warden.client_certificates WHERE fingerprint = $1', [issued.fingerprint]);
    expect(rows[0]).toMatchObject({
      principal_id: principal.id,
      subject_cn: 'etl-job',
      serial: x509.serialNumber.toLowerCase(),
      revoked_at: null,
    });
    expect(JSON.stringify(rows)).not.toContain('PRIVATE KEY');

    const events = await auditRows('auth.cert.issue', 'etl-job');
    expect(events).toEqual([
      expect.objectContaining({
        actor_name: 'os:root',
        outcome: 'ALLOWED',
        detail: expect.objectContaining({ fingerprint: issued.fingerprint, days: 30 }),
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain('PRIVATE KEY');
  });

  it('refuses people, unknown and disabled principals and bad lifetimes, auditing the refusals and storing nothing', async () => {
    await store.create({ name: 'li.lei', roles: ['analyst'], kind: 'user' });
    await store.create({ name: 'retired-app', roles: ['app'] });
    await dbs.control.query("UPDATE warden.principals SET disabled = true WHERE name = 'retired-app'");
    await store.create({ name: 'short-lived', roles: ['app'] });

    expect(await code(store.issueCertificate('li.lei', ca, { actor: CLI }))).toBe('INVALID_ARGUMENT');
    expect(await code(store.issueCertificate('nobody-here', ca, { actor: CLI }))).toBe('NOT_FOUND');
    expect(await code(store.issueCertificate('retired-app', ca, { actor: CLI }))).toBe('INVALID_ARGUMENT');
    for (const days of [0, -1, 1.5, 826, Number.NaN])
      expect(await code(store.issueCertificate('short-lived', ca, { days, actor: CLI }))).toBe('INVALID_ARGUMENT');
    expect(await code(store.issueCertificate('short-lived', ca, { days: 825, actor: CLI }))).toBe('ok');

    for (const name of ['li.lei', 'nobody-here', 'retired-app']) {
      expect(await auditRows('auth.cert.issue', name)).toEqual([expect.objectContaining({ outcome: 'DENIED' })]);
    }
    const { rows } = await dbs.control.query(
      "SELECT count(*)::int AS n FROM warden.client_certificates c JOIN warden.principals p ON p.id = c.principal_id WHERE p.name IN ('li.lei', 'retired-app')",
    );
    expect(rows[0].n).toBe(0);
  });

  it('the database itself refuses a certificate bound to a person', async () => {
    const { rows } = await dbs.control.query("SELECT id FROM warden.principals WHERE name = 'li.lei'");
    await expect(
      dbs.control.query(
        "INSERT INTO warden.client_certificates (fingerprint, principal_id, serial, subject_cn, not_before, not_after) VALUES ($1, $2, '01', 'li.lei', now(), now() + interval '1 day')",
        ['a'.repeat(64), rows[0].id],
      ),
    ).rejects.toThrow(/service principals only/);
  });

  it('lets an administrator with MFA issue, and refuses one without MFA or without manage Principal (audited)', async () => {
    await store.create({ name: 'admin-issued', roles: ['app'] });
    const admin = person(['sysadmin'], true);
    expect(await code(store.issueCertificate('admin-issued', ca, { actor: { principal: admin } }))).toBe('ok');
    expect(await code(store.issueCertificate('admin-issued', ca, { actor: { principal: person(['sysadmin'], false) } }))).toBe(
      'MFA_REQUIRED',
    );
    expect(await code(store.issueCertificate('admin-issued', ca, { actor: { principal: person(['officer'], true) } }))).toBe('FORBIDDEN');
    const service: Principal = { id: randomUUID(), name: 'svc', kind: 'service', roles: ['sysadmin'], amr: ['key'] };
    expect(await code(store.issueCertificate('admin-issued', ca, { actor: { principal: service } }))).toBe('FORBIDDEN');
    expect(await code(store.issueCertificate('admin-issued', ca, { actor: { cli: '' } }))).toBe('UNAUTHENTICATED');
    expect((await auditRows('auth.cert.issue', 'admin-issued')).map((e) => [e.actor_name, e.outcome, e.reason_code])).toEqual([
      [admin.name, 'ALLOWED', null],
      ['person-sysadmin', 'DENIED', 'MFA_REQUIRED'],
      ['person-officer', 'DENIED', 'FORBIDDEN'],
      ['svc', 'DENIED', 'FORBIDDEN'],
    ]);
  });

  it('hands out no certificate when the audit log cannot be written, and stores none', async () => {
    const broken: AuditSink = { append: () => Promise.reject(new Error('audit down')), close: async () => {} };
    const noAudit = createPrincipalStore(dbs.control, policies, { clock, audit: broken });
    await store.create({ name: 'unaudited', roles: ['app'] });
    expect(await code(noAudit.issueCertificate('unaudited', ca, { actor: CLI }))).toBe('AUDIT_UNAVAILABLE');
    expect(await code(createPrincipalStore(dbs.control, policies, { clock }).issueCertificate('unaudited', ca, { actor: CLI }))).toBe(
      'AUDIT_UNAVAILABLE',
    );
    const { rows } = await dbs.control.query(
      "SELECT count(*)::int AS n FROM warden.client_certificates c JOIN warden.principals p ON p.id = c.principal_id WHERE p.name = 'unaudited'",
    );
    expect(rows[0].n).toBe(0);
  });
});

describe('authenticating with a certificate', () => {
  it('resolves a bound fingerprint to its service principal with amr mtls, and nothing else', async () => {
    const { principal } = await store.create({ name: 'billing-svc', roles: ['app'] });
    const { fingerprint } = await store.issueCertificate('billing-svc', ca, { days: 10, actor: CLI });
    expect(await store.authenticateCertificate(fingerprint, clock.now())).toEqual({ ...principal, amr: ['mtls'] });
    // The colon-separated upper-case form (openssl x509 -fingerprint -sha256) is the same fingerprint.
    const colons = fingerprint.toUpperCase().match(/../g)?.join(':') ?? '';
    expect((await store.authenticateCertificate(colons, clock.now()))?.name).toBe('billing-svc');

    // Deny twins: a fingerprint nobody was issued, and things that are not fingerprints.
    const stranger = fingerprintCertificate(createInternalCa().certPem);
    expect(await store.authenticateCertificate(stranger, clock.now())).toBeUndefined();
    for (const junk of ['', 'zz', `${fingerprint}00`, fingerprint.slice(1), "' OR 1=1 --"]) {
      expect(await store.authenticateCertificate(junk, clock.now())).toBeUndefined();
    }
  });

  it('accepts a certificate only inside its validity', async () => {
    await store.create({ name: 'validity-svc', roles: ['app'] });
    const issuedAt = clock.now();
    const { fingerprint, notAfter } = await store.issueCertificate('validity-svc', ca, { days: 1, actor: CLI });
    expect(await store.authenticateCertificate(fingerprint, new Date(notAfter.getTime() - 1000))).toBeDefined();
    expect(await store.authenticateCertificate(fingerprint, notAfter)).toBeUndefined();
    expect(await store.authenticateCertificate(fingerprint, new Date(issuedAt.getTime() + 2 * DAY))).toBeUndefined();
    expect(await store.authenticateCertificate(fingerprint, new Date(issuedAt.getTime() - DAY))).toBeUndefined();
  });

  it('stops accepting the certificate of a principal that is disabled, within the cache time', async () => {
    await store.create({ name: 'soon-disabled', roles: ['app'] });
    const { fingerprint } = await store.issueCertificate('soon-disabled', ca, { actor: CLI });
    expect(await store.authenticateCertificate(fingerprint, clock.now())).toBeDefined();
    await dbs.control.query("UPDATE warden.principals SET disabled = true WHERE name = 'soon-disabled'");
    clock.advance(CERT_CACHE_MS);
    expect(await store.authenticateCertificate(fingerprint, clock.now())).toBeUndefined();
  });

  it('never authenticates a person, even with a row forced past the trigger (its service twin does authenticate)', async () => {
    await store.create({ name: 'forced.person', roles: ['analyst'], kind: 'user' });
    await store.create({ name: 'forced-twin', roles: ['app'] });
    // Valid on the store's clock, not the database's: only the kind of principal tells the two rows apart.
    const notBefore = new Date(clock.now().getTime() - DAY);
    const notAfter = new Date(clock.now().getTime() + 400 * DAY);
    const c = await dbs.control.connect();
    try {
      await c.query('BEGIN');
      await c.query('ALTER TABLE warden.client_certificates DISABLE TRIGGER client_certificates_service_only');
      const { rows } = await c.query<{ id: string; name: string }>(
        "SELECT id, name FROM warden.principals WHERE name IN ('forced.person', 'forced-twin')",
      );
      expect(rows).toHaveLength(2);
      for (const r of rows) {
        await c.query(
          'INSERT INTO warden.client_certificates (fingerprint, principal_id, serial, subject_cn, not_before, not_after) VALUES ($1, $2, $3, $4, $5, $6)',
          [
            (r.name === 'forced.person' ? 'b' : 'd').repeat(64),
            r.id,
            r.name === 'forced.person' ? '02' : '03',
            r.name,
            notBefore,
            notAfter,
          ],
        );
      }
      await c.query('ALTER TABLE warden.client_certificates ENABLE TRIGGER client_certificates_service_only');
      await c.query('COMMIT');
    } finally {
      c.release();
    }
    expect((await store.authenticateCertificate('d'.repeat(64), clock.now()))?.name).toBe('forced-twin');
    expect(await store.authenticateCertificate('b'.repeat(64), clock.now())).toBeUndefined();
  });
});

describe('revoking certificates', () => {
  it('revokes by fingerprint at once in this process, records who revoked, and audits it', async () => {
    await store.create({ name: 'rotating-svc', roles: ['app'] });
    const old = await store.issueCertificate('rotating-svc', ca, { actor: CLI });
    const fresh = await store.issueCertificate('rotating-svc', ca, { actor: CLI });
    expect(await store.authenticateCertificate(old.fingerprint, clock.now())).toBeDefined(); // now cached

    expect(await store.revokeCertificate(old.fingerprint.toUpperCase(), { actor: CLI })).toBe(1);
    expect(await store.authenticateCertificate(old.fingerprint, clock.now())).toBeUndefined();
    expect((await store.authenticateCertificate(fresh.fingerprint, clock.now()))?.name).toBe('rotating-svc');

    const { rows } = await dbs.control.query('SELECT revoked_at, revoked_by FROM warden.client_certificates WHERE fingerprint = $1', [
      old.fingerprint,
    ]);
    expect(rows[0]).toEqual({ revoked_at: clock.now(), revoked_by: 'os:root' });
    expect(await auditRows('auth.cert.revoke', 'rotating-svc')).toEqual([
      expect.objectContaining({ actor_name: 'os:root', outcome: 'ALLOWED', detail: { fingerprints: [old.fingerprint], count: 1 } }),
    ]);
    // Revoking again changes nothing.
    expect(await store.revokeCertificate(old.fingerprint, { actor: CLI })).toBe(0);
  });

  it('revokes every live certificate of a principal by name', async () => {
    await store.create({ name: 'two-certs', roles: ['app'] });
    const a = await store.issueCertificate('two-certs', ca, { actor: CLI });
    const b = await store.issueCertificate('two-certs', ca, { actor: CLI });
    expect(await store.revokeCertificate('two-certs', { actor: CLI })).toBe(2);
    expect(await store.authenticateCertificate(a.fingerprint, clock.now())).toBeUndefined();
    expect(await store.authenticateCertificate(b.fingerprint, clock.now())).toBeUndefined();
  });

  it('a revocation by another process takes effect within CERT_CACHE_MS', async () => {
    const other = createPrincipalStore(dbs.control, policies, { clock, audit }); // e.g. the CLI
    await store.create({ name: 'elsewhere-svc', roles: ['app'] });
    const { fingerprint } = await store.issueCertificate('elsewhere-svc', ca, { actor: CLI });
    expect(await store.authenticateCertificate(fingerprint, clock.now())).toBeDefined();
    expect(await other.revokeCertificate(fingerprint, { actor: CLI })).toBe(1);
    clock.advance(CERT_CACHE_MS - 1);
    expect(await store.authenticateCertificate(fingerprint, clock.now())).toBeDefined(); // still cached
    clock.advance(1);
    expect(await store.authenticateCertificate(fingerprint, clock.now())).toBeUndefined();
  });

  it('refuses unknown targets and unauthorised actors, and changes nothing when the audit log is down', async () => {
    expect(await code(store.revokeCertificate('c'.repeat(64), { actor: CLI }))).toBe('NOT_FOUND');
    expect(await code(store.revokeCertificate('no-such-svc', { actor: CLI }))).toBe('NOT_FOUND');
    expect(await auditRows('auth.cert.revoke', 'no-such-svc')).toEqual([
      expect.objectContaining({ outcome: 'DENIED', reason_code: 'NOT_FOUND' }),
    ]);

    await store.create({ name: 'kept-svc', roles: ['app'] });
    const { fingerprint } = await store.issueCertificate('kept-svc', ca, { actor: CLI });
    expect(await code(store.revokeCertificate(fingerprint, { actor: { principal: person(['analyst'], true) } }))).toBe('FORBIDDEN');
    const broken: AuditSink = { append: () => Promise.reject(new Error('audit down')), close: async () => {} };
    expect(
      await code(createPrincipalStore(dbs.control, policies, { clock, audit: broken }).revokeCertificate(fingerprint, { actor: CLI })),
    ).toBe('AUDIT_UNAVAILABLE');
    clock.advance(CERT_CACHE_MS);
    expect((await store.authenticateCertificate(fingerprint, clock.now()))?.name).toBe('kept-svc');
    expect(await code(store.revokeCertificate(fingerprint, { actor: { principal: person(['sysadmin'], true) } }))).toBe('ok');
    expect(await store.authenticateCertificate(fingerprint, clock.now())).toBeUndefined();
  });
});
