/** Creating service principals and revoking their keys are administrative actions: audited before they commit. */
import { createPrincipalStore } from '@warden/access';
import { createPgAuditSink } from '@warden/audit';
import { isWardenError } from '@warden/core';
import { loadWardenPolicies } from '@warden/policies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabases, type TestDatabases } from '../support/databases.js';

let dbs: TestDatabases;
beforeAll(async () => {
  dbs = await createTestDatabases();
});
afterAll(async () => {
  await dbs?.drop();
});

const failing = { append: () => Promise.reject(new Error('audit down')), close: async () => {} };

describe('principal administration', () => {
  it('records who created a principal and who revoked its keys', async () => {
    const audit = createPgAuditSink(dbs.control);
    const store = createPrincipalStore(dbs.control, await loadWardenPolicies(), { audit });
    await store.create({ name: 'svc-audited', roles: ['app'] }, { cli: 'ops' });
    expect(await store.revokeKeys('svc-audited', { cli: 'ops' })).toBe(1);
    await audit.close();
    const { rows } = await dbs.control.query(
      "SELECT action, actor_name, subject, detail->>'keys' AS keys FROM warden.audit_events WHERE subject = 'svc-audited' ORDER BY seq",
    );
    expect(rows).toEqual([
      { action: 'principal.create', actor_name: 'os:ops', subject: 'svc-audited', keys: null },
      { action: 'principal.revoke', actor_name: 'os:ops', subject: 'svc-audited', keys: '1' },
    ]);
  });

  it('creates nothing and revokes nothing when the audit log cannot record it', async () => {
    const policies = await loadWardenPolicies();
    const store = createPrincipalStore(dbs.control, policies, { audit: failing });
    const created = await store.create({ name: 'svc-unaudited', roles: ['app'] }).catch((e: unknown) => e);
    expect(isWardenError(created) && created.code).toBe('AUDIT_UNAVAILABLE');
    const { rows } = await dbs.control.query("SELECT 1 FROM warden.principals WHERE name = 'svc-unaudited'");
    expect(rows).toEqual([]);

    const { apiKey } = await createPrincipalStore(dbs.control, policies).create({ name: 'svc-kept', roles: ['app'] });
    const revoked = await store.revokeKeys('svc-kept').catch((e: unknown) => e);
    expect(isWardenError(revoked) && revoked.code).toBe('AUDIT_UNAVAILABLE');
    expect(await createPrincipalStore(dbs.control, policies).authenticateApiKey(apiKey)).toMatchObject({ name: 'svc-kept' });
  });
});
