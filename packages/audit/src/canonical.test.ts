import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from './audit-event.js';
import { hashSourceIp, recordOf } from './audit-record.js';
import { type AuditRecord, CANONICAL_KEYS, canonicalBytes, canonicalRecord, chainHash, eventHash, GENESIS_HASH, jcs } from './canonical.js';

const record: AuditRecord = {
  event_id: '6f1c2a52-2f0e-4a4e-9d37-1f0a4d2a9b10',
  ts: new Date('2026-11-02T02:00:00.123Z'),
  actor_id: null,
  actor_name: '张三',
  roles: ['analyst'],
  auth: ['pwd', 'otp'],
  source_ip: null,
  request_id: 'req-1',
  action: 'graphql.read',
  operation: 'Q',
  operation_hash: 'abc',
  highest_level: 'L4',
  fields: [{ field: 'Enterprise.legalRepMobile', urn: 'urn:x', level: 'L4', disclosure: 'MASK', detail: 'mobile' }],
  counts: { MASK: 3 },
  rows: 3,
  outcome: 'ALLOWED',
  reason_code: null,
  session_id: 'ab12',
  grant_id: null,
  purpose: 'review "quarterly"\n',
  subject: null,
  detail: { b: [1, 2.5, null], a: { é: true } },
  alg: 'sha256',
};

describe('JCS (RFC 8785)', () => {
  it('serialises the RFC example exactly', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(jcs(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units, at every depth', () => {
    expect(jcs({ b: 1, a: { d: 1, c: 2 }, '\u{1F600}': 0, '\uFFFD': 0, A: 0 })).toBe(
      '{"A":0,"a":{"c":2,"d":1},"b":1,"\u{1F600}":0,"\uFFFD":0}',
    );
  });

  it('drops undefined members as JSON does, writes null for undefined array items, and dates as ISO strings', () => {
    expect(jcs({ a: undefined, b: [undefined], c: new Date('2026-01-01T00:00:00Z'), d: -0 })).toBe(
      '{"b":[null],"c":"2026-01-01T00:00:00.000Z","d":0}',
    );
  });

  it('refuses what JSON would alter or cannot carry', () => {
    expect(() => jcs({ n: 1n })).toThrow(/BigInt/);
    expect(() => jcs([Number.NaN])).toThrow(/NaN/);
    expect(() => jcs(Number.POSITIVE_INFINITY)).toThrow(/Infinity/);
    expect(() => jcs('\uD800x')).toThrow(/lone surrogate/);
    expect(() => jcs(undefined)).toThrow(/undefined/);
  });
});

describe('the canonical record', () => {
  it('lists every column and seq, sorted', () => {
    expect([...CANONICAL_KEYS]).toEqual([...Object.keys(record), 'seq'].sort());
  });

  it('is the JCS of the row with seq, every column present and ts in UTC milliseconds', () => {
    const c = canonicalRecord(record);
    const text = canonicalBytes(c, 42).toString('utf8');
    expect(text).toBe(jcs({ ...record, ts: '2026-11-02T02:00:00.123Z', seq: 42 }));
    expect(text).toContain('"actor_id":null');
    expect(text).toContain('"seq":42,"session_id"');
    expect(c.json.detail).toBe('{"a":{"é":true},"b":[1,2.5,null]}');
  });

  it('writes an absent detail as null and refuses a seq that is not a positive integer', () => {
    const c = canonicalRecord({ ...record, detail: null });
    expect(c.json.detail).toBeNull();
    expect(canonicalBytes(c, 1).toString()).toContain('"detail":null');
    expect(() => canonicalBytes(c, 0)).toThrow(/seq 0/);
    expect(() => canonicalBytes(c, 1.5)).toThrow(/seq 1.5/);
  });
});

describe('the chain hash', () => {
  it('is H(prev || canonical bytes) with SHA-256 or SM3', () => {
    const bytes = canonicalBytes(canonicalRecord(record), 1);
    const sha = createHash('sha256')
      .update(Buffer.concat([GENESIS_HASH, bytes]))
      .digest();
    expect(chainHash('sha256', GENESIS_HASH, bytes).equals(sha)).toBe(true);
    expect(eventHash(record, 1, GENESIS_HASH).equals(sha)).toBe(true);
    const sm3 = createHash('sm3')
      .update(Buffer.concat([GENESIS_HASH, bytes]))
      .digest();
    expect(chainHash('sm3', GENESIS_HASH, bytes).equals(sm3)).toBe(true);
    expect(sm3).toHaveLength(32);
    expect(sm3.equals(sha)).toBe(false);
  });

  it('changes with the position, the predecessor and any column', () => {
    const h = eventHash(record, 1, GENESIS_HASH);
    expect(eventHash(record, 2, GENESIS_HASH).equals(h)).toBe(false);
    expect(eventHash(record, 1, Buffer.alloc(32, 1)).equals(h)).toBe(false);
    expect(eventHash({ ...record, outcome: 'DENIED' }, 1, GENESIS_HASH).equals(h)).toBe(false);
    expect(eventHash({ ...record, reason_code: '' }, 1, GENESIS_HASH).equals(h)).toBe(false); // '' is not null
  });
});

describe('an event as a record', () => {
  const ipKey = Buffer.alloc(32, 7);
  const event: AuditEvent = {
    eventId: '6F1C2A52-2F0E-4A4E-9D37-1F0A4D2A9B10',
    ts: new Date('2026-11-02T02:00:00Z'),
    actorName: 'app',
    roles: ['app'],
    auth: ['key'],
    sourceIp: '203.0.113.9',
    action: 'graphql.read',
    fields: [],
    counts: {},
    rows: 0,
    outcome: 'DENIED',
  };

  it('stores the source address only as its HMAC-SHA-256 under the key, and UUIDs as the database prints them', () => {
    const r = recordOf(event, { alg: 'sm3', ipKey });
    expect(r.source_ip).toBe(createHmac('sha256', ipKey).update('203.0.113.9').digest('hex'));
    expect(r.source_ip).toBe(hashSourceIp(ipKey, '203.0.113.9'));
    expect(JSON.stringify(r)).not.toContain('203.0.113');
    expect(r.event_id).toBe('6f1c2a52-2f0e-4a4e-9d37-1f0a4d2a9b10');
    expect(r).toMatchObject({ actor_id: null, session_id: null, detail: null, alg: 'sm3' });
  });

  it('refuses what the database would alter or refuse', () => {
    expect(() => recordOf({ ...event, eventId: 'not-a-uuid' }, { alg: 'sha256', ipKey })).toThrow(/eventId is not a UUID/);
    expect(() => recordOf({ ...event, rows: 1.5 }, { alg: 'sha256', ipKey })).toThrow(/rows must be an integer/);
    expect(() => recordOf({ ...event, ts: new Date('x') }, { alg: 'sha256', ipKey })).toThrow(/ts is not a valid date/);
    expect(() => recordOf({ ...event, roles: [1] as unknown as string[] }, { alg: 'sha256', ipKey })).toThrow(/roles must be a list/);
  });
});
