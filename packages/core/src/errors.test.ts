import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERRORS, formatMessage, WardenError, wardenError } from './errors.js';

const readme = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../README.md'), 'utf8');
const documented = [...readme.matchAll(/^\|\s*`([A-Z_]+)`\s*\|\s*(\d+)\s*\|/gm)].map((m) => ({ code: m[1], status: Number(m[2]) }));

describe('the error catalogue', () => {
  it('documents every code in the README error table with its status', () => {
    for (const [code, spec] of Object.entries(ERRORS)) {
      expect(
        documented.find((d) => d.code === code),
        code,
      ).toEqual({ code, status: spec.status });
    }
  });

  it('lists no code in the README that does not exist', () => {
    for (const d of documented) expect(Object.keys(ERRORS), d.code).toContain(d.code);
  });

  it('fills message templates from parameters and leaves unknown ones visible', () => {
    expect(formatMessage('At most {max} rows', { max: 100 })).toBe('At most 100 rows');
    expect(formatMessage('At most {max} rows', {})).toBe('At most {max} rows');
  });

  it('carries the code, status and cause of an error', () => {
    const cause = new Error('socket closed');
    const e = wardenError('AUDIT_UNAVAILABLE', {}, cause);
    expect(e).toBeInstanceOf(WardenError);
    expect(e.code).toBe('AUDIT_UNAVAILABLE');
    expect(e.status).toBe(503);
    expect(e.cause).toBe(cause);
  });
});
