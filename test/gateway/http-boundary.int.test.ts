/** Authentication, the protocol whitelist, operation limits and error shapes at the HTTP boundary. */
import { parseApiKey } from '@warden/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, createTestWarden, errorCode, type TestWarden } from '../support/warden.js';

let w: TestWarden;
beforeAll(async () => {
  w = await createTestWarden({ enterprises: 20 });
});
afterAll(async () => {
  await w?.close();
});

describe('authentication', () => {
  // The first character of the secret (after `wdn_<12 hex>_`) changed: still well formed, so it fails on the secret's hash.
  const tampered = () => {
    const k = w.keys.app;
    const key = `${k.slice(0, 17)}${k[17] === 'A' ? 'B' : 'A'}${k.slice(18)}`;
    expect(parseApiKey(key)).toBeDefined();
    return { authorization: `Bearer ${key}` };
  };
  it.each([
    ['no Authorization header', () => ({})],
    ['a malformed header', () => ({ authorization: 'Basic abc' })],
    ['an unknown key', () => ({ authorization: 'Bearer wdn_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })],
    ['a tampered key', tampered],
  ])('a request with %s gets 401 and nothing else', async (_name, headers: () => Record<string, string>) => {
    const h = { 'content-type': 'application/json', ...headers() };
    const res = await w.app.inject({ method: 'POST', url: '/graphql', headers: h, payload: { query: '{ me { name } }' } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ errors: [{ message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(res.headers['www-authenticate']).toBe('Bearer realm="warden"');
  });

  it('a valid key is answered', async () => {
    const res = await w.post({ query: '{ me { name kind roles } }' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ data: { me: { name: 'test-app', kind: 'service', roles: ['app'] } } });
  });

  it('a revoked key is refused', async () => {
    const created = await w.principals.create({ name: 'short-lived-app', roles: ['app'] });
    const ok = await w.gql({ key: created.apiKey }, '{ me { name } }');
    expect(ok.status).toBe(200);
    expect(await w.principals.revokeKeys('short-lived-app')).toBe(1);
    const refused = await w.gql({ key: created.apiKey }, '{ me { name } }');
    expect(refused.status).toBe(401);
  });
});

describe('protocol whitelist and transport headers', () => {
  it('sends HSTS and security headers', async () => {
    const res = await w.post({ query: '{ me { name } }' });
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('refuses a body that is not JSON', async () => {
    const res = await w.post('query { me { name } }', { headers: { 'content-type': 'text/plain' } });
    expect(res.statusCode).toBe(415);
    expect(errorCode(res)).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses broken JSON with a clear error', async () => {
    const res = await w.post('{"query": ');
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('BAD_REQUEST');
  });

  it('refuses other methods on /graphql', async () => {
    const res = await w.app.inject({ method: 'GET', url: '/graphql?query={me{name}}', headers: { authorization: `Bearer ${w.keys.app}` } });
    expect(res.statusCode).toBe(405);
    expect(errorCode(res)).toBe('METHOD_NOT_ALLOWED');
  });

  it('answers unknown paths with NOT_FOUND', async () => {
    const res = await w.app.inject({ method: 'GET', url: '/admin' });
    expect(res.statusCode).toBe(404);
    expect(errorCode(res)).toBe('NOT_FOUND');
  });

  it('refuses batched operations', async () => {
    const res = await w.post([{ query: '{ me { name } }' }, { query: '{ me { name } }' }]);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ errors: [{ message: 'Batched operations are not accepted', extensions: { code: 'BATCH_NOT_ALLOWED' } }] });
  });
});

describe('operation checks before any resolver', () => {
  it('a document that does not parse gets GRAPHQL_PARSE_FAILED', async () => {
    const res = await w.post({ query: '{ enterprises(first: 2) { edges { node { name } }' });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('an unknown field gets GRAPHQL_VALIDATION_FAILED', async () => {
    const res = await w.post({ query: '{ enterprises { edges { node { passwordHash } } } }' });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('a missing body gets BAD_REQUEST', async () => {
    const res = await w.post({ variables: {} });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('BAD_REQUEST');
  });

  it('too many aliases are refused', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: me { name }`).join(' ');
    const res = await w.post({ query: `{ ${aliases} }` });
    expect(errorCode(res)).toBe('TOO_MANY_ALIASES');
  });

  it('fifteen aliases are accepted', async () => {
    const aliases = Array.from({ length: 15 }, (_, i) => `a${i}: me { name }`).join(' ');
    const res = await w.post({ query: `{ ${aliases} }` });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().data)).toHaveLength(15);
  });

  it('a query nested past the depth limit is refused', async () => {
    const res = await w.post({
      query:
        '{ enterprises(first: 1) { edges { node { taxRecords(first: 1) { edges { node { id } } } } } } listedCompanies(first: 1) { edges { node { dailyQuotes(first: 1) { edges { node { id } } } } } } }',
    });
    expect(res.statusCode).toBe(200);
    const deep = await w.rebuild({ limits: { maxDepth: 5 } });
    const refused = await w.post(
      { query: '{ enterprises(first: 1) { edges { node { taxRecords(first: 1) { edges { node { id } } } } } } }' },
      { app: deep },
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0]).toEqual({ message: 'Query depth 7 exceeds the limit of 5', extensions: { code: 'QUERY_TOO_DEEP' } });
  });

  it('a query whose estimated cost is too high is refused', async () => {
    const res = await w.post({
      query:
        '{ enterprises(first: 100) { edges { node { name taxRecords(first: 100) { edges { node { taxYear taxPaid revenue } } } } } } }',
    });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('QUERY_TOO_COSTLY');
  });

  it('a page larger than the cap is refused', async () => {
    const res = await w.post({ query: '{ enterprises(first: 101) { edges { node { name } } } }' });
    expect(res.json().errors[0]).toEqual({
      message: 'At most 100 rows per page',
      path: ['enterprises'],
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'PAGE_SIZE_EXCEEDED' },
    });
  });

  it('introspection is for administrators only', async () => {
    const app = await w.post({ query: '{ __schema { queryType { name } } }' });
    expect(app.statusCode).toBe(400);
    expect(errorCode(app)).toBe('INTROSPECTION_DISABLED');
    const admin = await w.gql('sysadmin', '{ __schema { queryType { name } } }');
    expect(admin.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('introspection is open to every role in development', async () => {
    const dev = await w.rebuild({ development: true });
    const res = await w.post({ query: '{ __type(name: "Enterprise") { name } }' }, { app: dev });
    expect(res.json()).toEqual({ data: { __type: { name: 'Enterprise' } } });
  });

  it('__typename is not introspection', async () => {
    const res = await w.post({ query: '{ me { __typename name } }' });
    expect(res.json()).toEqual({ data: { me: { __typename: 'Me', name: 'test-app' } } });
  });
});

describe('unexpected errors', () => {
  it('reach the client as a generic error with a request id, never the cause', async () => {
    await w.dbs.stores.investment.query('ALTER TABLE funds RENAME TO funds_moved');
    try {
      const res = await w.post({ query: '{ funds(first: 2) { edges { node { name } } } }' });
      const body = res.json();
      expect(errorCode(res)).toBe('INTERNAL_ERROR');
      expect(body.errors[0].extensions.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.errors[0].message).toBe(`Unexpected error (request ${body.errors[0].extensions.requestId})`);
      expect(JSON.stringify(body)).not.toMatch(/funds_moved|relation|SELECT|does not exist/);
    } finally {
      await w.dbs.stores.investment.query('ALTER TABLE funds_moved RENAME TO funds');
    }
  });
});

describe('health and metrics', () => {
  it('answers liveness and readiness without a key', async () => {
    expect((await w.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await w.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().databases).toEqual({ control: 'ok', enterprise: 'ok', policy: 'ok', investment: 'ok' });
  });

  it('exposes Prometheus metrics including audit and disclosure counters', async () => {
    await w.post({ query: '{ enterprises(first: 2) { edges { node { legalRepMobile } } } }' });
    const res = await w.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('warden_audit_events_total{outcome="written"}');
    expect(res.body).toMatch(/warden_field_disclosures_total\{action="MASK"\} \d+/);
    expect(res.body).toContain('warden_http_request_duration_seconds_bucket');
  });
});

describe('logs', () => {
  it('are JSON and carry no key, no variables and no data values, even for failures', async () => {
    const { app, lines } = await w.rebuildLogging();
    const { rows } = await w.dbs.stores.enterprise.query('SELECT legal_rep_mobile FROM enterprises LIMIT 1');
    await w.post(
      {
        query: 'query($m: String) { enterprises(filter: { legalRepMobile: $m }) { edges { node { name } } } }',
        variables: { m: rows[0].legal_rep_mobile },
      },
      { app },
    );
    await w.post({ query: '{ enterprises(first: 2) { edges { node { legalRepMobile } } } }' }, { app });
    await w.dbs.stores.investment.query('ALTER TABLE funds RENAME TO funds_gone');
    try {
      await w.post({ query: '{ funds(first: 1) { edges { node { name } } } }' }, { app });
    } finally {
      await w.dbs.stores.investment.query('ALTER TABLE funds_gone RENAME TO funds');
    }
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    const all = lines.join('');
    expect(all).toContain('resolver failed'); // the cause reaches the log…
    expect(all).not.toContain(w.keys.app); // …but never a key
    const secret = parseApiKey(w.keys.app)?.secret; // the secret may itself contain '_'
    expect(secret).toHaveLength(43);
    expect(all).not.toContain(secret);
    expect(all).not.toContain(rows[0].legal_rep_mobile);
  });
});

describe('rate limiting', () => {
  it('limits each principal to its budget and tells it when to retry', async () => {
    const app = await w.rebuild({ rateLimit: { max: 3, windowMs: 60_000 } });
    const ask = (as: Caller) => w.post({ query: '{ me { name } }' }, { app, as });
    for (let i = 0; i < 3; i++) expect((await ask('app')).statusCode).toBe(200);
    const limited = await ask('app');
    expect(limited.statusCode).toBe(429);
    expect(errorCode(limited)).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await ask('analyst')).statusCode).toBe(200); // another principal has its own budget
    for (let i = 0; i < 5; i++) expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('variables', () => {
  it('a variable of the wrong type gets GRAPHQL_VALIDATION_FAILED', async () => {
    const res = await w.post({ query: 'query($n: Int) { enterprises(first: $n) { edges { node { name } } } }', variables: { n: 'many' } });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('variables that are not an object get BAD_REQUEST', async () => {
    const res = await w.post({ query: '{ me { name } }', variables: [1, 2] });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('BAD_REQUEST');
  });
});
