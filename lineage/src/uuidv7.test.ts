import { describe, expect, it } from 'vitest';
import { uuidv7 } from './uuidv7.js';

describe('uuidv7', () => {
  it('carries the millisecond timestamp, version 7 and the RFC variant', () => {
    const at = new Date('2026-11-29T10:00:00.123Z');
    const id = uuidv7(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at.getTime());
  });

  it('sorts ids of later runs after earlier ones and never repeats', () => {
    const a = uuidv7(new Date(1_000));
    const b = uuidv7(new Date(2_000));
    expect(a < b).toBe(true);
    expect(uuidv7(new Date(1_000))).not.toBe(a);
  });
});
