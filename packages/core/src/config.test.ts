import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMIT_PER_MINUTE, loadConfig } from './config.js';

describe('configuration from the environment', () => {
  it('takes the defaults when nothing is set', () => {
    const config = loadConfig({}, '/srv');
    expect(config.rateLimitPerMinute).toBe(DEFAULT_RATE_LIMIT_PER_MINUTE);
    expect(config.demoEnterprises).toBe(2000);
    expect(config.home).toBe('/srv/.warden');
    expect(config.policiesDir).toBeUndefined();
  });

  it('takes a policy directory relative to the working directory', () => {
    expect(loadConfig({ WARDEN_POLICIES: 'ops/policies' }, '/srv').policiesDir).toBe('/srv/ops/policies');
    expect(loadConfig({ WARDEN_POLICIES: '/etc/warden/policies' }, '/srv').policiesDir).toBe('/etc/warden/policies');
  });

  it('reads the positive-integer settings', () => {
    const config = loadConfig({ WARDEN_RATE_LIMIT: '60', WARDEN_DEMO_ENTERPRISES: '10' }, '/srv');
    expect(config.rateLimitPerMinute).toBe(60);
    expect(config.demoEnterprises).toBe(10);
  });

  it('reports every setting that is not a positive integer at once', () => {
    expect(() => loadConfig({ WARDEN_RATE_LIMIT: '0', WARDEN_DEMO_ENTERPRISES: '1.5' }, '/srv')).toThrow(
      'Configuration is invalid: WARDEN_RATE_LIMIT must be a positive integer, got 0; WARDEN_DEMO_ENTERPRISES must be a positive integer, got 1.5',
    );
  });

  it('takes the audit hash from WARDEN_AUDIT_HASH, SHA-256 unless SM3 is asked for', () => {
    expect(loadConfig({}, '/srv').auditHash).toBe('sha256');
    expect(loadConfig({ WARDEN_AUDIT_HASH: 'sm3' }, '/srv').auditHash).toBe('sm3');
    expect(loadConfig({ WARDEN_AUDIT_HASH: 'sha256' }, '/srv').auditHash).toBe('sha256');
    expect(() => loadConfig({ WARDEN_AUDIT_HASH: 'md5' }, '/srv')).toThrow(
      'Configuration is invalid: WARDEN_AUDIT_HASH must be sha256 or sm3, got md5',
    );
  });
});
