/** Principals and API keys on real PostgreSQL. */
import { createPrincipalStore } from '@warden/access';
import { parseApiKey } from '@warden/crypto';
import { loadWardenPolicies } from '@warden/policies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabases, type TestDatabases } from '../support/databases.js';
import { outcomeCode } from '../support/outcome.js';

let dbs: TestDatabases;
beforeAll(async () => {
  dbs = await createTestDatabases();
});
afterAll(async () => {
  await dbs?.drop();
});

const code = outcomeCode;

describe('principals', () => {
  it('stores only a hash of the key and authenticates it', async () => {
    const store = createPrincipalStore(dbs.control, await loadWardenPolicies());
    const { principal, apiKey } = await store.create({ name: 'reporting-app', roles: ['app'] });
    const { rows } = await dbs.control.query('SELECT secret_hash FROM warden.api_keys WHERE principal_id = $1', [principal.id]);
    expect(rows[0].secret_hash).toMatch(/^[0-9a-f]{64}$/);
    const secret = parseApiKey(apiKey)?.secret; // the secret may itself contain '_'
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect((await store.authenticateApiKey(apiKey))?.name).toBe('reporting-app');
    // Change the first character of the secret (after `wdn_<12 hex>_`): the key stays well formed and fails on the hash alone.
    const tampered = `${apiKey.slice(0, 17)}${apiKey[17] === 'A' ? 'B' : 'A'}${apiKey.slice(18)}`;
    expect(parseApiKey(tampered)).toBeDefined();
    expect(await store.authenticateApiKey(tampered)).toBeUndefined();
  });

  it('refuses combined administrative duties, unknown roles, bad names and duplicates, creating nothing', async () => {
    const store = createPrincipalStore(dbs.control, await loadWardenPolicies());
    expect(await code(store.create({ name: 'root-of-all', roles: ['sysadmin', 'auditor'] }))).toBe('INVALID_ARGUMENT');
    expect(await code(store.create({ name: 'ghost', roles: ['superuser'] }))).toBe('UNKNOWN_ROLE');
    expect(await code(store.create({ name: 'Bad Name!', roles: ['app'] }))).toBe('INVALID_ARGUMENT');
    expect(await code(store.create({ name: 'twice', roles: ['app'] }))).toBe('ok');
    expect(await code(store.create({ name: 'twice', roles: ['analyst'] }))).toBe('PRINCIPAL_EXISTS');
    const names = (await store.list()).map((p) => p.name);
    expect(names).not.toContain('root-of-all');
    expect(names).not.toContain('ghost');
    expect(names.filter((n) => n === 'twice')).toHaveLength(1);
  });
});
